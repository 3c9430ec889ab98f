// content/process-spawn
//
// Detects: process spawning that this version introduces: a new import of `child_process` (also
// when its name is assembled, `'chi' + 'ld_pro' + 'cess'`), new `exec`/`spawn`/`execFile`/`fork`
// calls, and, in code, shell scripts or install scripts, the command shapes of an intrusion:
// download-and-run (`curl … | sh`, `wget -O- … | bash`, `iwr … | iex`), installing a runtime to run
// a payload with it (`bun.sh/install` then `bun run x.js`), secret scanners (`trufflehog`,
// `gitleaks`), Windows loaders (`rundll32`) and encoded PowerShell (`powershell -enc`).
//
// Why: Shai-Hulud ran TruffleHog and installed Bun to run its payload, Scavenger started a DLL with
// rundll32 behind a split `child_process` name, and the usual dropper is a `curl | sh` in an
// install script. A library that starts spawning processes is worth a look; one that downloads and
// runs code is not doing what libraries do.
//
// Severity (changed package): critical for download-and-run in an install script or in a file an
// install script runs; high for download-and-run elsewhere, secret scanners, Windows loaders,
// encoded PowerShell and a hidden `child_process` import; medium for a plain new spawn, low when it
// runs an everyday developer binary (git, node, npm, tar, swift, make, cargo, docker…; python and
// PowerShell only when they run a file, not `-c`/`-enc` code) or the package already spawned
// processes.
// Added package: plain spawns are info (process managers and CLIs spawn by design); download-and-run
// is high in an install script and medium elsewhere; the other strong shapes stay high, except a
// secret scanner whose name is the package's own (a wrapper: low) and a Windows loader (medium).
//
// Known false positives: an installer helper that really does `curl | sh` (rustup-style), a
// security tool newly wrapping gitleaks, `rundll32` used for something other than `url.dll`.
// Command text in JavaScript only counts when the file can start processes.
import type { Evidence, Finding, Severity } from '../../types.js'
import { hasBaseline } from '../lib/introduced.js'
import {
  findCommands,
  isUrlOpener,
  runsWithRuntime,
  type CommandKind
} from '../lib/exec/commands.js'
import { evidenceAt, lineText } from '../lib/exec/evidence.js'
import { introducedByFile, wholeFileFacts, type IntroducedFacts } from '../lib/exec/facts.js'
import { findingsFromSignals, type Signal as ExecSignal } from '../lib/exec/signals.js'
import { filesRunAtInstall } from '../lib/exec/install-scripts.js'
import {
  importsProcessModule,
  isHiddenProcessName,
  isProcessModule,
  isEverydaySpawn,
  isSpawnCall,
  runsOwnRuntime,
  spawnedBinary
} from '../lib/exec/spawn.js'
import {
  introducedTexts,
  originOf,
  previouslyContains,
  previouslyMentioned,
  type TextSite
} from '../lib/exec/texts.js'
import type { CallFact, FileFacts } from '../lib/code/types.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'content/process-spawn',
  title: 'Process spawning introduced',
  description:
    'This version starts running other programs: a new child_process use, or a command that ' +
    'downloads and runs code, runs a secret scanner or starts a Windows loader.',
  defaultSeverity: 'medium',
  version: 1
}

type SignalKind = CommandKind | 'hidden-import' | 'spawn'

type Signal = ExecSignal<SignalKind>

/** A call line longer than this is minified: the next line is another statement. */
const MAX_CALL_TEXT = 1000

/** Text that shows a previous version already started processes. */
const PROCESS_NEEDLES = ['child_process', 'cross-spawn', 'execa']

