// Online OSV: the batch query API (at most 1,000 queries a request, answers in the same order,
// `next_page_token` per query), then each matched MAL- record's details from `/v1/vulns/{id}`
// for its summary, aliases, the shape of its `affected` and whether it was withdrawn.
import type { OsvMatch } from '../types.js'
import { OsvMalformed, requestJson, type HttpClient } from './http.js'
import { describeShape, matchRecord, toMatch } from './match.js'
import { isMaliciousId, isObject, parseRecord, type OsvRecord } from './record.js'

export const BATCH_SIZE = 1000
/** Pages fetched per query, at most: a name@version with more MAL- records than this is absurd. */
const MAX_PAGES = 10
const DETAIL_CONCURRENCY = 8

export interface NameVersion {
  name: string
  version: string
}

interface Query extends NameVersion {
  pageToken?: string
}

/** `${name}@${version}` -> MAL- ids; filled as answers arrive, so a failure keeps what came. */
export type IdsByKey = Map<string, Set<string>>

export function keyOf({ name, version }: NameVersion): string {
  return `${name}@${version}`
}

/** Asks the batch API about every package; throws OsvUnavailable / OsvMalformed. */
export async function queryBatches(
  http: HttpClient,
  url: string,
  packages: NameVersion[],
  into: IdsByKey
): Promise<void> {
  let pending: Query[] = packages
  for (let page = 0; page < MAX_PAGES && pending.length > 0; page += 1) {
    const next: Query[] = []
    for (let start = 0; start < pending.length; start += BATCH_SIZE) {
      const chunk = pending.slice(start, start + BATCH_SIZE)
      const answer = await requestJson(http, url, { queries: chunk.map(toQuery) })
      readBatchAnswer(answer, chunk, into, next)
    }
    pending = next
  }
}

function toQuery(query: Query) {
  return {
    package: { name: query.name, ecosystem: 'npm' },
    version: query.version,
    ...(query.pageToken ? { page_token: query.pageToken } : {})
  }
}

function readBatchAnswer(answer: unknown, chunk: Query[], into: IdsByKey, next: Query[]): void {
  const results = isObject(answer) ? answer.results : undefined
  if (!Array.isArray(results) || results.length !== chunk.length) {
    throw new OsvMalformed(`expected ${chunk.length} results in the batch answer`)
  }
  results.forEach((result: unknown, index) => {
    const query = chunk[index]
    if (!isObject(result)) throw new OsvMalformed('a batch result is not an object')
    for (const id of vulnIds(result.vulns)) addId(into, keyOf(query), id)
    const token = result.next_page_token
    if (typeof token === 'string' && token !== '') next.push({ ...query, pageToken: token })
  })
}

function vulnIds(vulns: unknown): string[] {
  if (vulns === undefined) return []
  if (!Array.isArray(vulns)) throw new OsvMalformed('"vulns" is not a list')
  return vulns.map((vuln: unknown) => {
    if (!isObject(vuln) || typeof vuln.id !== 'string') throw new OsvMalformed('a vuln has no id')
    return vuln.id
  })
}

/** Only MAL- ids are kept: this lookup is about known-malicious versions, not vulnerabilities. */
function addId(into: IdsByKey, key: string, id: string): void {
  if (!isMaliciousId(id)) return
  const ids = into.get(key) ?? new Set<string>()
  ids.add(id)
  into.set(key, ids)
}

/** `GET {base}/v1/vulns/{id}`, the base taken from the batch URL (`…/v1/querybatch`). */
export function vulnUrl(batchUrl: string, id: string): string {
  const url = new URL(batchUrl)
  const prefix = url.pathname.replace(/\/querybatch\/?$/, '')
  url.pathname = `${prefix === url.pathname ? '/v1' : prefix}/vulns/${encodeURIComponent(id)}`
  url.search = ''
  return url.toString()
}

/** Records by id; an id whose details could not be had maps to undefined. */
export async function fetchDetails(
  http: HttpClient,
  batchUrl: string,
  ids: string[]
): Promise<Map<string, OsvRecord | undefined>> {
  const records = new Map<string, OsvRecord | undefined>()
  const queue = [...ids]
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      records.set(id, await fetchRecord(http, batchUrl, id))
    }
  }
  await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, ids.length) }, worker))
  return records
}

async function fetchRecord(
  http: HttpClient,
  batchUrl: string,
  id: string
): Promise<OsvRecord | undefined> {
  try {
    const record = parseRecord(await requestJson(http, vulnUrl(batchUrl, id)))
    return record?.id === id ? record : undefined
  } catch {
    // the batch answer already said it matches: the lookup reports it without details
    return undefined
  }
}

/**
 * The match for one package and one id. Without details the API's word still stands (reported as
 * a range, which keeps full severity); with details, a withdrawn record is dropped and the shape
 * is our own evaluation, or the record's description when our evaluation disagrees with OSV's.
 */
export function onlineMatch(
  pkg: NameVersion,
  id: string,
  record: OsvRecord | undefined
): OsvMatch | undefined {
  if (!record) return { id, shape: 'range', source: 'online' }
  if (record.withdrawn) return undefined
  return (
    matchRecord(record, pkg.name, pkg.version, 'online') ??
    toMatch(record, describeShape(record, pkg.name), 'online')
  )
}
