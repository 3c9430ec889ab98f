// lockfileVersion 1 (npm 5 and 6): `dependencies` keyed by installed name, each entry may nest
// its own `dependencies`, which npm installs under `<parent>/node_modules/`.
import type { Node } from 'jsonc-parser'
import type { LockedPackage } from '../types.js'
import {
  checkName,
  checkVersion,
  entryError,
  optionalFields,
  readEntry,
  requiredString,
  type Entry
} from './entry-fields.js'
import { objectProperties, quote, type JsonDocument } from './json-tree.js'
import { classifySource } from './source-kind.js'

// Real trees are a few levels deep; a bound keeps a crafted file from exhausting the stack.
const MAX_DEPTH = 200
const ALIAS_PREFIX = 'npm:'

export function readLegacyDependencies(doc: JsonDocument, node: Node | undefined): LockedPackage[] {
  const packages: LockedPackage[] = []
  if (node) walk(doc, node, 'node_modules/', 0, packages)
  return packages
}

function walk(doc: JsonDocument, node: Node, prefix: string, depth: number, out: LockedPackage[]) {
  for (const [installed, { key, value }] of objectProperties(doc, node, '"dependencies"')) {
    const path = `${prefix}${installed}`
    const entry = readEntry(doc, key, value, `entry ${quote(path)}`)
    if (depth >= MAX_DEPTH) throw entryError(entry, 'is nested too deeply')
    const locked = readLegacyEntry(entry, installed, path)
    if (locked) out.push(locked)
    const nested = entry.fields.get('dependencies')?.value
    if (nested) walk(doc, nested, `${path}/node_modules/`, depth + 1, out)
  }
}

/** One v1 entry, or undefined for a local folder dependency (`file:../lib`, a symlink). */
function readLegacyEntry(entry: Entry, installed: string, path: string): LockedPackage | undefined {
  checkName(entry, installed)
  const { name, version } = resolveAlias(entry, installed, requiredString(entry, 'version'))
  const fields = optionalFields(entry)
  const source = classifySource(name, version, fields.resolved)
  if (source === 'file' && isLocalFolder(version)) return undefined
  return {
    name,
    version: checkVersion(entry, version, source),
    path,
    ...(name !== installed ? { alias: installed } : {}),
    ...fields,
    line: entry.doc.lineOf(entry.key.offset),
    source
  }
}

/** `"version": "npm:string-width@4.2.3"` installed as `sw-cjs`: the real name and version. */
function resolveAlias(entry: Entry, installed: string, version: string) {
  if (!version.startsWith(ALIAS_PREFIX)) return { name: installed, version }
  const target = version.slice(ALIAS_PREFIX.length)
  const at = target.lastIndexOf('@')
  if (at <= 0) throw entryError(entry, `has a malformed alias ${quote(version)}`)
  return { name: checkName(entry, target.slice(0, at)), version: target.slice(at + 1) }
}

/** npm 6 links `file:` folders and copies `file:` tarballs; only tarballs are third-party code. */
function isLocalFolder(spec: string): boolean {
  return !/\.(?:tgz|tar\.gz|tar)$/i.test(spec)
}
