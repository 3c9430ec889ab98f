// The verdict folder: one small JSON file per key, named by the key. Written atomically (a
// temporary file renamed in place), read defensively (an entry that does not parse or does not
// have the expected shape counts as absent: the package is then analysed again), and bounded in
// total size by removing the least recently used entries.
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isSeverity, type Evidence, type Finding } from '../types.js'
import { CACHE_FORMAT } from './keys.js'

/** A finding as cached: where it points and what it is about come from the change on a hit. */
export type StoredFinding = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'evidence'>

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024
/** Larger than any real entry (findings and evidence are clipped): anything bigger is junk. */
const MAX_ENTRY_BYTES = 1024 * 1024
const KEY = /^[0-9a-f]{64}$/
const ENTRY_FILE = /^[0-9a-f]{64}\.json$/
/** Temporary files left by a run that died mid-write are removed after this long. */
const STALE_TEMP_MS = 60 * 60 * 1000

interface StoredEntry {
  format: number
  key: string
  findings: StoredFinding[]
}

/** The findings stored under `key`, or undefined when absent, corrupted or of another format. */
export async function readEntry(dir: string, key: string): Promise<StoredFinding[] | undefined> {
  if (!KEY.test(key)) return undefined
  const path = join(dir, `${key}.json`)
  try {
    const info = await stat(path)
    if (!info.isFile() || info.size > MAX_ENTRY_BYTES) return undefined
    const entry = JSON.parse(await readFile(path, 'utf8')) as unknown
    if (!isEntry(entry, key)) return undefined
    // a hit makes the entry recent again, so that eviction removes what nobody reads
    const now = new Date()
    await utimes(path, now, now).catch(() => undefined)
    return entry.findings
  } catch {
    return undefined
  }
}

export async function writeEntry(
  dir: string,
  key: string,
  findings: StoredFinding[]
): Promise<void> {
  if (!KEY.test(key)) throw new Error(`not a verdict key: ${key.slice(0, 80)}`)
  await mkdir(dir, { recursive: true })
  const entry: StoredEntry = { format: CACHE_FORMAT, key, findings }
  const temp = join(dir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temp, JSON.stringify(entry))
    await rename(temp, join(dir, `${key}.json`))
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

/**
 * Removes the least recently used entries until the folder holds at most `maxBytes`, and the
 * temporary files of interrupted writes. Returns how many entries were removed.
 */
export async function evictEntries(dir: string, maxBytes: number): Promise<number> {
  const entries = await listEntries(dir)
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs)
  let total = 0
  let removed = 0
  for (const entry of entries) {
    total += entry.size
    const staleTemp = entry.temp && Date.now() - entry.mtimeMs > STALE_TEMP_MS
    if (staleTemp || (!entry.temp && total > maxBytes)) {
      await rm(join(dir, entry.name), { force: true })
      if (!entry.temp) removed += 1
    }
  }
  return removed
}

interface Listed {
  name: string
  size: number
  mtimeMs: number
  temp: boolean
}

async function listEntries(dir: string): Promise<Listed[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const listed: Listed[] = []
  for (const name of names) {
    const temp = name.startsWith('.') && name.endsWith('.tmp')
    if (!temp && !ENTRY_FILE.test(name)) continue
    const info = await stat(join(dir, name)).catch(() => undefined)
    if (info?.isFile()) listed.push({ name, size: info.size, mtimeMs: info.mtimeMs, temp })
  }
  return listed
}

function isEntry(value: unknown, key: string): value is StoredEntry {
  if (!value || typeof value !== 'object') return false
  const entry = value as Partial<StoredEntry>
  return (
    entry.format === CACHE_FORMAT &&
    entry.key === key &&
    Array.isArray(entry.findings) &&
    entry.findings.every(isStoredFinding)
  )
}

function isStoredFinding(value: unknown): value is StoredFinding {
  if (!value || typeof value !== 'object') return false
  const finding = value as Partial<StoredFinding>
  return (
    typeof finding.ruleId === 'string' &&
    typeof finding.severity === 'string' &&
    isSeverity(finding.severity) &&
    typeof finding.message === 'string' &&
    Array.isArray(finding.evidence) &&
    finding.evidence.every(isEvidence)
  )
}

function isEvidence(value: unknown): value is Evidence {
  if (!value || typeof value !== 'object') return false
  const { file, line, snippet } = value as Record<string, unknown>
  return (
    (file === undefined || typeof file === 'string') &&
    (line === undefined || (typeof line === 'number' && Number.isInteger(line))) &&
    (snippet === undefined || typeof snippet === 'string')
  )
}
