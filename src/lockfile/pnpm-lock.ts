// Parser for pnpm-lock.yaml, lockfileVersion 5.x (pnpm 6/7), 6.0 (pnpm 8) and 9.0 (pnpm 9+).
// Every entry of `packages` becomes one LockedPackage on the line of its key; v9's `snapshots`
// (the peer-resolved copies of the same packages) only get checked against `packages`, never
// listed twice. A file may hold several YAML documents (pnpm 11 writes a document for its own
// config and package-manager dependencies before the project's): every document is read, and one
// that is not a pnpm lockfile is an error, never skipped.
//
// The YAML is read with the failsafe schema (every scalar a string): `version: 1.10` must not
// turn into the number 1.1, and pnpm's own parser never needs YAML's typed scalars.
import semver from 'semver'
import {
  isMap,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type Document,
  type YAMLError,
  type YAMLMap
} from 'yaml'
import { GateError } from '../errors.js'
import type { LockedPackage, ParsedLockfile, SourceKind } from '../types.js'
import { quote } from './json-tree.js'
import { isRegistryTarball } from './source-kind.js'

export const SUPPORTED_PNPM_VERSIONS = ['5.0', '5.1', '5.2', '5.3', '5.4', '6.0', '9.0']

const MAX_NAME_LENGTH = 214
const MAX_SPEC_LENGTH = 2048
const NAME_SHAPE = /^(?:@[^\s/@]+\/)?[^\s/@.][^\s/@]*$/
const CONTROL_CHAR = /\p{Cc}/u
const DEPENDENCY_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies']

/** A YAML node as the parser hands it out; narrowed with isMap / isScalar before use. */
type YamlNode = unknown
type Fields = Map<string, { key: YamlNode; value: YamlNode }>

interface Context {
  file: string
  lines: LineCounter
  /** Major format: 5 (`/name/1.0.0`), 6 (`/name@1.0.0`) or 9 (`name@1.0.0`). */
  major: 5 | 6 | 9
  /** Added to the path of entries outside the project's own document. */
  pathSuffix: string
  /** v5/v6: which dependency name points at a packages key (for nameless git entries). */
  referencedAs?: Map<string, string>
  root: YamlNode
  top: Fields
}

interface Entry {
  ctx: Context
  key: string
  keyNode: YamlNode
  fields: Fields
}

export function parsePnpmLock(path: string, text: string): ParsedLockfile {
  const file = path.replaceAll('\\', '/')
  const lines = new LineCounter()
  const documents = lockfileDocuments(file, parseYaml(file, text, lines), lines)
  // pnpm writes the project's own document last; entries of the others keep a distinct path.
  const read = documents.map(({ root, index }, position) => {
    const pathSuffix = position === documents.length - 1 ? '' : ` (document ${index})`
    return readDocument(file, lines, root, pathSuffix)
  })
  const lockfileVersion = read[read.length - 1].lockfileVersion
  const packages = read.flatMap((document) => document.packages)
  return { path: file, format: 'pnpm-lock', lockfileVersion, packages }
}

// ---- YAML ----

function parseYaml(file: string, text: string, lines: LineCounter): Document[] {
  if (text.trim() === '') throw new GateError('ELOCKFILE', `${file} is empty`, { file })
  let documents: Document[]
  try {
    const parsed = parseAllDocuments(text, {
      lineCounter: lines,
      schema: 'failsafe',
      // yaml's own check is quadratic in a map's size (1,000s of entries); mapFields checks instead.
      uniqueKeys: false,
      prettyErrors: true
    })
    documents = Array.isArray(parsed) ? parsed : []
  } catch (error) {
    // Absurd nesting overflows the parser's recursion: a bad lockfile, not a crash.
    if (!(error instanceof RangeError)) throw error
    throw new GateError('ELOCKFILE', `${file} is nested too deeply to be a lockfile`, { file })
  }
  for (const document of documents) {
    const problem = document.errors[0] ?? document.warnings[0]
    if (problem) throw invalidYaml(file, problem)
  }
  return documents
}

function invalidYaml(file: string, problem: YAMLError): GateError {
  const position = problem.linePos?.[0]
  const summary = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  const where = position ? ` at line ${position.line} column ${position.col}` : ''
  const message = `${file} is not valid YAML: ${summary.slice(0, 200)} (${problem.code})${where}`
  return new GateError('ELOCKFILE', message, { file, ...(position ? { line: position.line } : {}) })
}

