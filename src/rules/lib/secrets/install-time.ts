// Which files run at install time: the files named by the `preinstall`, `install` and
// `postinstall` scripts (`node telemetry.js`, `sh ./setup.sh`), plus the relative modules those
// files require directly (one hop: `setup_bun.js` requiring `./lib/payload.js`). Code that runs on
// `npm install` needs no one to call the package, which is why persistence there ranks higher.
import type { Manifest, PackageFiles } from '../../../types.js'
import type { RuleContext } from '../../types.js'
import { factsOf } from '../code/index.js'

const INSTALL_KEYS = ['preinstall', 'install', 'postinstall'] as const
const SCRIPT_FILE = /^(?:\.\/)?([\w@./-]{1,200}\.(?:js|cjs|mjs|ts|sh|py|bat|cmd|ps1))$/i
const MAX_PACKAGE_JSON = 1024 * 1024
const RESOLVE_SUFFIXES = ['', '.js', '.cjs', '.mjs', '/index.js']

/** Paths (inside the package) of the files npm runs on install, and what they require directly. */
export function installTimeFiles(ctx: Pick<RuleContext, 'files' | 'manifest'>): Set<string> {
  const files = ctx.files
  const result = new Set<string>()
  if (!files) return result
  for (const command of installCommands(files, ctx.manifest)) {
    for (const token of command.split(/[\s;&|()<>"'=,]+/)) {
      const path = SCRIPT_FILE.exec(token)?.[1]?.replace(/^(?:\.\/)+/, '')
      if (path && files.files.has(path)) result.add(path)
    }
  }
  for (const path of [...result]) {
    for (const required of relativeRequires(files, path)) result.add(required)
  }
  return result
}

function installCommands(files: PackageFiles, manifest: Manifest | undefined): string[] {
  const scripts = scriptsOf(files) ?? manifest?.scripts ?? {}
  return INSTALL_KEYS.map((key) => scripts[key]).filter(
    (command): command is string => typeof command === 'string'
  )
}

function scriptsOf(files: PackageFiles): Record<string, unknown> | undefined {
  const text = files.files.get('package.json')?.text
  if (text === undefined || text.length > MAX_PACKAGE_JSON) return undefined
  try {
    const parsed = JSON.parse(text) as { scripts?: unknown }
    const scripts = parsed.scripts
    return scripts && typeof scripts === 'object' ? (scripts as Record<string, unknown>) : {}
  } catch {
    return undefined
  }
}

function relativeRequires(files: PackageFiles, path: string): string[] {
  const file = files.files.get(path)
  const facts = file ? factsOf(file) : undefined
  if (!facts) return []
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : ''
  return facts.imports.flatMap(({ specifier }) => {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return []
    const base = normalise(folder + specifier)
    const found = RESOLVE_SUFFIXES.map((suffix) => base + suffix).find((c) => files.files.has(c))
    return found ? [found] : []
  })
}

function normalise(path: string): string {
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return parts.join('/')
}
