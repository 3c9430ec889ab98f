// content/install-script-changed
//
// Detects: a `preinstall`, `install` or `postinstall` script that this version adds or changes, read
// from the tarball's own package.json (what npm will run), falling back to the registry metadata.
// A root `binding.gyp` with no explicit install script counts as the script `node-gyp rebuild`,
// which npm runs implicitly, so adding one is adding an install script.
//
// Why: install scripts run with the installing user's rights before anyone calls the package. Nx
// "s1ngularity" changed `postinstall` to `node telemetry.js`, Shai-Hulud added `node bundle.js` and
// `preinstall: node setup_bun.js`, each running a file the same release added, and that file
// harvested secrets, spawned tools or was an obfuscated bundle.
//
// Severity, for a changed package (the calibration is explicit, each step tested):
// - critical: the script runs a file that this version adds (or moves, see below), or that was
//   readable before and now carries obfuscation markers (`_0x` names, string-array rotation,
//   dense escapes: lib/correlation/markers.ts) or is minified, AND that file shows a threat signal
//   in what it introduces: a network sink, a new host or exfiltration endpoint, a process spawn
//   other than build tools, a credential or environment read, dynamic code together with a decode,
//   obfuscation, a large minified blob, a hook on fetch/XHR/wallet APIs; or the file is itself a
//   native executable this version adds (`./setup.exe`: nothing to read). The signals are the
//   correlation layer's (lib/correlation/collect.ts, which reuses lib/secrets, lib/exec and
//   lib/blob), so "introduces" means: keys the previous version had nowhere.
// - medium: the script runs such a new file and the file shows none of those ("runs a new file:
//   read it"); or any other added or changed script that runs existing files or plain commands.
// - low: the whole command is a well-known native build step (`node-gyp rebuild`,
//   `node-gyp-build`, `node-gyp-build-optional-packages`, `prebuild-install`, `node-pre-gyp
//   install …`, `cmake-js …`, `napi-postinstall …`, joined by `||`/`&&`) and the previous version
//   already ran an install script (a change of build tooling, bcrypt's `node-pre-gyp install` to
//   `node-gyp-build`). A build step where the previous version ran nothing at install (a
//   binding.gyp added) stays medium: the package starts compiling code on every install.
// A moved file is not new: a file the previous version did not have at that path, whose content
// is the same as (sha256) or very similar to (>= 80% of its lines) a file the previous version had,
// e.g. `index.js` -> `dist/index.js`. Its introduced signals still count (code copied along with a
// payload would show them), so a move only changes the wording.
// For a package with no previous version to compare (added, or old metadata unreadable): medium for
// an explicit install script (many honest packages have one), low for a native build step or a bare
// binding.gyp. What the scripts run is judged by the other content rules and by
// content/exfiltration-chain, which combines an install script with what the file it runs does.
//
// Known false positives: a new install helper whose honest job is a new capability (downloading a
// binary: a network sink) is critical; a new helper with no threat signal is medium. Removing an
// install script is not reported.
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
import { collectSignals, type Signal } from '../lib/correlation/collect.js'
import { firstObfuscation, looksObfuscated } from '../lib/correlation/markers.js'
import { SIGNAL_LABELS, type SignalKind } from '../lib/correlation/signals.js'
import { installScriptsFromPackageJson } from '../lib/exec/install-scripts.js'
import { splitLines } from '../lib/introduced.js'
import { listSome } from '../lib/text.js'

const meta: RuleMeta = {
  id: 'content/install-script-changed',
  title: 'Install script added or changed',
  description:
    'This version adds or changes a script that npm runs on install (preinstall, install, ' +
    'postinstall, or an implicit node-gyp build): code that runs before anyone uses the package.',
  defaultSeverity: 'medium',
  version: 2
}

