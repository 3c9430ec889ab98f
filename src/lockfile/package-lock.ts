// Parser for package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3.
// v2 and v3 list every installed folder under `packages` (keyed by path); v1 nests
// `dependencies` inside `dependencies`. Each entry keeps the 1-based line of its key, which is
// where annotations point.
import type { Node } from 'jsonc-parser'
import { GateError } from '../errors.js'
import type { LockedPackage, LockfileFormat, ParsedLockfile } from '../types.js'
import {
  checkName,
  checkVersion,
  entryError,
  optionalFields,
  readEntry,
  requiredString,
  stringField,
  flagField,
  type Entry
} from './entry-fields.js'
import { objectProperties, parseJsonDocument, quote, type JsonDocument } from './json-tree.js'
import { readLegacyDependencies } from './package-lock-v1.js'
import { classifySource } from './source-kind.js'

export const SUPPORTED_VERSIONS = [1, 2, 3]
const NODE_MODULES = 'node_modules/'

export function parsePackageLock(
  file: string,
  text: string,
  format: LockfileFormat
): ParsedLockfile {
  const doc = parseJsonDocument(file, text)
  if (doc.root.type !== 'object') {
    throw new GateError(
      'ELOCKFILE',
      `${file} is not an npm lockfile: the top level is not an object`,
      {
        file
      }
    )
  }
  const top = objectProperties(doc, doc.root, 'the top level')
  const lockfileVersion = readLockfileVersion(doc, top.get('lockfileVersion')?.value)
  const packages =
    lockfileVersion === 1
      ? readLegacyDependencies(doc, top.get('dependencies')?.value)
      : readPackages(doc, top.get('packages')?.value, lockfileVersion)
  return { path: file, format, lockfileVersion, packages }
}

function readLockfileVersion(doc: JsonDocument, node: Node | undefined): number {
  const { file } = doc
  if (!node) {
    throw new GateError(
      'ELOCKFILE',
      `${file} is not an npm lockfile: it has no "lockfileVersion"`,
      {
        file
      }
    )
  }
  const line = doc.lineOf(node.offset)
  if (node.type !== 'number') {
    throw new GateError('ELOCKFILE', `${file}: "lockfileVersion" at line ${line} is not a number`, {
      file,
      line
    })
  }
  const version = Number(node.value)
  if (!SUPPORTED_VERSIONS.includes(version)) {
    const supported = SUPPORTED_VERSIONS.join(', ')
    const message = `${file}: lockfileVersion ${version} at line ${line} is not supported (supported: ${supported})`
    throw new GateError('ELOCKFILE', message, { file, line })
  }
  return version
}

function readPackages(doc: JsonDocument, node: Node | undefined, version: number): LockedPackage[] {
  if (!node) {
    const message = `${doc.file}: lockfileVersion ${version} requires a "packages" object, and there is none`
    throw new GateError('ELOCKFILE', message, { file: doc.file })
  }
  const packages: LockedPackage[] = []
  for (const [path, { key, value }] of objectProperties(doc, node, '"packages"')) {
    const locked = readPackageEntry(readEntry(doc, key, value, `entry ${quote(path)}`), path)
    if (locked) packages.push(locked)
  }
  return packages
}

/** One `packages` entry, or undefined for the root and for local folders (links, workspaces). */
function readPackageEntry(entry: Entry, path: string): LockedPackage | undefined {
  if (path === '' || flagField(entry, 'link')) return undefined
  const folder = installedName(entry, path)
  if (folder === undefined) return undefined
  const name = checkName(entry, stringField(entry, 'name') ?? folder)
  const version = requiredString(entry, 'version')
  const fields = optionalFields(entry)
  const source = classifySource(name, version, fields.resolved)
  return {
    name,
    version: checkVersion(entry, version, source),
    path,
    ...(name !== folder ? { alias: folder } : {}),
    ...fields,
    line: entry.doc.lineOf(entry.key.offset),
    source
  }
}

/**
 * The folder name an entry is installed under: the part after the last `node_modules/`
 * (`node_modules/a/node_modules/@s/b` -> `@s/b`). A path with no `node_modules/` segment is a
 * workspace or local folder, which is the repository's own code: undefined.
 */
function installedName(entry: Entry, path: string): string | undefined {
  const at = path.lastIndexOf(NODE_MODULES)
  if (at === -1) return undefined
  if (at > 0 && path[at - 1] !== '/') throw entryError(entry, 'has a malformed path')
  return checkName(entry, path.slice(at + NODE_MODULES.length))
}
