// Parser for bun.lock, bun's text lockfile (bun >= 1.2; lockfileVersion 0, 1 and 2). It is JSONC
// (bun writes trailing commas and accepts comments). `packages` maps an install path (`debug/ms`,
// an alias such as `sw-cjs`) to a tuple whose shape depends on the source:
//   registry   ["name@1.0.0", "<registry or tarball URL, empty for the default>", {info}, "sha512-…"]
//   tarball    ["name@https://host/x.tgz" | "name@./x.tgz", {info}, "sha512-…"]
//   git        ["name@git+https://…#<commit>" | "name@github:o/r#<commit>", {info}, "<bun tag>"]
//   folder     ["name@file:path", {info}]       link ["name@link:name", {info}]
//   workspace  ["name@workspace:path"]          root ["name@root:", {info}]
// Folders, links, workspaces and the root are the repository's own code and are not listed, as in
// the npm parser. bun.lockb, the binary format before it, is refused with a way out.
import type { Node, ParseError } from 'jsonc-parser'
import { parseTree, printParseErrorCode } from 'jsonc-parser'
import semver from 'semver'
import { GateError } from '../errors.js'
import type { LockedPackage, ParsedLockfile, SourceKind } from '../types.js'
import { objectProperties, quote, type JsonDocument } from './json-tree.js'
import { buildLineIndex, columnOf } from '../line-index.js'
import { classifySource } from './source-kind.js'

export const SUPPORTED_BUN_VERSIONS = [0, 1, 2]

const MAX_NAME_LENGTH = 214
const MAX_SPEC_LENGTH = 2048
const NAME_SHAPE = /^(?:@[^\s/@]+\/)?[^\s/@.][^\s/@]*$/
const CONTROL_CHAR = /\p{Cc}/u
const GIT_PREFIXES = ['git+', 'git:', 'github:', 'gitlab:', 'bitbucket:', 'gist:']
const LOCAL_PREFIXES = ['workspace:', 'file:', 'link:', 'root:']
const TARBALL_PATH = /\.(?:tgz|tar\.gz|tar)$/i

export function rejectBunLockb(path: string): never {
  const file = path.replaceAll('\\', '/')
  const message =
    `${file} is bun's binary lockfile, which lockgate cannot read or annotate. Switch to the ` +
    'text lockfile: run `bun install --save-text-lockfile` (bun >= 1.1.39; bun >= 1.2 writes ' +
    'bun.lock by default), commit the new bun.lock and delete bun.lockb'
  throw new GateError('ELOCKFILE', message, { file })
}

export function parseBunLock(path: string, text: string): ParsedLockfile {
  const doc = parseJsonc(path.replaceAll('\\', '/'), text)
  if (doc.root.type !== 'object') {
    const message = `${doc.file} is not a bun lockfile: the top level is not an object`
    throw new GateError('ELOCKFILE', message, { file: doc.file })
  }
  const top = objectProperties(doc, doc.root, 'the top level')
  const lockfileVersion = readLockfileVersion(doc, top.get('lockfileVersion'))
  const packagesNode = top.get('packages')?.value
  if (!packagesNode) {
    const message = `${doc.file}: bun lockfileVersion ${lockfileVersion} requires a "packages" object, and there is none`
    throw new GateError('ELOCKFILE', message, { file: doc.file })
  }
  const packages: LockedPackage[] = []
  for (const [key, { key: keyNode, value }] of objectProperties(doc, packagesNode, '"packages"')) {
    const locked = readEntry({ doc, key, keyNode, value })
    if (locked) packages.push(locked)
  }
  return { path: doc.file, format: 'bun-lock', lockfileVersion, packages }
}

// ---- JSONC ----

const PARSE_OPTIONS = {
  disallowComments: false,
  allowTrailingComma: true,
  allowEmptyContent: false
}

function parseJsonc(file: string, text: string): JsonDocument {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  if (body.trim() === '') throw new GateError('ELOCKFILE', `${file} is empty`, { file })
  const errors: ParseError[] = []
  let root: Node | undefined
  try {
    root = parseTree(body, errors, PARSE_OPTIONS)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    throw new GateError('ELOCKFILE', `${file} is nested too deeply to be a lockfile`, { file })
  }
  const lineOf = buildLineIndex(body)
  const error = errors[0]
  if (error) {
    const line = lineOf(error.offset)
    const what = printParseErrorCode(error.error)
    const message = `${file} is not valid JSONC: ${what} at line ${line} column ${columnOf(body, error.offset)}`
    throw new GateError('ELOCKFILE', message, { file, line })
  }
  if (!root) throw new GateError('ELOCKFILE', `${file} is not valid JSONC`, { file })
  return { file, root, lineOf }
}

function readLockfileVersion(doc: JsonDocument, field: { key: Node; value: Node } | undefined) {
  const { file } = doc
  if (!field) {
    const message = `${file} is not a bun lockfile: it has no "lockfileVersion"`
    throw new GateError('ELOCKFILE', message, { file })
  }
  const line = doc.lineOf(field.key.offset)
  const version = field.value.type === 'number' ? Number(field.value.value) : undefined
  if (version === undefined || !SUPPORTED_BUN_VERSIONS.includes(version)) {
    const seen = version ?? quote(String(field.value.value ?? field.value.type))
    const supported = SUPPORTED_BUN_VERSIONS.join(', ')
    const message = `${file}: bun lockfileVersion ${seen} at line ${line} is not supported (supported: ${supported})`
    throw new GateError('ELOCKFILE', message, { file, line })
  }
  return version
}

// ---- one entry ----

interface Entry {
  doc: JsonDocument
  key: string
  keyNode: Node
  value: Node
}

