// content/dynamic-code-execution
//
// Detects: dynamic code execution that this version introduces: `eval(...)`, `new Function(...)` /
// `Function(...)`, `vm.runInNewContext/runInThisContext/runInContext/compileFunction`,
// `new vm.Script`, `setTimeout`/`setInterval` with a string, and `require` of a computed or
// decoded module name (one worth hiding: child_process, fs, http...). It grades by what is executed: a base64 or char-code decoded string, data
// decoded (`atob`, `Buffer.from(…, 'base64')`) or fetched (`fetch`, `http.get`) on the same line or
// in the same file's new code, or a constant assembled from pieces.
//
// Why: a loader that fetches or decodes its payload and evaluates it keeps the malicious code out
// of the tarball and out of reach of text scanners; the obfuscated droppers of the qix wave and of
// Shai-Hulud 2.0 both evaluate strings built at run time.
//
// Severity (changed package): critical when the executed value is decoded or fetched data; high
// for other new eval/Function/vm of non-constant code, or of a constant assembled from pieces (or
// a require of one); medium for a constant code string; low for a computed `require(variable)`,
// tooling idioms (`eval('require')`, a hidden dynamic `import()`), and kinds of execution the
// previous version already used elsewhere. Added package: critical when the decoding is on the
// same line, high when it is within a few lines; otherwise low (eval/Function), info (vm, computed
// require): template engines and bundlers execute generated code by design.
// Ignored: `Function('return this')()` and `new Function('return this')()` (the globalThis shim).
//
// Known false positives: a template or expression engine newly added to a library, a plugin loader
// that now requires modules by computed name (low), a build that starts inlining a base64 asset in a
// file that also evaluates code.
import type { Severity } from '../../types.js'
import { hasBaseline } from '../lib/introduced.js'
import type { CallFact, FileFacts, StringFact } from '../lib/code/types.js'
import {
  codeArgument,
  dataSourceIn,
  decodingOf,
  directDecodeIn,
  execKindOf,
  importsVm,
  isGlobalThisShim,
  isHiddenDecoding,
  isObfuscatedDecoding,
  isToolingIdiom,
  type ExecKind
} from '../lib/exec/dynamic.js'
import { evidenceAt, lineText } from '../lib/exec/evidence.js'
import {
  callsOnLine,
  introducedByFile,
  stringsOnLine,
  wholeFileFacts,
  type IntroducedFacts
} from '../lib/exec/facts.js'
import { findingsFromSignals, type Signal } from '../lib/exec/signals.js'
import { originOf, previouslyContains } from '../lib/exec/texts.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'content/dynamic-code-execution',
  title: 'Dynamic code execution introduced',
  description:
    'This version evaluates code built at run time (eval, new Function, vm, string timers, ' +
    'computed require): how loaders run a payload that was decoded or downloaded.',
  defaultSeverity: 'high',
  version: 1
}

const SUMMARY: Record<ExecKind, string> = {
  eval: 'calls eval',
  function: 'builds functions from strings (new Function)',
  vm: 'runs code through the vm module',
  timer: 'passes code strings to timers',
  require: 'requires modules by computed name'
}

/** A line longer than this is minified: "on the same line" says nothing there. */
const MAX_PLAIN_LINE = 1000
/** In an added package, decoding this close to an execution counts as feeding it. */
const NEARBY_LINES = 20

interface Site {
  entry: IntroducedFacts
  whole: FileFacts
  call: CallFact
  kind: ExecKind
  code: string | undefined
}

function check(ctx: RuleContext) {
  const changed = hasBaseline(ctx)
  const usedBefore = kindsUsedBefore(ctx)
  const signals: Signal<ExecKind>[] = []
  for (const entry of introducedByFile(ctx)) {
    if (originOf(ctx.files, entry.file) !== 'js') continue
    const whole = wholeFileFacts(ctx.files, entry.file) ?? entry.facts
    const vm = importsVm(whole)
    for (const call of entry.facts.calls) {
      const kind = execKindOf(call, vm)
      if (!kind) continue
      const site: Site = { entry, whole, call, kind, code: codeArgument(call, kind) }
      const graded = grade(ctx, site, changed, usedBefore.has(kind))
      if (!graded) continue
      const evidence = evidenceAt(ctx.files, entry.file, call.line, needleOf(call.callee))
      signals.push({ kind, evidence, ...graded })
    }
  }
  return findingsFromSignals(ctx, meta, signals, (kind) => SUMMARY[kind], changed)
}

type Grade = { severity: Severity; detail: string } | undefined