const INSTALL_KEYS = ['preinstall', 'install', 'postinstall'] as const
type InstallKey = (typeof INSTALL_KEYS)[number]
const IMPLICIT_GYP = 'node-gyp rebuild'
/** A file a script runs: `node telemetry.js`, `sh ./setup.sh`, `rundll32 lib/x.dll,Entry`. */
const SCRIPT_FILE =
  /^(?:\.\/)?([\w@./-]{1,200}\.(?:js|cjs|mjs|ts|sh|py|exe|dll|bat|cmd|ps1|node))$/i

/**
 * One step of a native build: a known tool, then plain arguments (no quotes, pipes, redirections
 * or substitutions). Tokens and separators are disjoint classes, so the match is linear.
 */
const BUILD_STEP =
  /^(?:node-gyp\s+(?:rebuild|build|configure|install)|node-gyp-build(?:-optional-packages)?|prebuild-install|node-pre-gyp\s+install|cmake-js|napi-postinstall)(?:\s+[\w@.,/=:+-]{1,100}){0,16}$/
const STEP_SEPARATOR = /\s*(?:\|\||&&|;)\s*/
const MAX_BUILD_COMMAND = 500

/** Spawns of these are the build fallback, not a threat (`spawn('node-gyp', ['rebuild'])`). */
const BUILD_BINARIES = new Set([
  'node-gyp',
  'node-gyp-build',
  'node-pre-gyp',
  'prebuild-install',
  'cmake-js',
  'cmake',
  'make',
  'gmake',
  'msbuild'
])

/** Kinds that make a new file run at install a threat (dynamic code only with a decode). */
const THREAT_KINDS: ReadonlySet<SignalKind> = new Set([
  'credential-read',
  'network-sink',
  'new-host',
  'exfil-host',
  'spawn',
  'obfuscation',
  'large-blob',
  'network-hook'
])
const MAX_SIGNAL_EVIDENCE = 3
/** Share of a new file's lines found in a file of the previous version for it to count as moved. */
const MOVED_SHARE = 0.8
const MAX_MOVE_CANDIDATES = 200
const MAX_COMPARED_CHARS = 1024 * 1024

interface InstallScript {
  key: InstallKey
  command: string
  /** True for the `node-gyp rebuild` npm runs because of a root binding.gyp. */
  implicit: boolean
  /** 1-based line of the key in package.json, when the tarball's package.json was read. */
  line?: number
}

/** A file the script runs that nobody has reviewed yet. */
interface FileRun {
  path: string
  reason: 'added' | 'obfuscated' | 'minified'
  /** For an added file: the previous version's file it was moved from. */
  movedFrom?: string
  /** Threat signals the file introduces. */
  threats: Threat[]
}

/** One reason a file run at install is a threat: a signal it introduces, or what it is. */
interface Threat {
  label: string
  evidence: Evidence
}