function entryError(entry: Entry, problem: string): GateError {
  const line = entry.doc.lineOf(entry.keyNode.offset)
  const message = `${entry.doc.file}: entry ${quote(entry.key)} at line ${line} ${problem}`
  return new GateError('ELOCKFILE', message, { file: entry.doc.file, line })
}

/** One `packages` entry, or undefined for the repository's own code (workspace, folder, link). */
function readEntry(entry: Entry): LockedPackage | undefined {
  if (entry.key.length > MAX_SPEC_LENGTH || CONTROL_CHAR.test(entry.key)) {
    throw entryError(entry, 'has an invalid key')
  }
  if (entry.value.type !== 'array') throw entryError(entry, 'is not an array')
  const items = entry.value.children ?? []
  const { name, spec } = splitIdent(entry, stringItem(entry, items, 0, 'package id'))
  if (LOCAL_PREFIXES.some((prefix) => spec.startsWith(prefix)) && !TARBALL_PATH.test(spec)) {
    return undefined
  }
  const installed = installedName(entry)
  const base = {
    name,
    path: entry.key,
    ...(installed !== name ? { alias: installed } : {}),
    line: entry.doc.lineOf(entry.keyNode.offset)
  }
  const kind = sourceOfSpec(spec)
  if (kind === 'registry') return { ...base, ...registryFields(entry, items, name, spec) }
  return { ...base, ...otherFields(entry, items, spec, kind) }
}

function stringItem(entry: Entry, items: Node[], index: number, what: string): string {
  const node = items[index]
  if (node?.type !== 'string') throw entryError(entry, `has no ${what} (item ${index + 1})`)
  const text = String(node.value)
  if (text.length > MAX_SPEC_LENGTH || CONTROL_CHAR.test(text)) {
    throw entryError(entry, `has an invalid ${what}: ${quote(text)}`)
  }
  return text
}

/** The tuple's length, and the metadata object just before its last item. */
function expectShape(entry: Entry, items: Node[], length: number, shape: string) {
  if (items.length !== length) {
    throw entryError(entry, `has ${items.length} items where a ${shape} entry has ${length}`)
  }
  if (items[length - 2].type !== 'object') {
    throw entryError(entry, `has no metadata object (item ${length - 1}) in a ${shape} entry`)
  }
}

/** `name@1.0.0`, `@scope/name@1.0.0`, `name@git+ssh://git@host/…`: the name ends at the first `@` after its start. */
function splitIdent(entry: Entry, ident: string): { name: string; spec: string } {
  const at = ident.indexOf('@', 1)
  if (at === -1) throw entryError(entry, `has a package id without "@<version>": ${quote(ident)}`)
  return { name: checkName(entry, ident.slice(0, at)), spec: ident.slice(at + 1) }
}

/**
 * The folder an entry is installed under: the last package of its key (`parent/@scope/child` ->
 * `@scope/child`). Every package along the path must be a valid name: the key is a path on disk.
 */
function installedName(entry: Entry): string {
  const parts = entry.key.split('/')
  let name = ''
  for (let index = 0; index < parts.length; index++) {
    const scoped = parts[index].startsWith('@')
    name = scoped ? `${parts[index]}/${parts[index + 1] ?? ''}` : parts[index]
    if (scoped) index++
    checkName(entry, name)
  }
  return name
}

function checkName(entry: Entry, name: string): string {
  if (name.length > MAX_NAME_LENGTH || !NAME_SHAPE.test(name) || CONTROL_CHAR.test(name)) {
    throw entryError(entry, `has an invalid package name ${quote(name)}`)
  }
  return name
}

function sourceOfSpec(spec: string): SourceKind {
  if (GIT_PREFIXES.some((prefix) => spec.startsWith(prefix))) return 'git'
  if (/^https?:\/\//i.test(spec)) return 'remote'
  if (spec.startsWith('file:') || /^\.{0,2}\//.test(spec)) return 'file'
  return 'registry'
}

/**
 * `["name@1.0.0", "<registry>", {info}, "sha512-…"]`. bun writes "" for the default registry and
 * otherwise the tarball URL (or the registry's base URL): kept as `resolved`, so the host checks
 * see it, and a URL without the registry's tarball shape makes the entry a remote tarball.
 */
function registryFields(entry: Entry, items: Node[], name: string, version: string) {
  expectShape(entry, items, 4, 'registry')
  if (semver.valid(version) === null || version.length > 256) {
    throw entryError(entry, `has an invalid version ${quote(version)}`)
  }
  const registry = stringItem(entry, items, 1, 'registry')
  const integrity = stringItem(entry, items, 3, 'integrity')
  const resolved = registry === '' ? undefined : tarballUrl(registry, name, version)
  return {
    version,
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== '' ? { integrity } : {}),
    source: resolved === undefined ? ('registry' as const) : classifySource(name, version, resolved)
  }
}

/** A registry base URL (`https://host/path/`) becomes the tarball URL it serves for the entry. */
function tarballUrl(registry: string, name: string, version: string): string {
  if (!registry.endsWith('/')) return registry
  const basename = name.slice(name.indexOf('/') + 1)
  return `${registry}${name}/-/${basename}-${version}.tgz`
}

/** Git (`[id, {info}, tag]`) and tarball (`[id, {info}, integrity]`) entries. */
function otherFields(entry: Entry, items: Node[], spec: string, kind: SourceKind) {
  expectShape(entry, items, 3, kind === 'git' ? 'git' : 'tarball')
  const third = stringItem(entry, items, 2, kind === 'git' ? 'git tag' : 'integrity')
  const integrity = kind === 'git' || third === '' ? undefined : third
  return {
    version: spec,
    resolved: spec,
    ...(integrity !== undefined ? { integrity } : {}),
    source: kind
  }
}
