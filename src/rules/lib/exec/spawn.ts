// Recognising process spawning in code facts: imports of `child_process` (however the name is
// spelled), and calls of its functions. `exec` is also a RegExp method, so a call only counts when
// the file imports a process module, or the callee's object is named like one.
import type { CallFact, FileFacts, StringFact } from '../code/types.js'
import { methodOf, objectOf } from './facts.js'

const PROCESS_MODULES = new Set(['child_process', 'node:child_process'])
/** Wrappers that spawn processes as their whole purpose. */
const SPAWN_LIBRARIES = new Set(['execa', 'cross-spawn', 'shelljs', 'zx', 'node-pty'])
const SPAWN_METHODS = new Set([
  'exec',
  'execSync',
  'spawn',
  'spawnSync',
  'execFile',
  'execFileSync',
  'fork'
])
/** Runtime APIs that spawn without child_process. */
const RUNTIME_SPAWNS = new Set(['Bun.spawn', 'Bun.spawnSync', 'new Deno.Command', 'Deno.run'])
const PROCESS_OBJECT = /^(?:child_?process|childProcess|cp|proc|node:child_process)$/i
/** How a module name was hidden: an obfuscated import of child_process is a strong signal. */
const HIDING: ReadonlySet<NonNullable<StringFact['decodedFrom']>> = new Set([
  'concatenation',
  'escapes',
  'base64',
  'char-codes',
  'array-join',
  'hex',
  'uri'
])

/** Binaries a developer tool spawns every day: a new spawn of one is low. */
export const EVERYDAY_BINARIES = new Set([
  'git',
  'node',
  'npm',
  'npx',
  'yarn',
  'pnpm',
  'corepack',
  'tsc',
  'which',
  'where',
  'uname',
  'open',
  'xdg-open',
  'code',
  // build and platform toolchains a CLI or a native-module helper drives
  'swift',
  'xcodebuild',
  'xcrun',
  'pod',
  'tar',
  'unzip',
  'cmake',
  'make',
  'gcc',
  'clang',
  'cargo',
  'rustc',
  'go',
  'java',
  'gradle',
  'docker',
  'taskkill',
  'ps'
])

/**
 * Interpreters that are everyday only when they run a file: `python -c <code>` and
 * `powershell -enc <base64>` run code passed on the command line, which is how a dropper hides.
 */
const INLINE_CODE: Record<string, RegExp> = {
  python: /(?:^|[\s'"[,])-c(?:$|[\s'",\]])/,
  powershell: /(?:^|[\s'"[,])-(?:e|ec|en|enc|enco[a-z]{0,10})(?:$|[\s'",\]])/i
}
const INTERPRETERS: Record<string, RegExp | undefined> = {
  python: INLINE_CODE.python,
  python3: INLINE_CODE.python,
  py: INLINE_CODE.python,
  powershell: INLINE_CODE.powershell,
  pwsh: INLINE_CODE.powershell
}
const DECODING = /\batob\s{0,3}\(|\bfromCharCode\b|['"](?:base64|hex)['"]/

/**
 * True when a spawn of `binary` is an everyday one. `text` is the call's source text (a line or
 * two, bounded by the caller): it tells `python3 build.py` from `python3 -c <decoded payload>`.
 */
export function isEverydaySpawn(binary: string | undefined, text: string): boolean {
  const name = binary?.toLowerCase()
  if (!name) return false
  if (EVERYDAY_BINARIES.has(name)) return !DECODING.test(text)
  const inlineCode = INTERPRETERS[name]
  return inlineCode !== undefined && !inlineCode.test(text) && !DECODING.test(text)
}

/** `execFileSync(process.execPath, …)`, `spawn(process.argv[0], …)`: the running Node itself. */
const OWN_RUNTIME =
  /\b(?:spawn|spawnSync|execFile|execFileSync|fork)\s{0,3}\(\s{0,20}process\.(?:execPath|argv0|argv\[0\])/

export function runsOwnRuntime(text: string): boolean {
  return OWN_RUNTIME.test(text)
}

export function isProcessModule(specifier: string): boolean {
  return PROCESS_MODULES.has(specifier) || SPAWN_LIBRARIES.has(specifier)
}

/** True when the file (as a whole) imports a process module. */
export function importsProcessModule(facts: FileFacts): boolean {
  return facts.imports.some((fact) => isProcessModule(fact.specifier))
}

/** True when a call starts a process, given whether its file imports a process module. */
export function isSpawnCall(call: CallFact, fileImportsProcess: boolean): boolean {
  if (RUNTIME_SPAWNS.has(call.callee)) return true
  const method = methodOf(call.callee)
  if (!SPAWN_METHODS.has(method) || call.callee.startsWith('new ')) return false
  const object = objectOf(call.callee)
  if (PROCESS_OBJECT.test(object) || object.includes('child_process')) return true
  if (!fileImportsProcess) return false
  // `re.exec(text)` in a file that also spawns: only a bare `exec(...)` or a command-like string
  if (method === 'exec' && object !== '') return looksLikeCommand(call.args[0])
  return true
}

function looksLikeCommand(arg: string | undefined): boolean {
  return arg !== undefined && /^[\w./-]{1,60}(?:\s|$)/.test(arg)
}

/** The program a spawn call runs, when constant: `git` for `spawn('git', [...])` or `exec('git log')`. */
export function spawnedBinary(call: CallFact): string | undefined {
  const first = call.args[0]
  if (first === undefined) return undefined
  const word = first.trim().split(/\s+/, 1)[0] ?? ''
  const name = word.slice(word.replace(/\\/g, '/').lastIndexOf('/') + 1).replace(/\.exe$/i, '')
  return name.length > 0 && name.length <= 60 ? name : undefined
}

/** A `child_process` string the code assembled from pieces, escapes or base64. */
export function isHiddenProcessName(fact: StringFact): boolean {
  return (
    fact.decodedFrom !== undefined &&
    HIDING.has(fact.decodedFrom) &&
    PROCESS_MODULES.has(fact.value)
  )
}
