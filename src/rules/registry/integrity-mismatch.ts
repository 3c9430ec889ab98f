// Detects: the registry serves bytes for this version that do not match the lockfile's
// `integrity` (pacote's EINTEGRITY).
// Why: a published version is immutable, so the lockfile and the registry must agree. A mismatch
// means the lockfile was edited to pin other bytes, or the tarball was swapped somewhere between
// the registry and this runner; either way `npm ci` would refuse it, and what the pull request
// pins cannot be trusted. For the previous version the old lockfile is the one in doubt, so the
// severity is lower.
// Known false positives: a registry mirror or proxy that repacks tarballs (their integrity
// differs from the original publish); a corrupted cache in front of the registry.
import type { FetchProblem, Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'registry/integrity-mismatch',
  title: 'Registry tarball does not match the lockfile integrity',
  description:
    'The tarball the registry serves for this version has a different hash than the lockfile ' +
    'pins: the lockfile was tampered with or the tarball was swapped in transit.',
  defaultSeverity: 'critical',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  return ctx.problems.filter((p) => p.code === 'EINTEGRITY').map((p) => toFinding(ctx, p))
}

function toFinding(ctx: RuleContext, problem: FetchProblem): Finding {
  const { change } = ctx
  const evidence = [{ file: 'lockfile', line: change.line, snippet: problem.message }]
  if (problem.which === 'previous') {
    const version = change.previous?.version ?? 'the previous version'
    const message = `the base lockfile pinned ${change.name}@${version} with an integrity the registry does not serve`
    return makeFinding(ctx, meta, message, evidence, 'medium')
  }
  const message = `the registry serves ${change.name}@${change.version} with other bytes than the lockfile integrity pins`
  return makeFinding(ctx, meta, message, evidence)
}

export const rule: Rule = { meta, check }
