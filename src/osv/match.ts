// Turns an OSV record into a match for one npm name@version, or nothing: withdrawn records and
// records that are not `MAL-` never match.
import type { OsvMatch } from '../types.js'
import { affectedShape, coversEveryVersion, type MatchShape } from './range.js'
import { isMaliciousId, type OsvAffected, type OsvRecord } from './record.js'

export const NPM_ECOSYSTEM = 'npm'

export function matchRecord(
  record: OsvRecord,
  name: string,
  version: string,
  source: OsvMatch['source']
): OsvMatch | undefined {
  if (!isMaliciousId(record.id) || record.withdrawn) return undefined
  const shape = weakestShape(
    npmEntriesFor(record, name).map((affected) => affectedShape(affected, version))
  )
  return shape ? toMatch(record, shape, source) : undefined
}

/**
 * The shape to report when OSV's API says the record matches but our own evaluation of its
 * details does not agree (an ordering we read differently): trust the API, describe the record.
 */
export function describeShape(record: OsvRecord, name: string): MatchShape {
  const entries = npmEntriesFor(record, name)
  if (entries.some((affected) => affected.ranges.some(coversEveryVersion))) return 'all'
  if (entries.some((affected) => affected.ranges.length > 0)) return 'range'
  return entries.some((affected) => affected.versions.length > 0) ? 'versions' : 'range'
}

export function toMatch(
  record: OsvRecord,
  shape: MatchShape,
  source: OsvMatch['source']
): OsvMatch {
  return {
    id: record.id,
    ...(record.summary ? { summary: record.summary } : {}),
    shape,
    source,
    ...(record.aliases.length > 0 ? { aliases: record.aliases } : {})
  }
}

/** The npm package names a record affects (to index a snapshot by name). */
export function npmNames(record: OsvRecord): string[] {
  const names = record.affected.filter((a) => a.ecosystem === NPM_ECOSYSTEM).map((a) => a.name)
  return [...new Set(names)]
}

function npmEntriesFor(record: OsvRecord, name: string): OsvAffected[] {
  return record.affected.filter((a) => a.ecosystem === NPM_ECOSYSTEM && a.name === name)
}

const SHAPE_WEAKNESS: MatchShape[] = ['all', 'range', 'versions']

function weakestShape(shapes: (MatchShape | undefined)[]): MatchShape | undefined {
  return SHAPE_WEAKNESS.find((shape) => shapes.includes(shape))
}
