// Entry point of the parse stage: picks the parser from the lockfile's file name. Anything that
// is not a lockfile we understand is a hard error (ELOCKFILE) that names the format and version
// seen, never an empty package list: a lockfile that declares dependencies but yields no entry
// is refused too, so a format we misread can never pass as "no issues".
import { errorMessage, GateError } from '../errors.js'
import type { LockfileFormat, ParsedLockfile } from '../types.js'
import { parseBunLock, rejectBunLockb } from './bun-lock.js'
import { parsePackageLock } from './package-lock.js'
import { parsePnpmLock } from './pnpm-lock.js'
import { parseYarnLock } from './yarn-lock.js'

// Far above any real lockfile (the largest seen are a few MB); bounds memory on crafted input.
export const MAX_LOCKFILE_CHARS = 64 * 1024 * 1024

type Parser = (file: string, text: string) => ParsedLockfile

interface FormatEntry {
  format: LockfileFormat
  /** How messages name it. */
  label: string
  parse: Parser
}

const FORMATS: Record<string, FormatEntry> = {
  'package-lock.json': {
    format: 'package-lock',
    label: 'npm',
    parse: (file, text) => parsePackageLock(file, text, 'package-lock')
  },
  'npm-shrinkwrap.json': {
    format: 'npm-shrinkwrap',
    label: 'npm shrinkwrap',
    parse: (file, text) => parsePackageLock(file, text, 'npm-shrinkwrap')
  },
  'pnpm-lock.yaml': { format: 'pnpm-lock', label: 'pnpm', parse: parsePnpmLock },
  'yarn.lock': { format: 'yarn-lock', label: 'yarn', parse: parseYarnLock },
  'bun.lock': { format: 'bun-lock', label: 'bun', parse: parseBunLock },
  // bun's binary lockfile: discovered so that it fails loudly with how to switch to `bun.lock`
  'bun.lockb': { format: 'bun-lock', label: 'bun binary', parse: (file) => rejectBunLockb(file) }
}

/** File names `parseLockfile` routes, in the order they are listed to users. */
export const LOCKFILE_NAMES: readonly string[] = Object.keys(FORMATS)

export function isSupportedLockfile(path: string): boolean {
  return Object.hasOwn(FORMATS, basename(path))
}

export function parseLockfile(path: string, text: string): ParsedLockfile {
  const file = path.replaceAll('\\', '/')
  const name = basename(file)
  if (!Object.hasOwn(FORMATS, name)) {
    const supported = LOCKFILE_NAMES.join(', ')
    throw new GateError(
      'ELOCKFILE',
      `${file} is not a supported lockfile (supported: ${supported})`,
      { file }
    )
  }
  if (text.length > MAX_LOCKFILE_CHARS) {
    throw new GateError('ELOCKFILE', `${file} is larger than ${MAX_LOCKFILE_CHARS} characters`, {
      file
    })
  }
  const entry = FORMATS[name]
  const parsed = runParser(entry, file, text)
  assertNotSilentlyEmpty(parsed, text)
  return parsed
}

/** A parser bug (a TypeError on input nobody foresaw) still fails closed, as a lockfile error. */
function runParser(entry: FormatEntry, file: string, text: string): ParsedLockfile {
  try {
    return entry.parse(file, text)
  } catch (error) {
    if (error instanceof GateError) throw error
    throw new GateError(
      'ELOCKFILE',
      `${file}: this ${entry.label} lockfile could not be read: ${errorMessage(error)}`,
      { file }
    )
  }
}

function basename(path: string): string {
  const normalized = path.replaceAll('\\', '/')
  return normalized.slice(normalized.lastIndexOf('/') + 1)
}

// ---- never a pass with zero packages: each check is linear (line scan or flat regex) ----

// `"dependencies": { "x"`: a non-empty dependency object in a JSON lockfile (npm, bun).
const JSON_DEPENDENCIES =
  /"(?:dependencies|devDependencies|optionalDependencies|peerDependencies)"[ \t\r\n]*:[ \t\r\n]*\{[ \t\r\n]*"/
// `dependencies:` followed by an indented line: a non-empty block in pnpm's YAML.
const YAML_DEPENDENCIES =
  /^[ \t]*(?:dependencies|devDependencies|optionalDependencies):[ \t]*\r?\n[ \t]+[^\s#]/m
const MAX_LINES_CHECKED = 100_000

const DECLARES_DEPENDENCIES: Record<LockfileFormat, (text: string) => boolean> = {
  'package-lock': (text) => JSON_DEPENDENCIES.test(text),
  'npm-shrinkwrap': (text) => JSON_DEPENDENCIES.test(text),
  'bun-lock': (text) => JSON_DEPENDENCIES.test(text),
  'pnpm-lock': (text) => YAML_DEPENDENCIES.test(text),
  'yarn-lock': hasYarnEntry
}

/** When a parser returns no entry, the raw text is checked for declared dependencies. */
function assertNotSilentlyEmpty(parsed: ParsedLockfile, text: string): void {
  if (parsed.packages.length > 0) return
  if (!DECLARES_DEPENDENCIES[parsed.format](text)) return
  throw new GateError(
    'ELOCKFILE',
    `${parsed.path}: this ${parsed.format} file (lockfileVersion ${parsed.lockfileVersion}) ` +
      'declares dependencies, but no package entry could be read from it; refusing to pass ' +
      'a lockfile with zero packages',
    { file: parsed.path }
  )
}

/** A top-level key of a yarn.lock that is a package entry: not a comment, `__metadata` or a
 *  workspace (berry lists workspaces, which are the project itself, among its entries). */
function hasYarnEntry(text: string): boolean {
  const lines = text.split('\n', MAX_LINES_CHECKED)
  return lines.some((raw) => {
    const line = raw.trimEnd()
    if (line === '' || /^[\s#]/.test(line) || !line.endsWith(':')) return false
    return !line.startsWith('__metadata') && !line.includes('@workspace:')
  })
}
