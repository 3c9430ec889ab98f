// The parts of an OSV record (https://ossf.github.io/osv-schema/) that lockgate reads, checked
// field by field: snapshots and API answers are data from elsewhere, so nothing is trusted to have
// the documented shape.

export interface OsvEvent {
  introduced?: string
  fixed?: string
  last_affected?: string
  limit?: string
}

export interface OsvRange {
  type: string
  events: OsvEvent[]
}

export interface OsvAffected {
  ecosystem: string
  name: string
  versions: string[]
  ranges: OsvRange[]
}

export interface OsvRecord {
  id: string
  summary?: string
  aliases: string[]
  /** Withdrawn records were published by mistake: they never count. */
  withdrawn?: string
  affected: OsvAffected[]
}

/**
 * Only `MAL-` records count: this gate is about packages known to be malicious (ossf
 * malicious-packages, mirrored into OSV), not about vulnerabilities in honest packages, which
 * other tools (npm audit, Dependabot) already report.
 */
export function isMaliciousId(id: string): boolean {
  return id.startsWith('MAL-')
}

/** The record in `value`, or undefined when it lacks an id or an `affected` list. */
export function parseRecord(value: unknown): OsvRecord | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') return undefined
  if (!Array.isArray(value.affected)) return undefined
  const record: OsvRecord = {
    id: value.id,
    aliases: stringList(value.aliases),
    affected: value.affected.flatMap((entry) => parseAffected(entry) ?? [])
  }
  if (typeof value.summary === 'string') record.summary = value.summary
  if (typeof value.withdrawn === 'string' && value.withdrawn !== '') {
    record.withdrawn = value.withdrawn
  }
  return record
}

function parseAffected(value: unknown): OsvAffected | undefined {
  if (!isObject(value) || !isObject(value.package)) return undefined
  const { ecosystem, name } = value.package
  if (typeof ecosystem !== 'string' || typeof name !== 'string') return undefined
  const ranges = Array.isArray(value.ranges) ? value.ranges.flatMap((r) => parseRange(r) ?? []) : []
  return { ecosystem, name, versions: stringList(value.versions), ranges }
}

function parseRange(value: unknown): OsvRange | undefined {
  if (!isObject(value) || typeof value.type !== 'string' || !Array.isArray(value.events)) {
    return undefined
  }
  return { type: value.type, events: value.events.flatMap((e) => parseEvent(e) ?? []) }
}

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const

/** An event holds exactly one kind (the schema says so); anything else is dropped. */
function parseEvent(value: unknown): OsvEvent | undefined {
  if (!isObject(value)) return undefined
  const kinds = EVENT_KINDS.filter((kind) => typeof value[kind] === 'string')
  if (kinds.length !== 1) return undefined
  return { [kinds[0]]: value[kinds[0]] as string }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : []
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
