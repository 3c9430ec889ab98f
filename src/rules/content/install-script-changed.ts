// content/install-script-changed
//
// Detects: a `preinstall`, `install` or `postinstall` script that this version adds or changes, read
// from the tarball's own package.json (what npm will run), falling back to the registry metadata.
// A root `binding.gyp` with no explicit install script counts as the script `node-gyp rebuild`,
// which npm runs implicitly, so adding one is adding an install script.
//
// Why: install scripts run with the installing user's rights before anyone calls the package. Nx
// "s1ngularity" changed `postinstall` to `node telemetry.js`, Shai-Hulud added `node bundle.js` and
// `preinstall: node setup_bun.js`, each running a file the same release added.
//
// Severity: high for an added or changed script; critical when it runs a file this version adds, or
// a file that was readable in the previous version and is now minified or obfuscated (simple
// markers: see lib/correlation/markers.ts). What that file does (spawns, reads secrets, posts to a
// collector) is judged by content/exfiltration-chain, which combines it with this script.
// For a package with no previous version to compare (added, or old metadata unreadable): medium for
// an explicit install script (many honest packages have one), low for a bare binding.gyp (a native
// addon).
//
// Known false positives: an honest change of build tooling (e.g. `node-gyp rebuild` to
// `prebuild-install || node-gyp rebuild`). Removing an install script is not reported.
import { findNodeAtLocation, parseTree, type ParseError } from 'jsonc-parser'
import type {
  Evidence,
  Finding,
  Manifest,
  PackageFile,
  PackageFiles,
  Severity
} from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import { looksObfuscated } from '../lib/correlation/markers.js'

const meta: RuleMeta = {
  id: 'content/install-script-changed',
  title: 'Install script added or changed',
  description:
    'This version adds or changes a script that npm runs on install (preinstall, install, ' +
    'postinstall, or an implicit node-gyp build): code that runs before anyone uses the package.',
  defaultSeverity: 'high',
  version: 1
}

const INSTALL_KEYS = ['preinstall', 'install', 'postinstall'] as const
type InstallKey = (typeof INSTALL_KEYS)[number]
const IMPLICIT_GYP = 'node-gyp rebuild'
const MAX_PACKAGE_JSON = 1024 * 1024
/** A file a script runs: `node telemetry.js`, `sh ./setup.sh`, `rundll32 lib/x.dll,Entry`. */
const SCRIPT_FILE =
  /^(?:\.\/)?([\w@./-]{1,200}\.(?:js|cjs|mjs|ts|sh|py|exe|dll|bat|cmd|ps1|node))$/i

interface InstallScript {
  key: InstallKey
  command: string
  /** True for the `node-gyp rebuild` npm runs because of a root binding.gyp. */
  implicit: boolean
  /** 1-based line of the key in package.json, when the tarball's package.json was read. */
  line?: number
}

function check(ctx: RuleContext): Finding[] {
  const current = installScripts(ctx.files, ctx.manifest)
  const previous = ctx.change.previous
    ? installScripts(ctx.previousFiles, ctx.previousManifest)
    : undefined
  const findings: Finding[] = []
  for (const script of current ?? []) {
    const before = previous?.find((old) => old.key === script.key)
    if (before && before.command === script.command) continue
    findings.push(findingFor(ctx, script, previous, before))
  }
  return findings
}

function findingFor(
  ctx: RuleContext,
  script: InstallScript,
  previous: InstallScript[] | undefined,
  before: InstallScript | undefined
): Finding {
  const evidence: Evidence = script.implicit
    ? { file: 'binding.gyp', line: 1, snippet: `implicit ${script.key}: ${IMPLICIT_GYP}` }
    : {
        file: 'package.json',
        ...(script.line ? { line: script.line } : {}),
        snippet: `"${script.key}": ${JSON.stringify(script.command)}`
      }
  const hasBaseline = previous !== undefined
  const runs = hasBaseline ? newFileRun(ctx, script.command) : undefined
  const runsText = runs ? `, which runs ${runs.path}, ${RUN_REASONS[runs.reason]}` : ''
  const message = describe(script, hasBaseline, before) + runsText + '.'
  return makeFinding(ctx, meta, message, [evidence], severityOf(script, hasBaseline, runs))
}

