// metadata/out-of-pattern
//
// Detects, from the packument's `time` and version list, a locked version that does not fit the
// package's release history:
// - a new major line that skips majors the package never had, after a history in lower majors
//   (`is` 5.0.0 straight after 3.x: a major that never existed upstream) — medium; high after a
//   long history (>= 10 versions or over a year) when who publishes changed too (another
//   `_npmUser` than the previous version's, or provenance lost). Version numbers alone are not
//   proof: projects do publish placeholder majors (react-native 1000.0.0 after 0.x), which
//   fp-check showed failing the gate when this was high on its own. A major below the current
//   one that never existed is medium too;
// - the next major (+1) after the package had been dormant for over a year (medium): an abandoned
//   package suddenly "revived" is the usual shape of a takeover;
// - a late release on an old line: the highest version of its line, published over a year after
//   that line's previous release, while newer lines were already out (medium; the Scavenger wave
//   published eslint-config-prettier 8.10.1 two years after 8.10.0, with 10.x current).
//
// Why: stolen tokens publish where the registry lets them, not where the project's release process
// would; odd version numbers are one of the few cues left when the code diff is small.
//
// Not flagged: an ordinary next major of a package that releases regularly, new 0.x minors,
// backports published while their line is still maintained (less than a year since its previous
// release), and versions without a publish time. When `time` looks scrambled (`judgeTimes`: some
// mirrors rewrite it) only the version numbers are judged: the skipped-major check still runs,
// ordered by version instead of by time, and the time-based checks are skipped. Known false positives: a long-dormant project that
// genuinely resumes with a new major or a security backport to a line unmaintained for a year.
import semver from 'semver'
import { makeFinding } from '../finding.js'
import { hasProvenance } from '../lib/metadata/provenance.js'
import { publisherName } from '../lib/metadata/publishers.js'
import { judgeTimes } from '../lib/metadata/time.js'
import { versionsBelow } from '../lib/metadata/versions.js'
import {
  DAY_MS,
  MAX_RELEASES,
  publishedAt,
  releaseTimeline,
  type Release
} from '../lib/popularity/timeline.js'
import type { Packument, Severity } from '../../types.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/out-of-pattern',
  title: 'Version out of the release pattern',
  description:
    'The locked version opens a major the package never had, revives a dormant package with a ' +
    'new major, or patches a line dormant for over a year: how stolen tokens publish.',
  defaultSeverity: 'medium',
  version: 1
}

const DORMANT_MS = 365 * DAY_MS
const MIN_HISTORY = 5
const LONG_HISTORY_VERSIONS = 10

interface Verdict {
  severity: Severity
  message: string
}

function check(ctx: RuleContext) {
  const { version } = ctx.change
  if (!semver.valid(version) || !ctx.packument) return []
  const at =
    judgeTimes(ctx.packument) === 'scrambled' ? undefined : publishedAt(ctx.packument, version)
  const history = priorReleases(ctx.packument, version, at)
  const verdict =
    judgeNewLine(version, history, at, publisherChanged(ctx)) ??
    judgeLateRelease(ctx.packument, version, at)
  if (!verdict) return []
  return [
    makeFinding(ctx, meta, `${ctx.change.name} ${version} ${verdict.message}`, [], verdict.severity)
  ]
}

/**
 * Releases before `version`: by publish time when it is known; otherwise every served or timed
 * version lower than it, in version order (their times, if any, are not trusted for order).
 */
function priorReleases(packument: Packument, version: string, at: number | undefined): Release[] {
  const timeline = releaseTimeline(packument).filter((release) => release.version !== version)
  if (at !== undefined) return timeline.filter((release) => release.at < at)
  const served = Object.keys(packument.versions ?? {}).slice(0, MAX_RELEASES)
  const known = new Set([...served, ...timeline.map((release) => release.version)])
  return versionsBelow(known, version).map((other) => ({ version: other.raw, at: Number.NaN }))
}

/** Another account published this version, or it lost the provenance the previous one had. */
function publisherChanged(ctx: RuleContext): boolean {
  const before = publisherName(ctx.previousManifest)
  const now = publisherName(ctx.manifest)
  const otherAccount = before !== undefined && now !== undefined && before !== now
  return otherAccount || (hasProvenance(ctx.previousManifest) && !hasProvenance(ctx.manifest))
}

function judgeNewLine(
  version: string,
  history: Release[],
  at: number | undefined,
  corroborated: boolean
): Verdict | undefined {
  const major = semver.major(version)
  if (major === 0 || history.some((release) => semver.major(release.version) === major))
    return undefined
  const stable = history.filter((release) => semver.prerelease(release.version) === null)
  if (stable.length < MIN_HISTORY) return undefined
  const highest = Math.max(...stable.map((release) => semver.major(release.version)))
  const previous = `after ${stable.length} releases up to ${highest}.x`
  if (major < highest) {
    return {
      severity: 'medium',
      message: `opens major ${major}, below the current ${highest}.x, which the package never had (${previous}).`
    }
  }
  if (major > highest + 1) {
    const severity = corroborated && isLongHistory(stable) ? 'high' : 'medium'
    return {
      severity,
      message: `jumps to major ${major}, skipping majors the package never had (${previous}): a version that may not exist upstream.`
    }
  }
  const last = stable.at(-1)
  if (at !== undefined && last && at - last.at > DORMANT_MS) {
    return {
      severity: 'medium',
      message: `opens major ${major} ${describeGap(at - last.at)} after the previous release (${last.version}): a dormant package revived with a new major.`
    }
  }
  return undefined
}

function judgeLateRelease(
  packument: Packument,
  version: string,
  at: number | undefined
): Verdict | undefined {
  if (at === undefined || semver.prerelease(version) !== null) return undefined
  const timeline = releaseTimeline(packument).filter(
    (release) => semver.prerelease(release.version) === null
  )
  const line = lineOf(version)
  const sameLine = timeline.filter(
    (release) => release.version !== version && lineOf(release.version) === line
  )
  if (sameLine.some((release) => semver.gt(release.version, version))) return undefined
  const before = sameLine.filter((release) => release.at < at).at(-1)
  const newer = timeline.findLast(
    (release) =>
      release.at < at && semver.gt(release.version, version) && lineOf(release.version) !== line
  )
  if (!before || !newer || at - before.at <= DORMANT_MS) return undefined
  return {
    severity: 'medium',
    message: `was published ${describeGap(at - before.at)} after ${before.version}, the previous release of its line, while ${newer.version} was already out: a late release on a dormant line.`
  }
}

/** `3` for 3.x, `0.4` for 0.4.x: 0.x minors are lines of their own. */
function lineOf(version: string): string {
  const major = semver.major(version)
  return major === 0 ? `0.${semver.minor(version)}` : `${major}`
}

function isLongHistory(stable: Release[]): boolean {
  const first = stable[0]
  const last = stable.at(-1)
  const spanMs = first && last ? last.at - first.at : 0
  return stable.length >= LONG_HISTORY_VERSIONS || spanMs > DORMANT_MS
}

function describeGap(ms: number): string {
  const days = Math.floor(ms / DAY_MS)
  return days >= 730 ? `${Math.floor(days / 365)} years` : `${days} days`
}

export const rule: Rule = { meta, check }