/** The documents that are pnpm lockfiles; an empty document (a stray `---`) holds nothing. */
function lockfileDocuments(file: string, documents: Document[], lines: LineCounter) {
  const roots: { root: YamlNode; index: number }[] = []
  documents.forEach((document, index) => {
    const root = document.contents
    if (root === null || (isScalar(root) && (root.value ?? '') === '')) return
    if (!isMap(root) || !root.has('lockfileVersion')) {
      const line = lineOf(lines, root)
      const what = isMap(root) ? 'a map without "lockfileVersion"' : 'not a map'
      const message = `${file}: YAML document ${index + 1} at line ${line} is not a pnpm lockfile (${what})`
      throw new GateError('ELOCKFILE', message, { file, line })
    }
    roots.push({ root, index: index + 1 })
  })
  if (roots.length === 0) {
    throw new GateError('ELOCKFILE', `${file} is not a pnpm lockfile: it has no content`, { file })
  }
  return roots
}

function lineOf(lines: LineCounter, node: YamlNode): number {
  const range = (node as { range?: [number, number, number] | null }).range
  return range ? lines.linePos(range[0]).line : 1
}

// ---- one document ----

function readDocument(file: string, lines: LineCounter, root: YamlNode, pathSuffix: string) {
  const bare: Context = { file, lines, major: 9, pathSuffix, root, top: new Map() }
  const top = mapFields(bare, root, 'the top level')
  const { version, major } = readVersion(bare, top.get('lockfileVersion'))
  const ctx: Context = { ...bare, major, top }
  const packagesNode = present(top.get('packages')?.value)
  const packages = packagesNode ? readPackages(ctx, packagesNode) : []
  if (major === 9) checkSnapshots(ctx, top.get('snapshots')?.value, packagesNode)
  return { lockfileVersion: Number(version), packages }
}

/** `packages:` with nothing after it is an empty section. */
function present(node: YamlNode): YamlNode | undefined {
  if (node === undefined || node === null) return undefined
  return isScalar(node) && node.value === '' ? undefined : node
}

function readVersion(ctx: Context, field: { key: YamlNode; value: YamlNode } | undefined) {
  const value = field?.value
  const line = lineOf(ctx.lines, field?.key ?? null)
  if (!isScalar(value) || typeof value.value !== 'string') {
    throw docError(ctx, line, '"lockfileVersion" is not a version number')
  }
  const version = value.value
  if (!SUPPORTED_PNPM_VERSIONS.includes(version)) {
    const supported = SUPPORTED_PNPM_VERSIONS.join(', ')
    const problem = `pnpm lockfileVersion ${quote(version)} is not supported (supported: ${supported})`
    throw docError(ctx, line, problem)
  }
  const major = version.startsWith('5.') ? 5 : version.startsWith('6.') ? 6 : 9
  return { version, major: major as 5 | 6 | 9 }
}

function docError(ctx: Context, line: number, problem: string): GateError {
  return new GateError('ELOCKFILE', `${ctx.file}: ${problem} at line ${line}`, {
    file: ctx.file,
    line
  })
}

function mapFields(ctx: Context, node: YamlNode, where: string): Fields {
  if (!isMap(node)) {
    throw docError(ctx, lineOf(ctx.lines, node), `${where} must be a map`)
  }
  const fields: Fields = new Map()
  for (const pair of node.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
      throw docError(
        ctx,
        lineOf(ctx.lines, pair.key ?? node),
        `${where} has a key that is not text`
      )
    }
    const first = fields.get(pair.key.value)
    if (first) throw duplicateKey(ctx, pair.key.value, where, first.key, pair.key)
    fields.set(pair.key.value, { key: pair.key, value: pair.value })
  }
  return fields
}

/**
 * pnpm (js-yaml) refuses a duplicated key; a parser that kept the last one would let a reviewer
 * read the first while the install uses the other.
 */
function duplicateKey(ctx: Context, name: string, where: string, first: YamlNode, again: YamlNode) {
  const line = lineOf(ctx.lines, again)
  const firstLine = lineOf(ctx.lines, first)
  const problem = `duplicate key ${quote(name)} in ${where} (first at line ${firstLine})`
  return docError(ctx, line, problem)
}

function readPackages(ctx: Context, node: YamlNode): LockedPackage[] {
  const packages: LockedPackage[] = []
  for (const [key, { key: keyNode, value }] of mapFields(ctx, node, '"packages"')) {
    const label = `entry ${quote(key)}`
    if (key.length > MAX_SPEC_LENGTH || CONTROL_CHAR.test(key)) {
      throw docError(ctx, lineOf(ctx.lines, keyNode), `${label} has an invalid key`)
    }
    const entry: Entry = { ctx, key, keyNode, fields: mapFields(ctx, value, label) }
    const locked = readPackage(entry)
    if (locked) packages.push(locked)
  }
  return packages
}

// ---- one entry ----

