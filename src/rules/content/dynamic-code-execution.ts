// content/dynamic-code-execution
//
// Detects: dynamic code execution that this version introduces: `eval(...)`, `new Function(...)` /
// `Function(...)`, `vm.runInNewContext/runInThisContext/runInContext/compileFunction`,
// `new vm.Script`, `setTimeout`/`setInterval` with a string, and `require` of a computed or
// decoded module name (one worth hiding: child_process, fs, http...). It grades by what reaches
// the execution: a base64, hex or char-code decoded string; a decode or fetch written in the
// argument (`eval(atob(…))`, also on a minified line); a variable assigned from a decode or a fetch
// within a few plain lines before (lib/exec/flow.ts); a constant assembled from pieces.
//
// Why: a loader that fetches or decodes its payload and evaluates it keeps the malicious code out
// of the tarball and out of reach of text scanners; the obfuscated droppers of the qix wave and of
// Shai-Hulud 2.0 both evaluate strings built at run time. A decode *somewhere in the same file* is
// not evidence: bundles inline source maps and polyfills next to honest vm pools and lexers.
//
// Severity (changed package): critical when decoded or fetched data reaches the execution; high
// for a constant assembled from pieces (or a require of one) and for eval/Function called under a
// hidden name; medium for other new eval/Function/vm of non-constant code (test runners, REPLs,
// bundlers and module loaders do this honestly); low for a constant code string (visible code),
// a computed `require(variable)`, tooling idioms (`eval('require')`, a hidden dynamic `import()`),
// and kinds of execution the previous version already used elsewhere. Added package: critical
// when the decode or fetch is written in the argument, high when it flows in through a variable;
// otherwise low (eval/Function), info (vm, constants, computed require).
// Ignored: polyfills and feature tests built from visible constants: `Function('return this')`,
// function-bind's `Function('binder', …)`, `new Function('')`, `Function('return function*() {}')`.
//
// Known false positives: a template or expression engine newly added to a library (medium), a
// plugin loader that now requires modules by computed name (low), a REPL that evaluates what it
// just decoded from its own input protocol.
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
  isHiddenDecoding,
  isObfuscatedDecoding,
  isToolingIdiom,
  isWellKnownShim,
  type ExecKind
} from '../lib/exec/dynamic.js'
import { callArguments, feedOf, MAX_PLAIN_LINE } from '../lib/exec/flow.js'
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

interface Site {
  entry: IntroducedFacts
  whole: FileFacts
  call: CallFact
  kind: ExecKind
  code: string | undefined
  /** What feeds the calls of a line, per file, line and callee: a minified line has hundreds. */
  feeds: Map<string, Feed | undefined>
}

interface Feed {
  label: string
  direct: boolean
}

function check(ctx: RuleContext) {
  const changed = hasBaseline(ctx)
  const usedBefore = kindsUsedBefore(ctx)
  const signals: Signal<ExecKind>[] = []
  const feeds = new Map<string, Feed | undefined>()
  for (const entry of introducedByFile(ctx)) {
    if (originOf(ctx.files, entry.file) !== 'js') continue
    const whole = wholeFileFacts(ctx.files, entry.file) ?? entry.facts
    const vm = importsVm(whole)
    for (const call of entry.facts.calls) {
      const kind = execKindOf(call, vm)
      if (!kind) continue
      const site: Site = { entry, whole, call, kind, code: codeArgument(call, kind), feeds }
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
  const decoded = code === undefined ? undefined : decodingOf(site.whole.strings, code, call.line)
  if (kind === 'require') return gradeRequire(ctx, site, decoded, changed)
  const name = call.callee
  if (isToolingIdiom(code)) return { severity: changed ? 'low' : 'info', detail: `${name} idiom` }
  if (isHiddenDecoding(decoded)) {
    return { severity: 'critical', detail: `${name} of a string decoded from ${decoded ?? ''}` }
  }
  const fed = feedingSource(ctx, site)
  if (fed) {
    return {
      severity: fed.direct || changed ? 'critical' : 'high',
      detail: `${name} of ${fed.label}`
    }
  }
  if (
    kind === 'function' &&
    isWellKnownShim(call, lineText(ctx.files, site.entry.file, call.line))
  ) {
    return undefined
  }
  if (code === undefined) return gradeOpaque(ctx, site, changed, usedBefore)
  if (isObfuscatedDecoding(decoded)) {
    return {
      severity: changed ? 'high' : 'medium',
      detail: `${name} of a string assembled by ${decoded ?? ''}`
    }
  }
  // a constant code string is visible code, not hidden code
  return { severity: changed ? 'low' : 'info', detail: `${name} of a constant string` }
}

/**
 * Decoded or fetched data that reaches the execution: written in its argument (`eval(atob(…))`,
 * also on a minified line), a variable assigned from a decode or fetch a few lines before, or
 * (on a plain line, for callees the text does not spell) a decode or fetch on the same line.
 * A decode elsewhere in the file is not enough: every bundle with an inline source map has one.
 */
function feedingSource(ctx: RuleContext, site: Site): Feed | undefined {
  const { entry, call, kind } = site
  const key = `${entry.file}\0${call.line}\0${call.callee}\0${kind}`
  if (site.feeds.has(key)) return site.feeds.get(key)
  const feed = findFeed(ctx, site)
  site.feeds.set(key, feed)
  return feed
}

function findFeed(ctx: RuleContext, site: Site): Feed | undefined {
  const { entry, call, kind } = site
  const text = lineText(ctx.files, entry.file, call.line)
  const written = directDecodeIn(text)
  if (written) return { label: `${written.trim()}…`, direct: true }
  const lineAt = (line: number) => lineText(ctx.files, entry.file, line)
  for (const args of callArguments(text, needleOf(call.callee))) {
    const code = kind === 'function' ? args.join(',') : (args[0] ?? '')
    const feed = feedOf(code, call.line, lineAt)
    if (feed) return feed
  }
  if (text.length > MAX_PLAIN_LINE || text.includes(needleOf(call.callee))) return undefined
  const onLine = dataSourceIn(
    stringsOnLine(entry.facts, call.line),
    callsOnLine(entry.facts, call.line)
  )
  return onLine ? { label: onLine, direct: true } : undefined
}

/**
 * Non-constant code with no decode or fetch flowing into it: what test runners, REPLs, bundlers
 * and module loaders do honestly. Medium at most, unless the callee's name itself is hidden.
 */
function gradeOpaque(ctx: RuleContext, site: Site, changed: boolean, usedBefore: boolean): Grade {
  const name = site.call.callee
  const text = lineText(ctx.files, site.entry.file, site.call.line)
  if (text !== '' && !text.includes(needleOf(name))) {
    return { severity: changed ? 'high' : 'medium', detail: `${name} called under a hidden name` }
  }
  if (!changed) {
    return { severity: site.kind === 'vm' ? 'info' : 'low', detail: `${name} of generated code` }
  }
  return { severity: usedBefore ? 'low' : 'medium', detail: `${name} of non-constant code` }
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
  eval: ['eval(', 'eval)('],
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
