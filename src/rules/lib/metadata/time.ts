// Publish times from a packument's `time` map, and a plausibility check: some registry mirrors
// serve `time` values that have nothing to do with when a version was published (versions of one
// release line in random order). Time-based rules must not act on those.
import semver from 'semver'
import type { Packument } from '../../../types.js'

/** Milliseconds since the epoch of `time[version]`; undefined when absent or unreadable. */
export function publishTime(packument: Packument | undefined, version: string): number | undefined {
  const text = packument?.time?.[version]
  if (typeof text !== 'string' || text.length > 64) return undefined
  const ms = Date.parse(text)
  return Number.isFinite(ms) ? ms : undefined
}

/** The least number of same-line version pairs needed to judge the order of publish times. */
const MIN_PAIRS = 4
/**
 * Measured on a mirror that scrambles `time`: 30-70% of consecutive versions within one
 * major.minor line were "published" before their predecessor. On a real registry a patch release
 * is published after the previous patch of its line, barring rare re-publications.
 */
const MAX_INVERTED_SHARE = 0.25
const MINUTE = 60_000

export type TimeVerdict = 'plausible' | 'scrambled' | 'unknown'

/** Whether the packument's `time` map looks like real publish times. */
export function judgeTimes(packument: Packument | undefined): TimeVerdict {
  if (!packument) return 'unknown'
  // four rules and the run notices ask about the same packument: judge it once
  let verdict = verdicts.get(packument)
  if (verdict === undefined) {
    verdict = judge(packument)
    verdicts.set(packument, verdict)
  }
  return verdict
}

const verdicts = new WeakMap<Packument, TimeVerdict>()

function judge(packument: Packument): TimeVerdict {
  const time = packument.time
  if (!time || typeof time !== 'object') return 'unknown'
  const versions = Object.keys(packument.versions ?? {}).filter((v) => semver.valid(v) !== null)
  const times = versions.map((v) => publishTime(packument, v))
  if (times.some((t) => t === undefined)) return 'unknown'
  if (publishedBeforeCreated(packument, times as number[])) return 'scrambled'
  if (versions.length >= 3 && new Set(times).size === 1) return 'scrambled'
  return judgeOrder(packument, versions)
}

function publishedBeforeCreated(packument: Packument, times: number[]): boolean {
  const created = publishTime(packument, 'created')
  return created !== undefined && times.some((t) => t < created - MINUTE)
}

function judgeOrder(packument: Packument, versions: string[]): TimeVerdict {
  // parsed once: sorting the strings would parse both versions at every comparison
  const sorted = versions.map((version) => new semver.SemVer(version)).sort(semver.compare)
  let pairs = 0
  let inverted = 0
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]]
    if (a.major !== b.major || a.minor !== b.minor) continue
    pairs++
    const [before, after] = [publishTime(packument, a.version), publishTime(packument, b.version)]
    if ((after as number) < (before as number)) inverted++
  }
  if (pairs < MIN_PAIRS) return 'unknown'
  return inverted / pairs > MAX_INVERTED_SHARE ? 'scrambled' : 'plausible'
}

/** `45 minutes`, `2 hours`, `3 days`: the largest unit that keeps the number at least 1. */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['week', 7 * 86_400_000],
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', MINUTE]
  ]
  for (const [unit, size] of units) {
    if (ms >= size) {
      const count = Math.floor(ms / size)
      // a cooldown of "10 days" reads better than "1 week"
      if (unit === 'week' && ms % size !== 0) continue
      return `${count} ${unit}${count === 1 ? '' : 's'}`
    }
  }
  return 'less than a minute'
}