interface Judgement {
  severity: Severity
  /** Appended to the description: `, which runs …`. */
  detail: string
  evidence: Evidence[]
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
  const judgement = previous ? judgeChange(ctx, script, previous) : judgeAdded(script)
  const message = describe(script, previous !== undefined, before) + judgement.detail + '.'
  return makeFinding(ctx, meta, message, [evidence, ...judgement.evidence], judgement.severity)
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

/** No previous version: an install script is a capability, a native build is routine. */
function judgeAdded(script: InstallScript): Judgement {
  const build = script.implicit || isNativeBuild(script.command)
  return { severity: build ? 'low' : 'medium', detail: '', evidence: [] }
}

function judgeChange(
  ctx: RuleContext,
  script: InstallScript,
  previous: InstallScript[]
): Judgement {
  if (script.implicit || isNativeBuild(script.command)) {
    return previous.length > 0
      ? { severity: 'low', detail: ' (a native build step, as before)', evidence: [] }
      : { severity: 'medium', detail: ': the package now builds native code', evidence: [] }
  }
  const runs = unreviewedFilesRun(ctx, script.command)
  const threat = runs.find((run) => run.threats.length > 0)
  if (threat) {
    const kinds = [...new Set(threat.threats.map((found) => found.label))]
    const evidence = threat.threats.slice(0, MAX_SIGNAL_EVIDENCE).map((found) => found.evidence)
    const detail = `${runsText(threat)}, and that file introduces ${listSome(kinds, 4)}`
    return { severity: 'critical', detail, evidence }
  }
  const first = runs[0]
  return { severity: 'medium', detail: first ? `${runsText(first)}: read it` : '', evidence: [] }
}

function runsText(run: FileRun): string {
  const what =
    run.reason === 'obfuscated'
      ? 'a file this version turns obfuscated'
      : run.reason === 'minified'
        ? 'a file this version turns minified'
        : run.movedFrom
          ? `a file this version moves from ${run.movedFrom}`
          : 'a file this version adds'
  return `, which runs ${run.path}, ${what}`
}

/**
 * True when every step of the command is a well-known native build tool
 * (`prebuild-install || node-gyp rebuild`).
 */
export function isNativeBuild(command: string): boolean {
  const trimmed = command.trim()
  if (trimmed === '' || trimmed.length > MAX_BUILD_COMMAND) return false
  return trimmed.split(STEP_SEPARATOR).every((step) => BUILD_STEP.test(step))
}

/**
 * The files the command runs that this version adds, or that were readable in the previous
 * version and are now obfuscated or minified, each with the threat signals it introduces. The
 * signals are collected (once) only when there is such a file.
 */
function unreviewedFilesRun(ctx: RuleContext, command: string): FileRun[] {
  if (!ctx.files || !ctx.previousFiles) return []
  const runs: Omit<FileRun, 'threats'>[] = []
  for (const token of command.split(/[\s;&|()<>"'=,]+/)) {
    const path = SCRIPT_FILE.exec(token)?.[1]?.replace(/^(?:\.\/)+/, '')
    const file = path ? ctx.files.files.get(path) : undefined
    if (!path || !file || runs.some((run) => run.path === path)) continue
    const before = ctx.previousFiles.files.get(path)
    if (!before) {
      const movedFrom = originOf(file, ctx.previousFiles, ctx.files)
      runs.push({ path, reason: 'added', ...(movedFrom ? { movedFrom } : {}) })
      continue
    }
    const turned = turnedUnreadable(before, file)
    if (turned) runs.push({ path, reason: turned })
  }
  if (runs.length === 0) return []
  const signals = signalsOf(ctx)
  return runs.map((run) => ({ ...run, threats: threatsIn(run, ctx.files, signals) }))
}

const signalCache = new WeakMap<RuleContext, Signal[]>()

/** The correlation layer's signals, once per context (each install script may ask). */
function signalsOf(ctx: RuleContext): Signal[] {
  const cached = signalCache.get(ctx)
  if (cached) return cached
  const signals = collectSignals(ctx)
  signalCache.set(ctx, signals)
  return signals
}

/**
 * The threats of one file run at install: the threat signals it introduces. Two things are threats
 * by themselves: a file that turns obfuscated (markers, not mere minification: readable install
 * code replaced by code made not to be read), and a native executable this version adds and runs
 * directly (`./setup.exe`, `rundll32 x.dll`), whose code cannot be read at all.
 */
function threatsIn(
  run: Omit<FileRun, 'threats'>,
  files: PackageFiles | undefined,
  signals: Signal[]
): Threat[] {
  const own = signals.filter((signal) => signal.scope === run.path)
  const decodes = own.some((signal) => signal.kind === 'decode')
  const threats: Threat[] = own
    .filter(
      (signal) =>
        (THREAT_KINDS.has(signal.kind) && !isBuildSpawn(signal)) ||
        (signal.kind === 'dynamic-code' && decodes)
    )
    .map((signal) => ({ label: SIGNAL_LABELS[signal.kind], evidence: signal.evidence }))
  const file = files?.files.get(run.path)
  const evidence = { file: run.path, line: 1 }
  if (run.reason === 'obfuscated' && !own.some((signal) => signal.kind === 'obfuscation')) {
    threats.unshift({ label: SIGNAL_LABELS.obfuscation, evidence })
  }
  if (run.reason === 'added' && !run.movedFrom && (file?.binary || file?.magic)) {
    threats.unshift({ label: 'a native executable', evidence })
  }
  return threats
}

/** `spawn('node-gyp', …)` in an install helper is the build fallback. */
function isBuildSpawn(signal: Signal): boolean {
  if (signal.kind !== 'spawn') return false
  const binary = /^[\w.[\]]*\('([\w.-]+)/.exec(signal.detail)?.[1]
  return binary !== undefined && BUILD_BINARIES.has(binary.replace(/\.(?:cmd|exe)$/, ''))
}

function turnedUnreadable(
  before: PackageFile,
  after: PackageFile
): 'obfuscated' | 'minified' | undefined {
  if (before.sha256 !== undefined && before.sha256 === after.sha256) return undefined
  if (after.text === undefined || before.text === undefined) return undefined
  if (looksObfuscated(before.text) || !looksObfuscated(after.text)) return undefined
  return hasObfuscationMarker(after.text) ? 'obfuscated' : 'minified'
}

/** `_0x` families, string-array rotation, dense escapes, hidden code: not mere minification. */
function hasObfuscationMarker(text: string): boolean {
  const numbered = splitLines(text).map((line, index) => ({ line: index + 1, text: line }))
  return firstObfuscation(numbered) !== undefined
}

/**
 * The previous version's file that a new file was moved from: the same content (sha256), or at
 * least MOVED_SHARE of its non-blank lines found in one file of the previous version. Candidates
 * are the files this version removed and those with the same name elsewhere; bounded in number
 * and size.
 */
function originOf(
  file: PackageFile,
  previous: PackageFiles,
  current: PackageFiles
): string | undefined {
  for (const old of previous.files.values()) {
    if (old.sha256 !== undefined && old.sha256 === file.sha256) return old.path
  }
  if (file.text === undefined || file.text.length > MAX_COMPARED_CHARS) return undefined
  const name = file.path.slice(file.path.lastIndexOf('/') + 1)
  const candidates = [...previous.files.values()]
    .filter(
      (old) => !current.files.has(old.path) || old.path.endsWith(`/${name}`) || old.path === name
    )
    .filter((old) => old.text !== undefined && old.text.length <= MAX_COMPARED_CHARS)
    .slice(0, MAX_MOVE_CANDIDATES)
  const lines = significantLines(file.text)
  if (lines.length === 0) return undefined
  return candidates.find((old) => sharedShare(lines, old.text ?? '') >= MOVED_SHARE)?.path
}

function significantLines(text: string): string[] {
  return splitLines(text)
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/** Share of `lines` found in `text` (as a multiset: a line found once counts once). */
function sharedShare(lines: string[], text: string): number {
  const available = new Map<string, number>()
  for (const line of significantLines(text)) available.set(line, (available.get(line) ?? 0) + 1)
  let shared = 0
  for (const line of lines) {
    const left = available.get(line) ?? 0
    if (left > 0) {
      shared++
      available.set(line, left - 1)
    }
  }
  return shared / lines.length
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
  return installScriptsFromPackageJson(text)?.map((script) => ({ ...script, implicit: false }))
}

function scriptsFromManifest(manifest: Manifest | undefined): InstallScript[] | undefined {
  if (!manifest) return undefined
  const scripts = manifest.scripts ?? {}
  return INSTALL_KEYS.flatMap((key) => {
    const command = scripts[key]
    return typeof command === 'string' ? [{ key, command, implicit: false }] : []
  })
}

export const rule: Rule = { meta, check }
