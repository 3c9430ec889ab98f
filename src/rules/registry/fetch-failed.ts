// Detects: a package the registry could not be read for (network errors, HTTP 5xx after retries,
// 401/403, invalid answers), so it was not analysed at all.
// Why: a scan that could not look must never pass as if it had looked. Reported for the new
// version at high severity; for the previous version only the comparison is lost (every
// capability then looks new), so it is medium.
// Known false positives: registry outages and missing credentials for a private registry (the
// message names the registry and the HTTP status; fix `.npmrc` or the token and re-run).
import type { FetchProblem, Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'registry/fetch-failed',
  title: 'Package could not be fetched',
  description:
    'The registry could not be read for this package, so it was not analysed. This is never a ' +
    'pass: fix the registry access (URL, credentials, outage) and run the check again.',
  defaultSeverity: 'high',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  return ctx.problems.filter((p) => p.code === 'EREGISTRY').map((p) => toFinding(ctx, p))
}

function toFinding(ctx: RuleContext, problem: FetchProblem): Finding {
  const { change } = ctx
  const evidence = [{ file: 'lockfile', line: change.line, snippet: problem.message }]
  if (problem.which === 'previous') {
    const version = change.previous?.version ?? 'the previous version'
    const message = `the previous version ${change.name}@${version} could not be fetched, so this update was not compared with it: ${problem.message}`
    return makeFinding(ctx, meta, message, evidence, 'medium')
  }
  const message = `${change.name}@${change.version} was not analysed because the registry could not be read: ${problem.message}`
  return makeFinding(ctx, meta, message, evidence)
}

export const rule: Rule = { meta, check }
