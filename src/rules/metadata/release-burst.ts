// metadata/release-burst
//
// Detects: many versions of this package published within a short window around the locked
// version: five or more within 24 hours (medium), ten or more within 48 hours (high). Only
// versions of the same kind as the locked one are counted (releases with releases, pre-releases
// with pre-releases), so a busy canary channel does not make a stable release look like a burst.
//
// Why: postmark-mcp went through about 18 releases in a few days while its author tuned the
// backdoor; worms (Shai-Hulud) and stolen tokens republish in bursts; an honest project rarely
// ships ten releases in two days.
//
// Out of scope: bursts across packages by one publisher (Shai-Hulud bumping every package a token
// can publish). A rule sees one package at a time; that correlation belongs to a run-wide pass.
//
// Needs `time`; a version without a publish time is not judged, nor a history whose times are
// implausible (`judgeTimes`: a mirror that scrambles `time` would make random clusters). Known false positives: a
// release followed by a series of quick fixes, automated publishing of every merge, and
// pre-release channels that publish several times a day (pre-release bursts stay medium).
import semver from 'semver'
import { makeFinding } from '../finding.js'
import { judgeTimes } from '../lib/metadata/time.js'
import { HOUR_MS, publishedAt, releaseTimeline, type Release } from '../lib/popularity/timeline.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/release-burst',
  title: 'Burst of releases',
  description:
    'Many versions of this package were published within hours of the locked one, as when an ' +
    'attacker iterates on a payload or a worm republishes (postmark-mcp: ~18 releases in days).',
  defaultSeverity: 'medium',
  version: 1
}

const MEDIUM = { windowMs: 24 * HOUR_MS, count: 5 }
const HIGH = { windowMs: 48 * HOUR_MS, count: 10 }
const SHOWN_VERSIONS = 6

function check(ctx: RuleContext) {
  const at = publishedAt(ctx.packument, ctx.change.version)
  if (at === undefined || judgeTimes(ctx.packument) === 'scrambled') return []
  const prerelease = semver.prerelease(ctx.change.version) !== null
  const sameKind = releaseTimeline(ctx.packument).filter(
    (release) => (semver.prerelease(release.version) !== null) === prerelease
  )
  const wide = busiestWindow(sameKind, at, HIGH.windowMs)
  if (wide.length >= HIGH.count) {
    return [burstFinding(ctx, wide, '48 hours', prerelease ? 'medium' : 'high')]
  }
  const narrow = busiestWindow(sameKind, at, MEDIUM.windowMs)
  if (narrow.length >= MEDIUM.count) return [burstFinding(ctx, narrow, '24 hours', 'medium')]
  return []
}

/**
 * The releases (sorted by time) of the fullest window of `windowMs` that contains `at`. Such a
 * window can be slid until it starts at a release (one in [at - windowMs, at]) or ends at one (in
 * [at, at + windowMs]) without losing any, so those are the only windows tried.
 */
export function busiestWindow(releases: Release[], at: number, windowMs: number): Release[] {
  const starts = new Set<number>()
  for (const release of releases) {
    if (release.at >= at - windowMs && release.at <= at) starts.add(release.at)
    if (release.at >= at && release.at <= at + windowMs) starts.add(release.at - windowMs)
  }
  let best: Release[] = []
  for (const start of starts) {
    const first = firstAtOrAfter(releases, start)
    const end = firstAtOrAfter(releases, start + windowMs + 1)
    if (end - first > best.length) best = releases.slice(first, end)
  }
  return best
}

/** Index of the first release at or after `time` (binary search). */
function firstAtOrAfter(releases: Release[], time: number): number {
  let low = 0
  let high = releases.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((releases[middle] as Release).at < time) low = middle + 1
    else high = middle
  }
  return low
}

function burstFinding(
  ctx: RuleContext,
  burst: Release[],
  window: string,
  severity: 'high' | 'medium'
) {
  const versions = burst.map((release) => release.version)
  const shown =
    versions.length > SHOWN_VERSIONS
      ? `${versions.slice(0, 3).join(', ')} … ${versions.slice(-2).join(', ')}`
      : versions.join(', ')
  const spanHours = Math.max(
    1,
    Math.round(((burst.at(-1)?.at ?? 0) - (burst[0]?.at ?? 0)) / HOUR_MS)
  )
  return makeFinding(
    ctx,
    meta,
    `${versions.length} versions of ${ctx.change.name} were published within ${window} around ` +
      `${ctx.change.version} (over ${spanHours} h): a burst of releases is how payloads get tuned ` +
      `and worms spread.`,
    [{ snippet: `versions: ${shown}` }],
    severity
  )
}

export const rule: Rule = { meta, check }
