// OSV's version evaluation (the schema's "Evaluation" pseudocode) for npm: an explicit `versions`
// list, and `SEMVER` / `ECOSYSTEM` ranges (npm's ecosystem order is semver's, prereleases
// included) whose events `introduced` / `fixed` / `last_affected` / `limit` form a timeline.
import semver from 'semver'
import type { OsvMatch } from '../types.js'
import type { OsvAffected, OsvEvent, OsvRange } from './record.js'

export type MatchShape = OsvMatch['shape']

const ORDERED_RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM'])

/**
 * How `affected` covers `version`, or undefined when it does not. When several ways apply the
 * weakest claim wins: `all` (a range from "0" with no end, sometimes written by mistake on a
 * hijacked package) over `range` over `versions` (OSV's export enumerates the versions a range
 * covers, so a listed version may only echo a range).
 */
export function affectedShape(affected: OsvAffected, version: string): MatchShape | undefined {
  const matching = affected.ranges.filter((range) => rangeIncludes(range, version))
  if (matching.some(coversEveryVersion)) return 'all'
  if (matching.length > 0) return 'range'
  const wanted = normalize(version)
  return affected.versions.some((listed) => normalize(listed) === wanted) ? 'versions' : undefined
}

/** True for a range that starts at "0" and never ends: every version, past and future. */
export function coversEveryVersion(range: OsvRange): boolean {
  if (!ORDERED_RANGE_TYPES.has(range.type)) return false
  const startsAtZero = range.events.some((event) => event.introduced === '0')
  const ends = range.events.some(
    (event) =>
      event.fixed !== undefined ||
      event.last_affected !== undefined ||
      (event.limit !== undefined && event.limit !== '*')
  )
  return startsAtZero && !ends
}

/**
 * The schema's IncludedInRanges for one range. Bounds that are not versions are handled so that
 * a bad record never hides a match: an unreadable `introduced` opens the range from the start,
 * an unreadable `fixed`, `last_affected` or `limit` is ignored (the range stays open).
 */
export function rangeIncludes(range: OsvRange, version: string): boolean {
  if (!ORDERED_RANGE_TYPES.has(range.type)) return false
  const v = parseVersion(version)
  if (!v) return false
  if (!beforeLimits(range.events, v)) return false
  let affected = false
  for (const event of sortEvents(range.events)) {
    if (event.introduced !== undefined) {
      if (atOrAfter(v, event.introduced, true)) affected = true
    } else if (event.fixed !== undefined) {
      if (atOrAfter(v, event.fixed, false)) affected = false
    } else if (event.last_affected !== undefined) {
      if (after(v, event.last_affected)) affected = false
    }
  }
  return affected
}

/** No limit (or only "*") means no upper limit; otherwise `v` must be below one of them. */
function beforeLimits(events: OsvEvent[], v: semver.SemVer): boolean {
  const limits = events.flatMap((event) => (event.limit === undefined ? [] : [event.limit]))
  const bounded = limits.filter((limit) => !limit.includes('*') && parseVersion(limit))
  if (bounded.length === 0) return true
  return bounded.some((limit) => semver.lt(v, parseVersion(limit)!))
}

/** Events in version order ("0" first); a stable sort keeps the record's order on ties. */
function sortEvents(events: OsvEvent[]): OsvEvent[] {
  return [...events].sort((a, b) => compareBounds(eventVersion(a), eventVersion(b)))
}

function eventVersion(event: OsvEvent): string {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '0'
}

/** Orders bounds; "0" and unreadable bounds sort first, like the schema's "0". */
function compareBounds(a: string, b: string): number {
  const va = a === '0' ? undefined : parseVersion(a)
  const vb = b === '0' ? undefined : parseVersion(b)
  if (!va || !vb) return (va ? 1 : 0) - (vb ? 1 : 0)
  return semver.compare(va, vb)
}

function atOrAfter(v: semver.SemVer, bound: string, unreadableMeans: boolean): boolean {
  if (bound === '0') return true
  const parsed = parseVersion(bound)
  return parsed ? semver.gte(v, parsed) : unreadableMeans
}

function after(v: semver.SemVer, bound: string): boolean {
  const parsed = parseVersion(bound)
  return parsed ? semver.gt(v, parsed) : false
}

function parseVersion(text: string): semver.SemVer | null {
  return semver.parse(text, { loose: true })
}

function normalize(version: string): string {
  return parseVersion(version)?.version ?? version
}