function entryError(entry: Entry, problem: string): GateError {
  const line = lineOf(entry.ctx.lines, entry.keyNode)
  const message = `${entry.ctx.file}: entry ${quote(entry.key)} at line ${line} ${problem}`
  return new GateError('ELOCKFILE', message, { file: entry.ctx.file, line })
}

function stringField(entry: Entry, fields: Fields, name: string): string | undefined {
  const value = fields.get(name)?.value
  if (value === undefined || value === null) return undefined
  if (!isScalar(value) || typeof value.value !== 'string') {
    throw entryError(entry, `has a "${name}" that is not a string`)
  }
  const text = value.value
  if (text.length > MAX_SPEC_LENGTH || CONTROL_CHAR.test(text)) {
    throw entryError(entry, `has an invalid "${name}": ${quote(text)}`)
  }
  return text
}

function flagField(entry: Entry, name: string): boolean {
  const text = stringField(entry, entry.fields, name)
  if (text === undefined || text === 'false') return false
  if (text !== 'true') throw entryError(entry, `has a "${name}" that is not a boolean`)
  return true
}

interface Resolution {
  kind: 'integrity' | 'tarball' | 'git' | 'directory'
  integrity?: string
  tarball?: string
  gitHosted?: boolean
  repo?: string
  commit?: string
}

function readResolution(entry: Entry): Resolution {
  const node = entry.fields.get('resolution')?.value
  if (node === undefined) throw entryError(entry, 'has no "resolution"')
  if (!isMap(node)) throw entryError(entry, 'has a "resolution" that is not a map')
  const fields = mapFields(entry.ctx, node, `entry ${quote(entry.key)} "resolution"`)
  const get = (name: string) => stringField(entry, fields, name)
  const type = get('type')
  const [integrity, tarball, repo, commit] = ['integrity', 'tarball', 'repo', 'commit'].map(get)
  if (type === 'directory') return { kind: 'directory' }
  if (type === 'git' || (type === undefined && repo !== undefined && commit !== undefined)) {
    if (!repo || !commit) throw entryError(entry, 'has a git resolution without repo or commit')
    return { kind: 'git', repo, commit }
  }
  if (type !== undefined)
    throw entryError(entry, `has an unsupported resolution type ${quote(type)}`)
  const gitHosted = get('gitHosted') === 'true'
  if (tarball) return { kind: 'tarball', tarball, gitHosted, ...(integrity ? { integrity } : {}) }
  if (integrity) return { kind: 'integrity', integrity }
  throw entryError(entry, 'has a resolution with no integrity, tarball or git commit')
}

/** One `packages` entry, or undefined for a local folder (the repository's own code). */
function readPackage(entry: Entry): LockedPackage | undefined {
  const resolution = readResolution(entry)
  if (resolution.kind === 'directory') return undefined
  const { name, spec } = nameAndSpec(entry, resolution)
  const source = sourceOf(resolution, name, registryVersion(entry, spec))
  const version = source === 'registry' ? checkedVersion(entry, spec) : otherVersion(entry, spec)
  const resolved = resolvedOf(resolution)
  return {
    name,
    version,
    path: `${entry.key}${entry.ctx.pathSuffix}`,
    ...(resolved !== undefined ? { resolved } : {}),
    ...(resolution.integrity !== undefined ? { integrity: resolution.integrity } : {}),
    ...(flagField(entry, 'dev') ? { dev: true } : {}),
    ...(flagField(entry, 'optional') ? { optional: true } : {}),
    ...(flagField(entry, 'requiresBuild') ? { hasInstallScript: true } : {}),
    line: lineOf(entry.ctx.lines, entry.keyNode),
    source
  }
}

function sourceOf(resolution: Resolution, name: string, version: string): SourceKind {
  if (resolution.kind === 'git' || resolution.gitHosted) return 'git'
  if (resolution.kind === 'integrity') return 'registry'
  const tarball = resolution.tarball ?? ''
  if (tarball.startsWith('file:')) return 'file'
  return isRegistryTarball(tarball, name, version) ? 'registry' : 'remote'
}

function resolvedOf(resolution: Resolution): string | undefined {
  if (resolution.kind === 'git') return `${resolution.repo}#${resolution.commit}`
  return resolution.tarball
}

/**
 * The package name and the version part of the key. v9 keys are always `name@spec`; v5/v6 write
 * `/name/1.0.0` and `/name@1.0.0` for registry packages, and for other sources a key such as
 * `file:vendor/x.tgz` with the name in a `name` field, or (git, v5) no name at all.
 */
