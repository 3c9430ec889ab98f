// What the exec rules collect before they report: one signal per suspicious site, then one finding
// per kind of signal at the most severe of its signals, so that a bundle with forty `spawn` calls
// gives one finding with a few examples instead of forty alarms.
import type { Evidence, Finding, Severity } from '../../../types.js'
import { severityRank } from '../../../types.js'
import { makeFinding } from '../../finding.js'
import type { RuleContext, RuleMeta } from '../../types.js'

export interface Signal<Kind extends string = string> {
  kind: Kind
  severity: Severity
  evidence: Evidence
  /** What was seen, for the message: `curl … | sh`, `eval of a base64-decoded string`. */
  detail: string
}

const MAX_EVIDENCE = 5
const MAX_DETAILS = 3

/**
 * One finding per kind, most severe first. `summary(kind)` completes "This version adds code that
 * …" (changed package) or "The package …" (added package), e.g. `runs a secret scanner`.
 */
export function findingsFromSignals<Kind extends string>(
  ctx: RuleContext,
  meta: RuleMeta,
  signals: Signal<Kind>[],
  summary: (kind: Kind) => string,
  changed: boolean
): Finding[] {
  const byKind = new Map<Kind, Signal<Kind>[]>()
  for (const signal of signals) {
    const group = byKind.get(signal.kind)
    if (group) group.push(signal)
    else byKind.set(signal.kind, [signal])
  }
  const findings: Finding[] = []
  for (const [kind, group] of byKind) {
    group.sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
    const worst = group[0]
    if (!worst) continue
    const details = [...new Set(group.map((signal) => signal.detail))]
    const more = details.length > MAX_DETAILS ? ` (+${details.length - MAX_DETAILS} more)` : ''
    const subject = changed ? 'This version adds code that' : 'The package'
    const message = `${subject} ${summary(kind)}: ${details.slice(0, MAX_DETAILS).join('; ')}${more}.`
    const evidence = group.slice(0, MAX_EVIDENCE).map((signal) => signal.evidence)
    findings.push(makeFinding(ctx, meta, message, evidence, worst.severity))
  }
  return findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
}
