// The install scripts of a version (what npm runs on `npm install`), read from the tarball's own
// package.json, falling back to the registry metadata; and which of them this version introduces.
import { findNodeAtLocation, parseTree, type ParseError } from 'jsonc-parser'
import type { Manifest, PackageFiles } from '../../../types.js'
import type { RuleContext } from '../../types.js'

export const INSTALL_KEYS = ['preinstall', 'install', 'postinstall'] as const
export type InstallKey = (typeof INSTALL_KEYS)[number]

export interface InstallScript {
  key: InstallKey
  command: string
  /** 1-based line of the key in package.json, when the tarball's package.json was read. */
  line?: number
}

const MAX_PACKAGE_JSON = 1024 * 1024
const SCRIPT_FILE = /^(?:\.\/)*([\w@./-]{1,200}\.(?:js|cjs|mjs|ts|sh|bash|ps1|bat|cmd|py))$/i

type Versions = Pick<RuleContext, 'files' | 'previousFiles' | 'manifest' | 'previousManifest'>

/** Install scripts of a version; [] when unreadable (nothing to judge). */
export function installScripts(files?: PackageFiles, manifest?: Manifest): InstallScript[] {
  return (
    installScriptsFromPackageJson(files?.files.get('package.json')?.text) ?? fromManifest(manifest)
  )
}

/** Scripts added or changed by this version; every script when there is no previous version. */
export function introducedInstallScripts(ctx: Versions): InstallScript[] {
  const current = installScripts(ctx.files, ctx.manifest)
  if (!ctx.previousFiles && !ctx.previousManifest) return current
  const previous = installScripts(ctx.previousFiles, ctx.previousManifest)
  return current.filter(
    (script) => !previous.some((old) => old.key === script.key && old.command === script.command)
  )
}

/** Files of this version that an install script runs (`node setup.js` -> `setup.js`). */
export function filesRunAtInstall(ctx: Versions): Set<string> {
  const run = new Set<string>()
  for (const script of installScripts(ctx.files, ctx.manifest)) {
    for (const token of script.command.split(/[\s;&|()<>"'=,]+/)) {
      const path = SCRIPT_FILE.exec(token)?.[1]
      if (path && ctx.files?.files.has(path)) run.add(path)
    }
  }
  return run
}

/** Install scripts of a package.json text with the line of each key; undefined when unreadable. */
export function installScriptsFromPackageJson(
  text: string | undefined
): InstallScript[] | undefined {
  if (text === undefined || text.length > MAX_PACKAGE_JSON) return undefined
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { disallowComments: true })
  if (!root || errors.length > 0 || root.type !== 'object') return undefined
  const scripts: InstallScript[] = []
  for (const key of INSTALL_KEYS) {
    const node = findNodeAtLocation(root, ['scripts', key])
    if (node?.type !== 'string' || typeof node.value !== 'string') continue
    const offset = node.parent?.offset ?? node.offset
    scripts.push({ key, command: node.value, line: lineAt(text, offset) })
  }
  return scripts
}

function fromManifest(manifest: Manifest | undefined): InstallScript[] {
  const scripts = manifest?.scripts ?? {}
  return INSTALL_KEYS.flatMap((key) => {
    const command = scripts[key]
    return typeof command === 'string' ? [{ key, command }] : []
  })
}

function lineAt(text: string, offset: number): number {
  let line = 1
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++
  }
  return line
}