function grade(ctx: RuleContext, site: Site, changed: boolean, usedBefore: boolean): Grade {
  const { kind, code, call } = site
  if (kind === 'function' && isGlobalThisShim(code)) return undefined
  const decoded = code === undefined ? undefined : decodingOf(site.whole.strings, code, call.line)
  if (kind === 'require') return gradeRequire(ctx, site, decoded, changed)
  const name = call.callee
  if (isToolingIdiom(code)) return { severity: changed ? 'low' : 'info', detail: `${name} idiom` }
  if (isHiddenDecoding(decoded)) {
    return { severity: 'critical', detail: `${name} of a string decoded from ${decoded ?? ''}` }
  }
  const direct = directSource(ctx, site)
  if (direct) return { severity: changed ? 'critical' : direct.severity, detail: direct.detail }
  if (code === undefined) return gradeOpaque(site, changed, usedBefore)
  if (isObfuscatedDecoding(decoded)) {
    return {
      severity: changed ? 'high' : 'medium',
      detail: `${name} of a string assembled by ${decoded ?? ''}`
    }
  }
  return {
    severity: changed && !usedBefore ? 'medium' : 'low',
    detail: `${name} of a constant string`
  }
}

/** Decoding or fetching on the execution's line, or (added package) within a few lines. */
function directSource(ctx: RuleContext, site: Site) {
  const { entry, call } = site
  const text = lineText(ctx.files, entry.file, call.line)
  const written = directDecodeIn(text)
  if (written) return { severity: 'critical' as Severity, detail: `${written.trim()}…` }
  if (text.length > MAX_PLAIN_LINE) return undefined
  const onLine = dataSourceIn(
    stringsOnLine(entry.facts, call.line),
    callsOnLine(entry.facts, call.line)
  )
  if (onLine) return { severity: 'critical' as Severity, detail: `${call.callee} of ${onLine}` }
  if (hasBaseline(ctx)) return undefined
  const near = (line: number) => Math.abs(line - call.line) <= NEARBY_LINES
  const nearby = dataSourceIn(
    entry.facts.strings.filter((s) => near(s.line)),
    entry.facts.calls.filter((c) => near(c.line))
  )
  return nearby
    ? { severity: 'high' as Severity, detail: `${call.callee} near ${nearby}` }
    : undefined
}

/** Non-constant code: critical when the file's new code decodes or fetches data (changed package). */
function gradeOpaque(site: Site, changed: boolean, usedBefore: boolean): Grade {
  const name = site.call.callee
  if (!changed) {
    return { severity: site.kind === 'vm' ? 'info' : 'low', detail: `${name} of generated code` }
  }
  const source = dataSourceIn(site.entry.facts.strings, site.entry.facts.calls)
  if (source) {
    return {
      severity: usedBefore ? 'high' : 'critical',
      detail: `${name} in code that also introduces ${source}`
    }
  }
  return { severity: usedBefore ? 'low' : 'high', detail: `${name} of non-constant code` }
}

/** Modules worth hiding from a scanner; `require('u' + 'rl')` is a bundler idiom, not a threat. */
const SENSITIVE_MODULES = new Set(
  [
    'child_process',
    'vm',
    'net',
    'http',
    'https',
    'dns',
    'fs',
    'os',
    'worker_threads',
    'module'
  ].flatMap((name) => [name, `node:${name}`])
)

function gradeRequire(
  ctx: RuleContext,
  site: Site,
  decoded: StringFact['decodedFrom'],
  changed: boolean
): Grade {
  const { code, call } = site
  if (code !== undefined) {
    if (!isHiddenDecoding(decoded) && !isObfuscatedDecoding(decoded)) return undefined
    const how = `require of '${code}' ${isHiddenDecoding(decoded) ? 'decoded' : 'assembled'} from ${decoded ?? ''}`
    if (!SENSITIVE_MODULES.has(code)) return { severity: changed ? 'low' : 'info', detail: how }
    if (isHiddenDecoding(decoded)) return { severity: changed ? 'critical' : 'high', detail: how }
    return { severity: changed ? 'high' : 'medium', detail: how }
  }
  const text = lineText(ctx.files, site.entry.file, call.line)
  const facts = site.entry.facts
  const onLine =
    text.length <= MAX_PLAIN_LINE
      ? dataSourceIn(stringsOnLine(facts, call.line), callsOnLine(facts, call.line))
      : undefined
  if (onLine) return { severity: changed ? 'high' : 'medium', detail: `require of ${onLine}` }
  return { severity: changed ? 'low' : 'info', detail: 'require of a computed name' }
}

/** Text that shows the previous version already executed code this way (read, not parsed). */
const USED_BEFORE: Record<ExecKind, string[]> = {
  eval: ['eval('],
  function: ['new Function(', 'Function('],
  vm: ['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction', 'Script('],
  timer: [],
  require: []
}

function kindsUsedBefore(ctx: RuleContext): Set<ExecKind> {
  const kinds = Object.keys(USED_BEFORE) as ExecKind[]
  return new Set(
    kinds.filter((kind) => USED_BEFORE[kind].some((needle) => previouslyContains(ctx, needle)))
  )
}

function needleOf(callee: string): string {
  const bare = callee.startsWith('new ') ? callee.slice(4) : callee
  return bare.slice(bare.lastIndexOf('.') + 1)
}

export const rule: Rule = { meta, check }