function describe(script: InstallScript, hasBaseline: boolean, before?: InstallScript): string {
  const command = JSON.stringify(script.command)
  if (script.implicit) {
    const subject = hasBaseline
      ? 'This version adds a binding.gyp'
      : 'The package has a binding.gyp'
    return `${subject}, so npm runs ${command} on install`
  }
  if (!hasBaseline) return `The package has a ${script.key} script: ${command}`
  if (!before) return `This version adds a ${script.key} script: ${command}`
  const old = JSON.stringify(before.command)
  return `This version changes the ${script.key} script from ${old} to ${command}`
}

function severityOf(script: InstallScript, hasBaseline: boolean, runs?: FileRun): Severity {
  if (!hasBaseline) return script.implicit ? 'low' : 'medium'
  return runs ? 'critical' : 'high'
}

interface FileRun {
  path: string
  reason: 'added' | 'obfuscated'
}

const RUN_REASONS: Record<FileRun['reason'], string> = {
  added: 'a file this version adds',
  obfuscated: 'a file this version turns minified or obfuscated'
}

/**
 * The first file the command runs that this version adds, or that was readable before and is now
 * minified or obfuscated (`_0x` names, string-array rotation, dense escapes: see
 * correlation/markers.ts). Either way, code nobody reviewed runs at install.
 */
function newFileRun(ctx: RuleContext, command: string): FileRun | undefined {
  if (!ctx.files || !ctx.previousFiles) return undefined
  for (const token of command.split(/[\s;&|()<>"'=,]+/)) {
    const path = SCRIPT_FILE.exec(token)?.[1]?.replace(/^(?:\.\/)+/, '')
    const file = path ? ctx.files.files.get(path) : undefined
    if (!path || !file) continue
    const before = ctx.previousFiles.files.get(path)
    if (!before) return { path, reason: 'added' }
    if (becameObfuscated(before, file)) return { path, reason: 'obfuscated' }
  }
  return undefined
}

function becameObfuscated(before: PackageFile, after: PackageFile): boolean {
  if (before.sha256 !== undefined && before.sha256 === after.sha256) return false
  if (after.text === undefined || before.text === undefined) return false
  return looksObfuscated(after.text) && !looksObfuscated(before.text)
}

/**
 * The install scripts a version runs, or undefined when neither its package.json nor its metadata
 * could be read (unknown, which is not the same as "none").
 */
function installScripts(files: PackageFiles | undefined, manifest: Manifest | undefined) {
  const fromTarball = scriptsFromPackageJson(files?.files.get('package.json')?.text)
  const declared = fromTarball ?? scriptsFromManifest(manifest)
  if (!declared) return undefined
  const hasGyp = files ? files.files.has('binding.gyp') : manifest?.gypfile === true
  const explicit = declared.some(
    (script) => script.key === 'install' || script.key === 'preinstall'
  )
  if (hasGyp && !explicit && manifest?.gypfile !== false) {
    declared.push({ key: 'install', command: IMPLICIT_GYP, implicit: true })
  }
  return declared
}

function scriptsFromPackageJson(text: string | undefined): InstallScript[] | undefined {
  if (text === undefined || text.length > MAX_PACKAGE_JSON) return undefined
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { disallowComments: true })
  if (!root || errors.length > 0 || root.type !== 'object') return undefined
  const scripts: InstallScript[] = []
  for (const key of INSTALL_KEYS) {
    const node = findNodeAtLocation(root, ['scripts', key])
    if (node?.type !== 'string' || typeof node.value !== 'string') continue
    const keyOffset = node.parent?.offset ?? node.offset
    scripts.push({ key, command: node.value, implicit: false, line: lineAt(text, keyOffset) })
  }
  return scripts
}

function scriptsFromManifest(manifest: Manifest | undefined): InstallScript[] | undefined {
  if (!manifest) return undefined
  const scripts = manifest.scripts ?? {}
  return INSTALL_KEYS.flatMap((key) => {
    const command = scripts[key]
    return typeof command === 'string' ? [{ key, command, implicit: false }] : []
  })
}

function lineAt(text: string, offset: number): number {
  let line = 1
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++
  }
  return line
}

export const rule: Rule = { meta, check }
