// Recognising dynamic code execution in code facts (`eval`, `new Function`, `vm`, string timers,
// computed `require`) and the data it runs: decoded (base64, char codes) or fetched from the
// network. Pure classification; grading is the rule's business.
import type { CallFact, FileFacts, StringFact } from '../code/types.js'
import { methodOf, objectOf } from './facts.js'

export type ExecKind = 'eval' | 'function' | 'vm' | 'timer' | 'require'

const GLOBALS = new Set(['', 'window', 'global', 'globalThis', 'self'])
const VM_METHODS = new Set([
  'runInNewContext',
  'runInThisContext',
  'runInContext',
  'compileFunction'
])
const VM_MODULES = new Set(['vm', 'node:vm'])
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate'])
const DECODERS = new Set(['atob', 'unescape', 'fromCharCode'])
const FETCHERS = new Set([
  'fetch',
  'http.get',
  'https.get',
  'http.request',
  'https.request',
  'axios',
  'axios.get',
  'axios.post',
  'axios.request',
  'got',
  'got.get',
  'needle',
  'request',
  'net.connect',
  'net.createConnection',
  'dns.resolveTxt',
  'new XMLHttpRequest'
])
const HIDDEN: ReadonlySet<NonNullable<StringFact['decodedFrom']>> = new Set([
  'base64',
  'hex',
  'char-codes'
])
const OBFUSCATED: ReadonlySet<NonNullable<StringFact['decodedFrom']>> = new Set([
  'concatenation',
  'escapes',
  'array-join',
  'uri'
])

/** What kind of dynamic execution a call is, or undefined. */
export function execKindOf(call: CallFact, importsVm: boolean): ExecKind | undefined {
  const isNew = call.callee.startsWith('new ')
  const method = methodOf(call.callee)
  const object = objectOf(call.callee)
  if (method === 'eval' && !isNew && GLOBALS.has(object)) return 'eval'
  if (method === 'Function' && GLOBALS.has(object)) return 'function'
  if (VM_METHODS.has(method) && (object === 'vm' || importsVm)) return 'vm'
  if (isNew && method === 'Script' && (object === 'vm' || (object === '' && importsVm))) return 'vm'
  if (TIMERS.has(method) && GLOBALS.has(object) && call.args[0] !== undefined) return 'timer'
  if ((call.callee === 'require' || call.callee === 'module.require') && call.args.length > 0) {
    return 'require'
  }
  return undefined
}

export function importsVm(facts: FileFacts): boolean {
  return facts.imports.some((fact) => VM_MODULES.has(fact.specifier))
}

/** The code a call runs when constant: the last argument of `Function`, the first otherwise. */
export function codeArgument(call: CallFact, kind: ExecKind): string | undefined {
  if (kind === 'function') return call.args.length > 0 ? call.args[call.args.length - 1] : undefined
  return call.args[0]
}

/** `Function('return this')()`: the standard way to reach the global object in old engines. */
export function isGlobalThisShim(code: string | undefined): boolean {
  return code !== undefined && /^\s*return\s+this\s*;?\s*$/.test(code)
}

/**
 * Polyfills and feature tests that build a function from visible constants: the globalThis shim,
 * function-bind's `Function('binder', 'return function (' + params + '){ return
 * binder.apply(this,arguments); }')`, `new Function('')` and `Function('return function*() {}')`
 * (do strings compile, are generators supported). `line` is the call's text.
 */
export function isWellKnownShim(call: CallFact, line: string): boolean {
  const code = codeArgument(call, 'function')
  if (isGlobalThisShim(code)) return true
  if (
    code !== undefined &&
    /^\s*(?:return\s+(?:async\s+)?function\s*\*?\s*\(\s*\)\s*\{\s*\}\s*;?\s*)?$/.test(code)
  ) {
    return true
  }
  return (
    call.args[0] === 'binder' &&
    /binder\.apply\(\s{0,3}this\s{0,3},\s{0,3}arguments\s{0,3}\)/.test(line)
  )
}

/**
 * Escape hatches bundlers and compilers emit on purpose: `eval('require')`, a dynamic `import()`
 * hidden from TypeScript (`new Function('p', 'return import(p)')`), regenerator's global setter.
 */
export function isToolingIdiom(code: string | undefined): boolean {
  if (code === undefined) return false
  const trimmed = code.trim()
  return (
    /^(?:require|import|module)$/.test(trimmed) ||
    /^return\s+(?:import|require)\s*\(\s*[\w$]{1,40}\s*\)\s*;?$/.test(trimmed) ||
    /^regeneratorRuntime\s*=\s*[\w$]{1,40}$/.test(trimmed)
  )
}

/**
 * How a constant argument was produced: from the facts of its own line, or (a variable holding a
 * decoded value) from elsewhere in the file when its line has no plain literal of that value.
 */
export function decodingOf(
  strings: StringFact[],
  value: string,
  line: number
): StringFact['decodedFrom'] | undefined {
  const same = strings.filter((fact) => fact.line === line && fact.value === value)
  const decoded = same.find(
    (fact) => fact.decodedFrom !== undefined && fact.decodedFrom !== 'template'
  )
  if (decoded || same.length > 0) return decoded?.decodedFrom
  return strings.find(
    (fact) =>
      fact.value === value && fact.decodedFrom !== undefined && fact.decodedFrom !== 'template'
  )?.decodedFrom
}

export function isHiddenDecoding(from: StringFact['decodedFrom']): boolean {
  return from !== undefined && HIDDEN.has(from)
}

export function isObfuscatedDecoding(from: StringFact['decodedFrom']): boolean {
  return from !== undefined && OBFUSCATED.has(from)
}

/** Decoding or fetching among some facts: where the executed data may come from. */
export function dataSourceIn(strings: StringFact[], calls: CallFact[]): string | undefined {
  const decoded = strings.find(
    (fact) => fact.decodedFrom === 'base64' || fact.decodedFrom === 'hex'
  )
  if (decoded) return `a ${decoded.decodedFrom ?? ''}-decoded string`
  for (const call of calls) {
    const method = methodOf(call.callee)
    if (DECODERS.has(method)) return `${call.callee}()`
    if (
      call.callee === 'Buffer.from' &&
      call.args.some((arg) => arg === 'base64' || arg === 'hex')
    ) {
      return `Buffer.from(…, '${call.args.find((arg) => arg === 'base64' || arg === 'hex') ?? ''}')`
    }
    if (FETCHERS.has(call.callee)) return `data fetched with ${call.callee}()`
  }
  return undefined
}

/**
 * `eval(atob(…))`, `Function(Buffer.from(…))()`, `.then(eval)`: execution of decoded or fetched
 * data written on one line, found lexically so that it also works on a minified line.
 */
const DIRECT_DECODE =
  /\b(?:eval|Function|runInThisContext|runInNewContext)\s{0,3}\(\s{0,3}(?:(?:window|global|globalThis)\.)?(?:atob|Buffer\.from|unescape|decodeURIComponent|String\.fromCharCode)\s{0,3}\(|\.then\(\s{0,3}eval\s{0,3}\)/

export function directDecodeIn(text: string): string | undefined {
  if (!text.includes('(')) return undefined
  return DIRECT_DECODE.exec(text)?.[0]
}
