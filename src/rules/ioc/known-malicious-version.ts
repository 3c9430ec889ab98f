// Detects: a locked package version listed in an IOC feed (bundled or the user's), by exact
// version, by semver range or as "all versions" of an attacker-owned name.
// Why: these are confirmed compromises (OSV MAL- records, GHSA, maintainers' reports). The version
// is usually gone from the registry, so this rule needs nothing but the lockfile entry.
// False positives: an "all versions" entry on a name with a long clean history (OSV sometimes
// marks a hijacked package that way); reported one level lower when the registry shows a long
// history. A range written too wide in a user feed.
import { describeIncident, describeVersions, uniqueEntries } from '../../ioc/describe.js'
import { versionMatchKind } from '../../ioc/index.js'
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { IocEntry, Rule, RuleContext, RuleMeta } from '../types.js'

/** Versions on the registry beyond which an "all versions" match looks like a listing error. */
const LONG_HISTORY_VERSIONS = 10

const meta: RuleMeta = {
  id: 'ioc/known-malicious-version',
  title: 'Known malicious package version',
  description:
    'The locked version is listed as malicious in an indicator-of-compromise feed. Remove it and ' +
    'pin the last good version; treat any machine that installed it as compromised.',
  defaultSeverity: 'critical',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  const { name, version } = ctx.change
  const entries = uniqueEntries(ctx.iocs.matchPackage(name, version))
  return entries.map((entry) => {
    const message =
      `${name}@${version} is a known malicious version: the feed lists ` +
      `${describeVersions(entry)} (${describeIncident(entry)})`
    const evidence = [{ file: 'lockfile', line: ctx.change.line, snippet: `${name}@${version}` }]
    return makeFinding(ctx, meta, message, evidence, severityFor(ctx, entry))
  })
}

function severityFor(ctx: RuleContext, entry: IocEntry): RuleMeta['defaultSeverity'] {
  if (versionMatchKind(entry) !== 'all') return meta.defaultSeverity
  const published = Object.keys(ctx.packument?.versions ?? {}).length
  return published >= LONG_HISTORY_VERSIONS ? 'high' : meta.defaultSeverity
}

export const rule: Rule = { meta, check }
