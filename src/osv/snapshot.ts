// Offline OSV: a local snapshot of records, either a folder (the layout of ossf/malicious-packages,
// `osv/malicious/npm/<name>/MAL-….json`) or a zip (OSV's per-ecosystem export `npm/all.zip`, flat
// `<ID>.json` files, read in memory and never extracted). Only records for the names being scanned
// are kept, so memory stays small however large the snapshot.
import type { Dirent } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import { MAX_RECORD_BYTES, MAX_SNAPSHOT_FILES, MAX_ZIP_BYTES } from './limits.js'
import { npmNames } from './match.js'
import { isMaliciousId, parseRecord, type OsvRecord } from './record.js'
import { readZipTexts } from './zip.js'

/** Folder depth walked, at most (`osv/malicious/npm/@scope/name/` is 5 deep). */
const MAX_DEPTH = 16
const READ_CONCURRENCY = 32

/** The user configured the snapshot: a path that cannot be read fails the gate. */
export class OsvDbError extends Error {
  readonly code = 'EOSV'
}

export interface Snapshot {
  /** MAL- records, not withdrawn, by npm package name (only the names asked for). */
  byName: Map<string, OsvRecord[]>
  /** Files read as records. */
  records: number
  /** Files that were not valid OSV JSON or over the size cap. */
  skipped: number
  /** True when the file cap stopped the reading early. */
  capped: boolean
}

export async function loadSnapshot(db: string, names: ReadonlySet<string>): Promise<Snapshot> {
  const info = await stat(db).catch((error: unknown) => {
    throw new OsvDbError(`the OSV database ${db} cannot be read: ${errorMessage(error)}`)
  })
  const snapshot: Snapshot = { byName: new Map(), records: 0, skipped: 0, capped: false }
  const add = (text: string | undefined) => addRecordText(snapshot, names, text)
  try {
    if (info.isDirectory()) await readFolder(db, snapshot, add)
    else if (info.isFile() && /\.zip$/i.test(db))
      snapshot.capped = !readZipTexts(await readZip(db, info.size), add)
    else throw new Error('it is neither a folder nor a .zip file')
  } catch (error) {
    if (error instanceof OsvDbError) throw error
    throw new OsvDbError(`the OSV database ${db} cannot be read: ${errorMessage(error)}`)
  }
  return snapshot
}

/** Parses one file's text (undefined: too large) and files the record under the wanted names. */
function addRecordText(snapshot: Snapshot, names: ReadonlySet<string>, text?: string): void {
  const record = text === undefined ? undefined : parseJsonRecord(text)
  if (!record) {
    snapshot.skipped += 1
    return
  }
  snapshot.records += 1
  if (!isMaliciousId(record.id) || record.withdrawn) return
  for (const name of npmNames(record)) {
    if (!names.has(name)) continue
    const list = snapshot.byName.get(name) ?? []
    list.push(record)
    snapshot.byName.set(name, list)
  }
}

function parseJsonRecord(text: string): OsvRecord | undefined {
  try {
    return parseRecord(JSON.parse(text))
  } catch {
    return undefined
  }
}

async function readZip(path: string, size: number): Promise<Uint8Array> {
  if (size > MAX_ZIP_BYTES) {
    throw new OsvDbError(`the OSV database ${path} is over ${MAX_ZIP_BYTES / 2 ** 20} MiB`)
  }
  return new Uint8Array(await readFile(path))
}

async function readFolder(
  root: string,
  snapshot: Snapshot,
  add: (text: string | undefined) => void
): Promise<void> {
  let batch: string[] = []
  let seen = 0
  for await (const path of jsonFiles(root, 0)) {
    if (++seen > MAX_SNAPSHOT_FILES) {
      snapshot.capped = true
      break
    }
    batch.push(path)
    if (batch.length >= READ_CONCURRENCY) {
      ;(await Promise.all(batch.map(readBounded))).forEach(add)
      batch = []
    }
  }
  ;(await Promise.all(batch.map(readBounded))).forEach(add)
}

/** `*.json` files under `dir`, depth-first; symbolic links and hidden entries (`.git`) are not
 *  followed. */
async function* jsonFiles(dir: string, depth: number): AsyncGenerator<string> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory() && depth < MAX_DEPTH) yield* jsonFiles(path, depth + 1)
    else if (entry.isFile() && entry.name.endsWith('.json')) yield path
  }
}

async function readBounded(path: string): Promise<string | undefined> {
  const info = await stat(path)
  if (info.size > MAX_RECORD_BYTES) return undefined
  return readFile(path, 'utf8')
}
