// Detects: a locked name@version that an OSV `MAL-` record covers, looked up before the rules run
// (OSV's batch API online, or a local snapshot of OSV records offline; see src/osv/lookup.ts).
// Why: a MAL- record is a confirmed malicious release (ossf/malicious-packages, mirrored into OSV),
// usually published within a day of the attack, so a nightly full scan flags what was merged
// before the record existed. The version is often gone from the registry: this rule needs
// nothing but the lockfile entry and the lookup's answer.
// False positives: records that cover every version (`introduced: "0"`, no end) are right for
// attacker-owned names but sometimes wrong on hijacked packages with a long clean history (an
// extra range on a record whose real scope is a few versions): reported one level lower, and the
// message says so. Withdrawn records never match.
import type { Finding, OsvMatch, Severity } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

/** Versions on the registry beyond which an "every version" record looks like a listing error. */
const LONG_HISTORY_VERSIONS = 10

const meta: RuleMeta = {
  id: 'ioc/osv-malicious',
  title: 'Known malicious version (OSV)',
  description:
    'An OSV MAL- record marks the locked version as malicious. Remove it and pin a version the ' +
    'record does not cover; treat any machine that installed it as compromised.',
  defaultSeverity: 'critical',
  version: 1
}

const SHAPE_WORDING: Record<OsvMatch['shape'], string> = {
  versions: 'lists this exact version',
  range: 'covers it with a range of versions',
  all: 'marks every version of the package'
}

const SOURCE_WORDING: Record<OsvMatch['source'], string> = {
  online: "from OSV's online API",
  offline: 'from the offline OSV snapshot'
}

function check(ctx: RuleContext): Finding[] {
  const seen = new Set<string>()
  return (ctx.osv ?? [])
    .filter((match) => !seen.has(match.id) && seen.add(match.id))
    .map((match) => findingFor(ctx, match))
}

function findingFor(ctx: RuleContext, match: OsvMatch): Finding {
  const { name, version } = ctx.change
  const published = publishedVersions(ctx)
  const doubtful = match.shape === 'all' && published >= LONG_HISTORY_VERSIONS
  const message =
    `${name}@${version} is known malicious: OSV record ${match.id} ${SHAPE_WORDING[match.shape]}` +
    ` (${SOURCE_WORDING[match.source]})` +
    (doubtful
      ? `; the registry shows ${published} published versions, and "every version" records are ` +
        'sometimes wrong on hijacked packages: check which versions the advisory really names'
      : '')
  const snippet = match.summary ? `${match.id}: ${match.summary}` : match.id
  const severity: Severity = doubtful ? 'high' : meta.defaultSeverity
  return makeFinding(ctx, meta, message, [{ file: 'osv', snippet }], severity)
}

function publishedVersions(ctx: RuleContext): number {
  return Object.keys(ctx.packument?.versions ?? {}).length
}

export const rule: Rule = { meta, check }
