// Parser for yarn.lock, classic (v1) and berry (yarn 2+, every `__metadata.version` we know).
// The data comes from yarn's own parser (@yarnpkg/parsers `parseSyml`, which reads both
// flavours); the line of each entry comes from a scan of the top-level keys (yarn-keys.ts).
// The two must agree key for key: a duplicated key (which the data parser would silently merge),
// a key the scan cannot read, or an entry it cannot find fails the parse instead.
import { parseSyml } from '@yarnpkg/parsers'
import { GateError, errorMessage } from '../errors.js'
import type { LockedPackage, ParsedLockfile } from '../types.js'
import { quote } from './json-tree.js'
import { readBerryEntry } from './yarn-berry.js'
import { readClassicEntry } from './yarn-classic.js'
import { yarnEntryError, type YarnEntry } from './yarn-fields.js'
import { keyError, scanKeyLines, type KeyLine } from './yarn-keys.js'

/**
 * Berry lockfile versions written by yarn 2.x (4), 3.x (5, 6), 4.x (8, 9, 10); 7 only by 4.0
 * release candidates. Entries have kept the same shape across all of them; a later version may
 * not, so it fails closed until it is checked.
 */
export const BERRY_VERSIONS = { min: 4, max: 10 }
const METADATA = '__metadata'
const MAX_SPACE_RUN = 64
const LONG_SPACE_RUN = /[ \t]{65}/ // MAX_SPACE_RUN + 1
const CLASSIC_HEADER = /^#\s+yarn\s+lockfile\s+v(\d+)$/i

type Data = Record<string, unknown>
type EntryReader = (entry: YarnEntry, descriptors: string[]) => LockedPackage | undefined

export function parseYarnLock(path: string, text: string): ParsedLockfile {
  const file = path.replaceAll('\\', '/')
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  if (body.trim() === '') throw new GateError('ELOCKFILE', `${file} is empty`, { file })
  const classic = classicHeaderVersion(body)
  if (classic !== undefined && classic !== 1) {
    const message = `${file}: yarn lockfile v${classic} is not supported (supported: v1 and berry)`
    throw new GateError('ELOCKFILE', message, { file })
  }
  return classic === 1 ? parseClassic(file, body) : parseBerry(file, body)
}

function parseClassic(file: string, body: string): ParsedLockfile {
  checkSpaceRuns(file, body)
  const data = parseData(file, body)
  const located = locateEntries(file, data, scanKeyLines(file, body), true)
  const packages = readEntries(file, data, located, readClassicEntry)
  return { path: file, format: 'yarn-lock', lockfileVersion: 1, packages }
}

/** The version is checked before any entry: a future format fails on its version, not on a detail. */
function parseBerry(file: string, body: string): ParsedLockfile {
  const data = parseData(file, body)
  if (!Object.hasOwn(data, METADATA)) throw notYarnLockfile(file)
  const keys = scanKeyLines(file, body)
  const lockfileVersion = readBerryVersion(file, body, data, keys)
  const located = locateEntries(file, data, keys, false)
  const entries = located.filter(({ dataKey }) => dataKey !== METADATA)
  const packages = readEntries(file, data, entries, readBerryEntry)
  return { path: file, format: 'yarn-lock', lockfileVersion, packages }
}

function notYarnLockfile(file: string): GateError {
  const message = `${file} is not a yarn lockfile: it has neither a "# yarn lockfile v1" header nor "${METADATA}"`
  return new GateError('ELOCKFILE', message, { file })
}

/**
 * The N of a `# yarn lockfile vN` line among the leading comments, or undefined. This is the
 * test parseSyml makes to pick its classic parser, so both agree on the flavour.
 */
function classicHeaderVersion(body: string): number | undefined {
  let start = 0
  while (body.startsWith('#', start)) {
    const end = body.indexOf('\n', start)
    if (end === -1) return undefined
    const match = CLASSIC_HEADER.exec(body.slice(start, end).replace(/\r$/, ''))
    if (match) return Number(match[1])
    start = end + 1
  }
  return undefined
}

/**
 * The classic parser takes time quadratic in a run of spaces inside an unquoted value (40,000
 * spaces: about a second). Yarn indents by two per level and separates with one space, so a long
 * run is never yarn's output: refuse it before parsing.
 */
function checkSpaceRuns(file: string, body: string): void {
  const run = LONG_SPACE_RUN.exec(body)
  if (!run) return
  const line = body.slice(0, run.index).split('\n').length
  const message = `${file}: line ${line} has a run of more than ${MAX_SPACE_RUN} spaces, which yarn never writes`
  throw new GateError('ELOCKFILE', message, { file, line })
}

function parseData(file: string, body: string): Data {
  let data: unknown
  try {
    data = parseSyml(body)
  } catch (error) {
    throw parseError(file, error)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new GateError('ELOCKFILE', `${file} is not a yarn lockfile: the top level is not a map`, {
      file
    })
  }
  return data as Data
}

