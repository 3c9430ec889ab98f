// Detects: a locked package version, or a version published by an npm account, that the
// configuration file's `deny` list names (`{ package, versions, reason }` or
// `{ publisher, reason }`). Options: `deny` (the entries, with their line in the file) and `file`
// (the configuration file's path), both set by the policy stage.
// Why: a team's own knowledge (a compromised release, an abandoned fork, an account it does not
// trust) must block a pull request as surely as a public feed does: the finding is critical, it
// cannot be re-graded and no `allow` entry suppresses it.
// False positives: only what the configuration says; a range wider than intended (`*`). Publisher
// entries need `_npmUser` from the registry: behind mirrors that strip it they match nothing.
import type { DenyEntry } from '../../config.js'
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import { packageMatches } from '../lib/package-match.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'policy/denied',
  title: 'Denied by the configuration',
  description:
    "The configuration file's deny list names this package version or the account that " +
    'published it: it always fails the gate.',
  defaultSeverity: 'critical',
  version: 1
}

function denyEntries(value: unknown): DenyEntry[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (entry): entry is DenyEntry =>
      typeof entry === 'object' && entry !== null && typeof entry.reason === 'string'
  )
}

function publisherOf(ctx: RuleContext): string | undefined {
  const name = ctx.manifest?._npmUser?.name
  return typeof name === 'string' ? name.toLowerCase() : undefined
}

function denies(entry: DenyEntry, ctx: RuleContext): boolean {
  if (entry.package !== undefined) {
    return packageMatches(entry.package, entry.versions ?? '*', ctx.change)
  }
  const publisher = publisherOf(ctx)
  return entry.publisher !== undefined && publisher === entry.publisher.toLowerCase()
}

function messageFor(entry: DenyEntry, ctx: RuleContext, file: string): string {
  const { name, version } = ctx.change
  const what =
    entry.package !== undefined
      ? `${name}@${version} is denied by ${file} (${entry.package}@${entry.versions ?? '*'})`
      : `${name}@${version} was published by ${entry.publisher}, denied by ${file}`
  return `${what}: ${entry.reason}`
}

function check(ctx: RuleContext): Finding[] {
  const file = typeof ctx.options.file === 'string' ? ctx.options.file : 'the configuration'
  return denyEntries(ctx.options.deny)
    .filter((entry) => denies(entry, ctx))
    .map((entry) =>
      makeFinding(ctx, meta, messageFor(entry, ctx, file), [
        { file, line: entry.line, snippet: `reason: ${entry.reason}` }
      ])
    )
}

export const rule: Rule = { meta, check }
