// Known-malicious versions from OSV, looked up once per run for every scanned registry package,
// before any rule runs: `online` asks OSV's batch API, `offline` reads a local snapshot (folder or
// zip), `off` does nothing. Only `MAL-` records count (see `isMaliciousId`): this is about
// packages known to be malicious, not about vulnerabilities.
//
// Degraded modes are explicit: OSV unreachable or answering nonsense never fails the gate (the
// bundled feed still checks the known cases) but leaves a notice; a snapshot the user configured
// that cannot be read is an `EOSV` error, which fails it.
import { errorMessage } from '../errors.js'
import type { OsvMatch, PackageChange, RunError } from '../types.js'
import { OsvMalformed, type HttpClient } from './http.js'
import { matchRecord } from './match.js'
import {
  BATCH_SIZE,
  fetchDetails,
  keyOf,
  onlineMatch,
  queryBatches,
  type IdsByKey,
  type NameVersion
} from './online.js'
import { loadSnapshot, OsvDbError, type Snapshot } from './snapshot.js'

export interface OsvOptions {
  mode: 'online' | 'offline' | 'off'
  /** The batch query endpoint, e.g. `…/v1/querybatch`. */
  url: string
  /** Folder or `.zip` of OSV records, for `offline`. */
  db?: string
  /** Per request (default 10 s); the whole online lookup is bounded by a few times this. */
  timeoutMs?: number
  fetchImpl?: typeof fetch
}

export interface OsvLookup {
  /** `${name}@${version}` -> matching MAL- records. */
  matches: Map<string, OsvMatch[]>
  notices: string[]
  errors: RunError[]
}

export const DEFAULT_OSV_TIMEOUT_MS = 10_000
/** Requests' worth of time allowed beyond one per batch (retries, pages, record details). */
const SPARE_REQUESTS = 5
const DEGRADED = 'known-malicious versions were checked against the bundled feed only'

export async function lookupOsv(changes: PackageChange[], options: OsvOptions): Promise<OsvLookup> {
  const packages = registryPackages(changes)
  if (options.mode === 'off' || packages.length === 0) return emptyLookup()
  return options.mode === 'online'
    ? lookupOnline(packages, options)
    : lookupOffline(packages, options.db)
}

/** Registry-sourced name@version pairs, each once (git, file and link sources are not in OSV). */
function registryPackages(changes: PackageChange[]): NameVersion[] {
  const unique = new Map<string, NameVersion>()
  for (const change of changes) {
    if (change.locked.source !== 'registry') continue
    const pkg = { name: change.name, version: change.version }
    unique.set(keyOf(pkg), pkg)
  }
  return [...unique.values()]
}

function emptyLookup(): OsvLookup {
  return { matches: new Map(), notices: [], errors: [] }
}

async function lookupOnline(packages: NameVersion[], options: OsvOptions): Promise<OsvLookup> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_OSV_TIMEOUT_MS
  const batches = Math.ceil(packages.length / BATCH_SIZE)
  const http: HttpClient = {
    fetchImpl: options.fetchImpl ?? fetch,
    timeoutMs,
    deadline: Date.now() + timeoutMs * (batches + SPARE_REQUESTS)
  }
  const result = emptyLookup()
  const ids: IdsByKey = new Map()
  try {
    await queryBatches(http, options.url, packages, ids)
  } catch (error) {
    result.notices.push(unreachableNotice(error))
  }
  const wanted = [...new Set([...ids.values()].flatMap((set) => [...set]))].sort()
  const records = await fetchDetails(http, options.url, wanted)
  for (const pkg of packages) {
    const matches = [...(ids.get(keyOf(pkg)) ?? [])].flatMap(
      (id) => onlineMatch(pkg, id, records.get(id)) ?? []
    )
    if (matches.length > 0) result.matches.set(keyOf(pkg), matches)
  }
  const missing = wanted.filter((id) => records.get(id) === undefined)
  if (missing.length > 0) result.notices.push(missingDetailsNotice(missing))
  return result
}

function unreachableNotice(error: unknown): string {
  const reason = errorMessage(error).replace(/\s+/g, ' ').slice(0, 200)
  return error instanceof OsvMalformed
    ? `OSV answered with a malformed response (${reason}): ${DEGRADED}`
    : `OSV could not be reached (${reason}): ${DEGRADED}`
}

function missingDetailsNotice(ids: string[]): string {
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '')
  return (
    `the details of ${ids.length} OSV record(s) could not be fetched (${shown}): ` +
    'they are reported without summary, and withdrawn records among them cannot be told apart'
  )
}

async function lookupOffline(packages: NameVersion[], db: string | undefined): Promise<OsvLookup> {
  const result = emptyLookup()
  if (!db) {
    result.errors.push({ code: 'EOSV', message: 'osv is "offline" but no osv-db is given' })
    return result
  }
  let snapshot: Snapshot
  try {
    snapshot = await loadSnapshot(db, new Set(packages.map((pkg) => pkg.name)))
  } catch (error) {
    const message = error instanceof OsvDbError ? error.message : errorMessage(error)
    result.errors.push({ code: 'EOSV', message })
    return result
  }
  for (const pkg of packages) {
    const records = snapshot.byName.get(pkg.name) ?? []
    const matches = records.flatMap((r) => matchRecord(r, pkg.name, pkg.version, 'offline') ?? [])
    if (matches.length > 0) result.matches.set(keyOf(pkg), uniqueById(matches))
  }
  result.notices.push(...snapshotNotices(db, snapshot))
  return result
}

function uniqueById(matches: OsvMatch[]): OsvMatch[] {
  return [...new Map(matches.map((match) => [match.id, match])).values()]
}

function snapshotNotices(db: string, snapshot: Snapshot): string[] {
  const notices: string[] = []
  if (snapshot.records === 0) {
    notices.push(`the OSV database ${db} holds no OSV records: ${DEGRADED}`)
  }
  if (snapshot.skipped > 0) {
    notices.push(
      `${snapshot.skipped} file(s) in the OSV database ${db} were skipped: not OSV JSON or too large`
    )
  }
  if (snapshot.capped) {
    notices.push(`the OSV database ${db} was read only in part: it holds too many files`)
  }
  return notices
}