/** The parsers' messages quote the file (js-yaml adds a snippet): keep the first line, clipped. */
function parseError(file: string, error: unknown): GateError {
  if (error instanceof RangeError) {
    return new GateError('ELOCKFILE', `${file} is nested too deeply to be a yarn lockfile`, {
      file
    })
  }
  const line = errorLine(error)
  const reason = errorMessage(error).split('\n')[0].slice(0, 200)
  const where = line !== undefined ? ` at line ${line}` : ''
  return new GateError('ELOCKFILE', `${file} is not a valid yarn lockfile${where}: ${reason}`, {
    file,
    ...(line !== undefined ? { line } : {})
  })
}

/** peg errors carry `location.start.line` (1-based), js-yaml errors `mark.line` (0-based). */
function errorLine(error: unknown): number | undefined {
  const found = error as { location?: { start?: { line?: unknown } }; mark?: { line?: unknown } }
  const pegLine = found?.location?.start?.line
  if (typeof pegLine === 'number') return pegLine
  const yamlLine = found?.mark?.line
  return typeof yamlLine === 'number' ? yamlLine + 1 : undefined
}

/** Where to find one key's data, and its line. */
interface LocatedEntry {
  dataKey: string
  key: KeyLine
}

/**
 * Pairs every scanned key with the data parser's key for it: classic files each descriptor as
 * its own key, berry keeps a multi-descriptor key whole (one YAML string). A descriptor may
 * appear in one key only (yarn would use either entry), and the two sides must hold exactly the
 * same keys: a repeated key, merged silently by the data parser, fails here.
 */
function locateEntries(file: string, data: Data, keys: KeyLine[], classic: boolean) {
  const located: LocatedEntry[] = []
  const seen = new Map<string, number>()
  for (const key of keys) {
    if (!classic && key.items.length !== 1) {
      throw keyError(file, key.line, 'has more than one quoted key')
    }
    for (const descriptor of key.descriptors) {
      const first = seen.get(descriptor)
      if (first !== undefined) {
        throw keyError(file, key.line, `repeats ${quote(descriptor)}, already at line ${first}`)
      }
      seen.set(descriptor, key.line)
    }
    const dataKeys = classic ? key.descriptors : key.items
    const missing = dataKeys.find((dataKey) => !Object.hasOwn(data, dataKey))
    if (missing !== undefined) {
      throw keyError(file, key.line, `has a key the yarn parser did not read: ${quote(missing)}`)
    }
    located.push({ dataKey: dataKeys[0], key })
  }
  checkSameKeyCount(file, data, classic ? seen.size : located.length)
  return located
}

function checkSameKeyCount(file: string, data: Data, scanned: number): void {
  const parsed = Object.keys(data).length
  if (parsed !== scanned) {
    const message = `${file}: the yarn parser read ${parsed} keys but ${scanned} were found on top-level lines`
    throw new GateError('ELOCKFILE', message, { file })
  }
}

function readBerryVersion(file: string, body: string, data: Data, keys: KeyLine[]): number {
  const metadataKey = keys.find((key) => key.items[0] === METADATA)
  if (!metadataKey) throw notYarnLockfile(file)
  const line = versionLine(body, metadataKey.line)
  const metadata = data[METADATA] as { version?: unknown } | null
  const raw = typeof metadata === 'object' && metadata !== null ? metadata.version : undefined
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) {
    throw keyError(file, line, `has no readable ${METADATA}.version: ${quote(String(raw))}`)
  }
  const version = Number(raw)
  if (version < BERRY_VERSIONS.min || version > BERRY_VERSIONS.max) {
    const supported = `${BERRY_VERSIONS.min} to ${BERRY_VERSIONS.max}`
    const message = `${file}: yarn berry lockfile ${METADATA}.version ${version} at line ${line} is not supported (supported: ${supported})`
    throw new GateError('ELOCKFILE', message, { file, line })
  }
  return version
}

/** The `version:` line inside the `__metadata` block, or the block's own line. */
function versionLine(body: string, metadataLine: number): number {
  const lines = body.split('\n', metadataLine + 20)
  for (let index = metadataLine; index < lines.length && /^\s/.test(lines[index]); index++) {
    if (/^\s+version:/.test(lines[index])) return index + 1
  }
  return metadataLine
}

function readEntries(
  file: string,
  data: Data,
  located: LocatedEntry[],
  read: EntryReader
): LockedPackage[] {
  const packages: LockedPackage[] = []
  for (const { dataKey, key } of located) {
    const entry: YarnEntry = {
      file,
      key: key.descriptors.join(', '),
      line: key.line,
      fields: {}
    }
    const fields = data[dataKey]
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw yarnEntryError(entry, 'is not a map of fields')
    }
    const locked = read({ ...entry, fields: fields as Record<string, unknown> }, key.descriptors)
    if (locked) packages.push(locked)
  }
  return packages
}
