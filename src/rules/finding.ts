// Builds a Finding for the package a rule is looking at, so that every rule points at the
// lockfile line of its change in the same way.
import type { Evidence, Finding, Severity } from '../types.js'
import type { RuleContext, RuleMeta } from './types.js'

const MAX_SNIPPET = 200

export function makeFinding(
  ctx: RuleContext,
  meta: RuleMeta,
  message: string,
  evidence: Evidence[] = [],
  severity: Severity = meta.defaultSeverity
): Finding {
  const { change } = ctx
  const previous =
    change.previous && change.previous.version !== change.version
      ? change.previous.version
      : undefined
  return {
    ruleId: meta.id,
    severity,
    message: message.replace(/\s+/g, ' ').trim(),
    package: { name: change.name, version: change.version, ...(previous ? { previous } : {}) },
    location: { lockfile: change.lockfile, line: change.line },
    evidence: evidence.map(clipEvidence)
  }
}

function clipEvidence(evidence: Evidence): Evidence {
  if (evidence.snippet === undefined) return evidence
  const oneLine = evidence.snippet.replace(/\s+/g, ' ').trim()
  const snippet = oneLine.length > MAX_SNIPPET ? `${oneLine.slice(0, MAX_SNIPPET)}…` : oneLine
  return { ...evidence, snippet }
}