function nameAndSpec(entry: Entry, resolution: Resolution): { name: string; spec: string } {
  const { key, ctx } = entry
  if (ctx.major === 9) return splitNameAtSpec(entry, key)
  const named = stringField(entry, entry.fields, 'name')
  if (named !== undefined) return { name: checkName(entry, named), spec: key }
  if (key.startsWith('/') && resolution.kind !== 'git') {
    return ctx.major === 6 ? splitNameAtSpec(entry, key.slice(1)) : splitV5Key(entry, key)
  }
  const referenced = referencedName(ctx, key)
  if (referenced === undefined) throw entryError(entry, 'has no package name')
  return { name: checkName(entry, referenced), spec: key }
}

/** `name@1.0.0(peer@2.0.0)` or `@scope/name@file:x`: the name ends at the first `@` after it starts. */
function splitNameAtSpec(entry: Entry, key: string): { name: string; spec: string } {
  const at = key.indexOf('@', 1)
  if (at === -1) throw entryError(entry, 'has a key without "@<version>"')
  return { name: checkName(entry, key.slice(0, at)), spec: key.slice(at + 1) }
}

/** `/name/1.0.0_peer@2.0.0` or `/@scope/name/1.0.0`. */
function splitV5Key(entry: Entry, key: string): { name: string; spec: string } {
  const parts = key.slice(1).split('/')
  const nameParts = parts[0].startsWith('@') ? 2 : 1
  if (parts.length !== nameParts + 1) throw entryError(entry, 'has a malformed key')
  return { name: checkName(entry, parts.slice(0, nameParts).join('/')), spec: parts[nameParts] }
}

/** The version in a spec, without the peer or patch suffix (`_peer@1` in v5, `(peer@1)` after). */
function registryVersion(entry: Entry, spec: string): string {
  const end = spec.search(entry.ctx.major === 5 ? /_/ : /\(/)
  return end === -1 ? spec : spec.slice(0, end)
}

function checkedVersion(entry: Entry, spec: string): string {
  const version = registryVersion(entry, spec)
  if (semver.valid(version) === null || version.length > 256) {
    throw entryError(entry, `has an invalid version ${quote(version)}`)
  }
  return version
}

/** A git, file or tarball entry: its `version` field when pnpm wrote one, else the spec itself. */
function otherVersion(entry: Entry, spec: string): string {
  return stringField(entry, entry.fields, 'version') ?? spec
}

function checkName(entry: Entry, name: string): string {
  if (name.length > MAX_NAME_LENGTH || !NAME_SHAPE.test(name) || CONTROL_CHAR.test(name)) {
    throw entryError(entry, `has an invalid package name ${quote(name)}`)
  }
  return name
}

// ---- v5/v6 git entries without a name: the dependency that points at them names them ----

function referencedName(ctx: Context, key: string): string | undefined {
  ctx.referencedAs ??= collectReferences(ctx)
  return ctx.referencedAs.get(key)
}

function collectReferences(ctx: Context): Map<string, string> {
  const references = new Map<string, string>()
  const holders: YamlNode[] = [ctx.root]
  for (const section of ['importers', 'packages']) {
    const node = ctx.top.get(section)?.value
    if (isMap(node)) holders.push(...node.items.map((pair) => pair.value))
  }
  for (const holder of holders) if (isMap(holder)) addReferences(holder, references)
  return references
}

/** `name: ref` (v5) or `name: { specifier, version: ref }` (v6) in each dependency group. */
function addReferences(holder: YAMLMap, references: Map<string, string>) {
  for (const group of DEPENDENCY_GROUPS) {
    const dependencies = holder.get(group, true)
    if (!isMap(dependencies)) continue
    for (const { key, value } of dependencies.items) {
      const target = isMap(value) ? value.get('version', true) : value
      const name = isScalar(key) ? key.value : undefined
      const ref = isScalar(target) ? target.value : undefined
      if (typeof name === 'string' && typeof ref === 'string') references.set(ref, name)
    }
  }
}

// ---- v9 snapshots ----

/**
 * Every snapshot must be a peer variant of a `packages` entry: pnpm installs from the snapshot
 * and takes the resolution from `packages`, so a snapshot with no entry is something we cannot
 * account for.
 */
function checkSnapshots(ctx: Context, node: YamlNode, packagesNode: YamlNode | undefined) {
  const snapshots = present(node)
  if (snapshots === undefined) return
  const known = packagesNode ? mapFields(ctx, packagesNode, '"packages"') : new Map()
  for (const [key, { key: keyNode }] of mapFields(ctx, snapshots, '"snapshots"')) {
    const at = key.indexOf('@', 1)
    const suffix = key.indexOf('(', at === -1 ? 0 : at)
    const base = suffix === -1 ? key : key.slice(0, suffix)
    if (!known.has(base)) {
      const line = lineOf(ctx.lines, keyNode)
      throw docError(ctx, line, `snapshot ${quote(key)} has no entry ${quote(base)} in "packages"`)
    }
  }
}
