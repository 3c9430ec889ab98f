// Reads the few package.json fields the blob and dependency rules need, from the tarball's own
// package.json (what npm installs and runs) with the registry metadata as a fallback. Bounded:
// an oversized or broken package.json counts as unreadable, never as "empty".
import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser'
import type { Manifest, PackageFiles } from '../../../types.js'

const MAX_PACKAGE_JSON = 1024 * 1024
export const INSTALL_KEYS = ['preinstall', 'install', 'postinstall'] as const

export interface PackageJson {
  /** The parsed object: untrusted, every field must be type-checked before use. */
  value: Record<string, unknown>
  /** The tree with offsets, when it came from the tarball's text (for line numbers). */
  tree?: Node
  text?: string
}

/** The version's package.json: the tarball's, else the registry metadata; undefined if neither. */
export function readPackageJson(
  files: PackageFiles | undefined,
  manifest: Manifest | undefined
): PackageJson | undefined {
  const text = files?.files.get('package.json')?.text
  if (text !== undefined && text.length <= MAX_PACKAGE_JSON) {
    const errors: ParseError[] = []
    const tree = parseTree(text, errors, { disallowComments: true })
    if (tree?.type === 'object' && errors.length === 0) {
      return { value: JSON.parse(text) as Record<string, unknown>, tree, text }
    }
  }
  return manifest ? { value: manifest as Record<string, unknown> } : undefined
}

/** A string-to-string record field (`dependencies`, `scripts`), ignoring ill-typed entries. */
export function stringRecord(pkg: PackageJson | undefined, key: string): Map<string, string> {
  const result = new Map<string, string>()
  const field = pkg?.value[key]
  if (!field || typeof field !== 'object' || Array.isArray(field)) return result
  for (const [name, value] of Object.entries(field as Record<string, unknown>)) {
    if (typeof value === 'string') result.set(name, value)
  }
  return result
}

/** The commands npm runs on install (preinstall, install, postinstall). */
export function installCommands(pkg: PackageJson | undefined): string[] {
  const scripts = stringRecord(pkg, 'scripts')
  return INSTALL_KEYS.flatMap((key) => {
    const command = scripts.get(key)
    return command !== undefined ? [command] : []
  })
}

/** Files that run when the package is used: `main` and every `bin` target, normalised. */
export function entryFiles(pkg: PackageJson | undefined): string[] {
  const entries: string[] = []
  const main = pkg?.value.main
  if (typeof main === 'string') entries.push(main)
  const bin = pkg?.value.bin
  if (typeof bin === 'string') entries.push(bin)
  else entries.push(...stringRecord(pkg, 'bin').values())
  return entries.map(normalizePath)
}

/** `./dist/x.js` -> `dist/x.js`. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')
}

/** True when `command` names `path` as one of its words (`node bundle.js`, `rundll32 x.dll,Run`). */
export function commandMentions(command: string, path: string): boolean {
  const wanted = normalizePath(path)
  return command
    .split(/[\s;&|()<>"'=,]+/)
    .some((token) => token !== '' && normalizePath(token) === wanted)
}

/** True when `path` is the `main` (with or without `.js`) or a `bin` of the package. */
export function isEntryFile(pkg: PackageJson | undefined, path: string): boolean {
  return entryFiles(pkg).some((entry) => entry === path || `${entry}.js` === path)
}

/** 1-based line of the property at `location` in the tarball's package.json, when known. */
export function lineOf(pkg: PackageJson | undefined, location: string[]): number | undefined {
  if (!pkg?.tree || pkg.text === undefined) return undefined
  const node = findNodeAtLocation(pkg.tree, location)
  if (!node) return undefined
  const offset = node.parent?.offset ?? node.offset
  let line = 1
  for (let index = 0; index < offset; index++) if (pkg.text.charCodeAt(index) === 10) line++
  return line
}
