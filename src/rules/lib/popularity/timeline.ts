// A package's release history read from the packument's `time` field: when each version was
// published, oldest first. `time` is attacker-controlled JSON and some mirrors rewrite or drop it,
// so every value is checked and the history is capped; rules read what they get and never guess
// a time that is missing.
import semver from 'semver'
import type { Packument } from '../../../types.js'

/** Histories longer than this are cut (oldest kept): enough for any real package's pattern. */
export const MAX_RELEASES = 20_000

export interface Release {
  version: string
  /** Publish time, ms since the epoch. */
  at: number
}

const NOT_VERSIONS = new Set(['created', 'modified', 'unpublished'])

/** Valid-semver versions with a parseable time, oldest first. */
export function releaseTimeline(packument: Packument | undefined): Release[] {
  const time = timeField(packument)
  if (!time) return []
  const releases: Release[] = []
  for (const [version, value] of Object.entries(time)) {
    if (releases.length >= MAX_RELEASES) break
    if (NOT_VERSIONS.has(version) || !semver.valid(version)) continue
    const at = parseTime(value)
    if (at !== undefined) releases.push({ version, at })
  }
  return releases.sort((a, b) => a.at - b.at)
}

/** `time[version]` as ms since the epoch. */
export function publishedAt(packument: Packument | undefined, version: string): number | undefined {
  const time = timeField(packument)
  return time && Object.hasOwn(time, version) ? parseTime(time[version]) : undefined
}

/** `time.created`, or the earliest version's time when `created` is missing. */
export function firstPublishedAt(packument: Packument | undefined): number | undefined {
  const created = parseTime(timeField(packument)?.created)
  if (created !== undefined) return created
  return releaseTimeline(packument)[0]?.at
}

/** How many versions the package ever had: served ones, or timed ones if more (unpublished). */
export function versionCount(packument: Packument | undefined): number {
  if (!packument) return 0
  const served = isRecord(packument.versions) ? Object.keys(packument.versions).length : 0
  return Math.max(served, releaseTimeline(packument).length)
}

function timeField(packument: Packument | undefined): Record<string, unknown> | undefined {
  const time: unknown = packument?.time
  return isRecord(time) ? time : undefined
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined
  const at = Date.parse(value)
  return Number.isFinite(at) ? at : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS

/** How settled a package looks from its history: typosquats and hijacks rarely look settled. */
export interface Maturity {
  /** ms since the first publish, clamped at 0 (a mirror may report times after `now`). */
  ageMs?: number
  versions: number
}

export function maturityOf(packument: Packument | undefined, now: Date): Maturity {
  const first = firstPublishedAt(packument)
  const versions = versionCount(packument)
  if (first === undefined) return { versions }
  return { ageMs: Math.max(0, now.getTime() - first), versions }
}

/** Published for over a year with at least ten versions. */
export function isEstablished(maturity: Maturity): boolean {
  return (maturity.ageMs ?? 0) > 365 * DAY_MS && maturity.versions >= 10
}

/** First published less than 90 days ago, or at most five versions. */
export function isYoungOrSparse(maturity: Maturity): boolean {
  return (maturity.ageMs !== undefined && maturity.ageMs < 90 * DAY_MS) || maturity.versions <= 5
}