/** Process APIs of other languages, for code the JavaScript facts do not cover. */
const LEXICAL_SPAWN =
  /child_process|subprocess|os\.system|os\.popen|Runtime\.getRuntime|\bspawn\b|\bexec\b|\bsystem\(/

const SUMMARY: Record<SignalKind, string> = {
  'download-run': 'downloads code and runs it',
  'runtime-install': 'installs a JavaScript runtime from the network',
  'secret-scanner': 'runs a secret scanner',
  'windows-loader': 'starts a Windows loader',
  'encoded-powershell': 'runs an encoded PowerShell command',
  'hidden-import': 'imports child_process under a hidden name',
  spawn: 'starts new processes'
}

function check(ctx: RuleContext): Finding[] {
  const introduced = introducedByFile(ctx)
  const signals = [...commandSignals(ctx, introduced), ...spawnSignals(ctx, introduced)]
  return findingsFromSignals(ctx, meta, signals, (kind) => SUMMARY[kind], hasBaseline(ctx))
}

/** Command shapes in introduced strings, script lines and install scripts. */
function commandSignals(ctx: RuleContext, introduced: IntroducedFacts[]): Signal[] {
  const canSpawn = new Map<string, boolean>()
  const atInstall = filesRunAtInstall(ctx)
  const sites = introducedTexts(ctx, introduced)
  const payloadRun = sites.some((site) => runsWithRuntime(site.text))
  const seen = new Set<string>()
  const signals: Signal[] = []
  for (const site of sites) {
    if (!runsCommands(site) && !fileCanSpawn(ctx, site.file, canSpawn)) continue
    const line = site.origin === 'js' ? lineText(ctx.files, site.file, site.line) : site.text
    for (const command of findCommands(site.text, line)) {
      const key = `${command.kind}\0${site.file}\0${site.line}`
      if (seen.has(key)) continue
      seen.add(key)
      if (site.origin !== 'install-script' && previouslyMentioned(ctx, command.match)) continue
      const inInstall = site.origin === 'install-script' || atInstall.has(site.file)
      const severity = commandSeverity(ctx, command.kind, inInstall)
      const payload = command.kind === 'runtime-install' && payloadRun ? ' and runs a payload' : ''
      signals.push({
        kind: command.kind,
        severity,
        evidence: siteEvidence(ctx, site, command.match),
        detail: `${command.label}${payload}${inInstall ? ' at install time' : ''} (${clip(command.match)})`
      })
    }
  }
  return signals
}

function commandSeverity(ctx: RuleContext, kind: CommandKind, inInstall: boolean): Severity {
  const added = !hasBaseline(ctx)
  switch (kind) {
    case 'download-run':
    case 'runtime-install':
      if (inInstall) return added ? 'high' : 'critical'
      return added ? 'medium' : 'high'
    case 'secret-scanner':
      return added && wrapsScanner(ctx.change.name) ? 'low' : 'high'
    case 'windows-loader':
      return added ? 'medium' : 'high'
    case 'encoded-powershell':
      return 'high'
  }
}

/** `gitleaks-bin`, `@x/trufflehog`: a package that exists to run the scanner. */
function wrapsScanner(name: string): boolean {
  return /trufflehog|gitleaks|detect-secrets|noseyparker/i.test(name)
}

/** Shell scripts and install scripts are commands; anything else is text until a process runs it. */
function runsCommands(site: TextSite): boolean {
  return site.origin === 'shell' || site.origin === 'install-script'
}

/** Command text in code is only run when the file can start processes. */
function fileCanSpawn(ctx: RuleContext, path: string, cache: Map<string, boolean>): boolean {
  const cached = cache.get(path)
  if (cached !== undefined) return cached
  const facts = wholeFileFacts(ctx.files, path)
  const text = ctx.files?.files.get(path)?.text ?? ''
  const result = facts ? hasProcessCapability(facts) : LEXICAL_SPAWN.test(text)
  cache.set(path, result)
  return result
}

function hasProcessCapability(facts: FileFacts): boolean {
  const imports = importsProcessModule(facts)
  if (imports) return true
  if (facts.strings.some((fact) => fact.value === 'child_process')) return true
  return facts.calls.some((call) => isSpawnCall(call, false))
}

function siteEvidence(ctx: RuleContext, site: TextSite, needle: string): Evidence {
  return evidenceAt(ctx.files, site.file, site.line, needle.slice(0, 20))
}

/** New child_process imports and spawn calls in JavaScript. */
function spawnSignals(ctx: RuleContext, introduced: IntroducedFacts[]): Signal[] {
  const spawnedBefore = PROCESS_NEEDLES.some((needle) => previouslyContains(ctx, needle))
  const signals: Signal[] = []
  for (const entry of introduced) {
    if (originOf(ctx.files, entry.file) !== 'js') continue
    const whole = wholeFileFacts(ctx.files, entry.file) ?? entry.facts
    signals.push(...hiddenImports(ctx, entry))
    const importsProcess = importsProcessModule(whole)
    for (const call of entry.facts.calls) {
      if (!isSpawnCall(call, importsProcess)) continue
      const text = callText(ctx, entry.file, call.line)
      const binary = programOf(call, text)
      const opener = isUrlOpener(text)
      signals.push({
        kind: 'spawn',
        severity: opener ? 'low' : plainSpawnSeverity(ctx, binary, text, spawnedBefore),
        evidence: evidenceAt(ctx.files, entry.file, call.line, callNeedle(call.callee)),
        detail: binary ? `${call.callee} ${binary}` : call.callee
      })
    }
    signals.push(...newImports(ctx, entry, spawnedBefore))
  }
  return signals
}

function hiddenImports(ctx: RuleContext, entry: IntroducedFacts): Signal[] {
  const lines = new Set<number>()
  const signals: Signal[] = []
  for (const fact of entry.facts.strings) {
    if (!isHiddenProcessName(fact) || lines.has(fact.line)) continue
    lines.add(fact.line)
    signals.push({
      kind: 'hidden-import',
      severity: 'high',
      evidence: evidenceAt(ctx.files, entry.file, fact.line),
      detail: `${fact.value} decoded from ${fact.decodedFrom ?? 'text'}`
    })
  }
  return signals
}

/** A new import with no new call: the spawn may go through a variable the facts cannot follow. */
function newImports(ctx: RuleContext, entry: IntroducedFacts, spawnedBefore: boolean): Signal[] {
  if (entry.facts.calls.some((call) => isSpawnCall(call, true))) return []
  const fact = entry.facts.imports.find((item) => isProcessModule(item.specifier))
  if (!fact) return []
  return [
    {
      kind: 'spawn',
      severity: plainSpawnSeverity(ctx, undefined, '', spawnedBefore),
      evidence: evidenceAt(ctx.files, entry.file, fact.line, fact.specifier),
      detail: `import of ${fact.specifier}`
    }
  ]
}

function plainSpawnSeverity(
  ctx: RuleContext,
  binary: string | undefined,
  text: string,
  spawnedBefore: boolean
): Severity {
  if (!hasBaseline(ctx)) return 'info'
  if (spawnedBefore || isEverydaySpawn(binary, text)) return 'low'
  return 'medium'
}

/** The call's line and, when the arguments start on the next one (`execFileSync(\n  cmd`), that one. */
function callText(ctx: RuleContext, path: string, line: number): string {
  const text = lineText(ctx.files, path, line)
  if (text.length > MAX_CALL_TEXT) return text
  const next = lineText(ctx.files, path, line + 1)
  return next.length > MAX_CALL_TEXT ? text : `${text}\n${next}`
}

/** The program a spawn runs: `fork` and `spawn(process.execPath, …)` run Node itself. */
function programOf(call: CallFact, text: string): string | undefined {
  if (callNeedle(call.callee) === 'fork' || runsOwnRuntime(text)) return 'node'
  return spawnedBinary(call)
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}

function callNeedle(callee: string): string {
  const bare = callee.startsWith('new ') ? callee.slice(4) : callee
  return bare.slice(bare.lastIndexOf('.') + 1)
}

export const rule: Rule = { meta, check }
