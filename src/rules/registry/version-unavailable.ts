// Detects: a locked version (or the whole package) that the registry no longer serves.
// Why: registries remove malicious versions and packages, often within hours of a report, so an
// absence is itself a signal; it also means the tarball could not be read, so nothing about its
// contents can be vouched for. Whether the name and version are known-malicious is still checked
// against the feeds by the ioc rules; this rule reports the absence. A missing *previous* version
// only weakens the comparison with the old release, so it is reported at low severity.
// Known false positives: a private package looked up on the wrong registry (a missing
// `@scope:registry` in .npmrc), registry mirrors that lag behind or drop old versions, and
// versions unpublished by their authors for ordinary reasons.
import type { FetchProblem, Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'registry/version-unavailable',
  title: 'Version no longer served by the registry',
  description:
    'The registry no longer serves this version (or this package). Registries remove malicious ' +
    'releases, so an unpublished version deserves a look, and its contents could not be analysed.',
  defaultSeverity: 'high',
  version: 1
}

const CODES = new Set<FetchProblem['code']>(['ENOTFOUND_PACKAGE', 'ENOTFOUND_VERSION'])

function check(ctx: RuleContext): Finding[] {
  return ctx.problems.filter((problem) => CODES.has(problem.code)).map((p) => toFinding(ctx, p))
}

function toFinding(ctx: RuleContext, problem: FetchProblem): Finding {
  const { change } = ctx
  const evidence = [{ file: 'lockfile', line: change.line, snippet: problem.message }]
  if (problem.which === 'previous') {
    const version = change.previous?.version ?? 'the previous version'
    const message = `the previous version ${change.name}@${version} is no longer served by the registry, so this update could not be compared with it`
    return makeFinding(ctx, meta, message, evidence, 'low')
  }
  const what =
    problem.code === 'ENOTFOUND_PACKAGE'
      ? `the package ${change.name} is not served by the registry`
      : `${change.name}@${change.version} is no longer served by the registry`
  const message = `${what}: it may have been removed as malicious, and its contents could not be analysed`
  return makeFinding(ctx, meta, message, evidence)
}

export const rule: Rule = { meta, check }
