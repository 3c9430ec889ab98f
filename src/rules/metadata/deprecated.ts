// Detects: the locked version is deprecated on the registry (`deprecated` in its manifest).
// Ranks medium when the deprecation message speaks of security, malware or a compromise: npm and
// maintainers deprecate hijacked versions with such words while the removal is pending.
// Why: a deprecated version is one its maintainers ask people not to use.
// False positives: routine deprecations ("use v3", "renamed to @scope/x") are reported at low.
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/deprecated',
  title: 'Deprecated version',
  description: 'The registry marks the locked version as deprecated.',
  defaultSeverity: 'low',
  version: 1
}

const MAX_MESSAGE = 300
// plain words, no nesting: linear on any input, and the input is clipped first
const ALARMING =
  /secur|malicious|malware|compromis|hijack|backdoor|vulnerab|exploit|stolen|do not (?:install|use)/i

function check(ctx: RuleContext): Finding[] {
  const deprecated = ctx.manifest?.deprecated
  if (typeof deprecated !== 'string' || deprecated.trim() === '') return []
  const text = deprecated.slice(0, MAX_MESSAGE)
  const alarming = ALARMING.test(text)
  const message =
    `${ctx.change.name}@${ctx.change.version} is deprecated` +
    (alarming ? ' with a message about security or a compromise' : '') +
    `: "${text}"`
  const evidence = [{ file: 'packument', snippet: `deprecated: ${text}` }]
  return [makeFinding(ctx, meta, message, evidence, alarming ? 'medium' : 'low')]
}

export const rule: Rule = { meta, check }
