// Where the code an execution runs comes from, read lexically around the call: the argument
// expression itself (`eval(atob(x))`, `new Function(Buffer.from(s, 'base64').toString())`) and, for
// a variable, the few lines before the call that assign it from a decode, a fetch, or another such
// variable (`const r = await fetch(u)`, `const code = await r.text()`, `eval(code)`).
//
// Why lexical: the code facts keep constant arguments only, and an attacker's loader is short and
// written in plain lines. Why so local: "a decode somewhere in the same file" is true of every
// bundle that inlines a source map or a polyfill; only data that visibly reaches the sink counts.
// On a minified line (longer than MAX_PLAIN_LINE) "the lines before" means nothing: only the
// argument expression is read there.
//
// Everything is bounded: arguments are cut at MAX_ARGUMENT characters, a line yields at most
// MAX_CALLS calls, the flow window is FLOW_WINDOW lines of at most MAX_PLAIN_LINE characters, and
// every regex starts at a literal with bounded gaps.

/** A line longer than this is minified: "nearby" and "on the same line" say nothing there. */
export const MAX_PLAIN_LINE = 1000
/** How many lines before an execution a variable's assignment may be. */
export const FLOW_WINDOW = 10

const MAX_ARGUMENT = 400
const MAX_CALLS = 100
const MAX_TAINTED = 50

interface Source {
  regex: RegExp
  label: string
}

/** Decoding or fetching written in code: what makes a value "data from elsewhere". */
const SOURCES: Source[] = [
  { regex: /\batob\s{0,3}\(/, label: 'atob()' },
  { regex: /\bunescape\s{0,3}\(/, label: 'unescape()' },
  { regex: /\bdecodeURIComponent\s{0,3}\(/, label: 'decodeURIComponent()' },
  { regex: /\bfromCharCode\s{0,3}\(/, label: 'String.fromCharCode()' },
  {
    regex: /\bBuffer\.from\s{0,3}\([^;]{0,200}?['"](?:base64|base64url|hex)['"]/,
    label: 'a Buffer.from decode'
  },
  { regex: /\bfetch\s{0,3}\(/, label: 'fetch()' },
  { regex: /\b(?:axios|got|needle)(?:\.\w{1,12})?\s{0,3}\(/, label: 'an HTTP client' },
  { regex: /\bhttps?\.(?:get|request)\s{0,3}\(/, label: 'http.get()' },
  {
    regex: /\brequire\s{0,3}\(\s{0,3}['"](?:node:)?https?['"]\s{0,3}\)\s{0,3}\.(?:get|request)\b/,
    label: 'http.get()'
  },
  { regex: /\bXMLHttpRequest\b|\.responseText\b/, label: 'XMLHttpRequest' },
  { regex: /\bresolveTxt\s{0,3}\(/, label: 'a DNS TXT lookup' },
  { regex: /\.on\s{0,3}\(\s{0,3}['"]data['"]/, label: "a stream's data" }
]

/** The decode or fetch a piece of code contains, as a label, or undefined. */
export function sourceIn(text: string): string | undefined {
  if (!text.includes('(') && !text.includes('XMLHttpRequest') && !text.includes('responseText')) {
    return undefined
  }
  return SOURCES.find((source) => source.regex.test(text))?.label
}

/**
 * The argument lists of every call of `name` on a line, split at top-level commas:
 * `eval(x)`, `(0,eval)(x)`, `new Function('a', b)`, `vm.runInNewContext(src, ctx)`.
 */
export function callArguments(text: string, name: string): string[][] {
  const calls: string[][] = []
  let from = 0
  while (calls.length < MAX_CALLS) {
    const at = text.indexOf(name, from)
    if (at === -1) break
    from = at + name.length
    if (at > 0 && /[\w$]/.test(text[at - 1] ?? '')) continue
    const open = openParenAfter(text, from)
    if (open !== -1) calls.push(splitArguments(text, open + 1))
  }
  return calls
}

/** The index of the `(` that calls a name ending at `from` (also through `(0,eval)(`), or -1. */
function openParenAfter(text: string, from: number): number {
  let i = from
  if (/[\w$]/.test(text[i] ?? '')) return -1
  while (text[i] === ' ') i++
  if (text[i] === ')') {
    i++
    while (text[i] === ' ') i++
  }
  return text[i] === '(' ? i : -1
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' }

/** Arguments from just after `(` to the matching `)`: strings and nesting respected, bounded. */
function splitArguments(text: string, start: number): string[] {
  const args: string[] = []
  const stack: string[] = []
  let quote = ''
  let current = start
  const end = Math.min(text.length, start + MAX_ARGUMENT)
  for (let i = start; i < end; i++) {
    const char = text[i] ?? ''
    if (quote) {
      if (char === '\\') i++
      else if (char === quote) quote = ''
      continue
    }
    if (char === '"' || char === "'" || char === '`') quote = char
    else if (CLOSERS[char]) stack.push(CLOSERS[char] ?? '')
    else if (stack.length > 0 && char === stack[stack.length - 1]) stack.pop()
    else if (stack.length === 0 && (char === ',' || char === ')')) {
      args.push(text.slice(current, i).trim())
      current = i + 1
      if (char === ')') return args
    }
  }
  args.push(text.slice(current, end).trim())
  return args
}

/** Identifiers an expression reads (not property names, not inside plain string literals). */
export function identifiersOf(expression: string): string[] {
  const code = expression.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""')
  const names = new Set<string>()
  for (const match of code.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) names.add(match[0])
  return [...names]
}

/** True when `text` reads the identifier `name` (a whole word, not a property). */
function mentions(text: string, name: string): boolean {
  let at = text.indexOf(name)
  while (at !== -1) {
    const before = text[at - 1] ?? ''
    const after = text[at + name.length] ?? ''
    if (!/[\w$.]/.test(before) && !/[\w$]/.test(after)) return true
    at = text.indexOf(name, at + name.length)
  }
  return false
}

/** `x = …`, `x += …`, `x ??= …` (not `==`, not `=>`, not `a.x = …`). */
const ASSIGNMENT = /(?<![\w$.])([A-Za-z_$][\w$]*)\s{0,3}(?:\+|\|\||\?\?)?=(?![=>])/g
/** The first parameter of a callback: `(code) =>`, `code =>`, `function (code)`. */
const PARAMETER =
  /\(\s{0,3}([A-Za-z_$][\w$]*)\s{0,3}(?:,[^()]{0,100})?\)\s{0,3}=>|(?<![\w$.])([A-Za-z_$][\w$]*)\s{0,3}=>|\bfunction\b\s{0,3}[\w$]{0,40}\s{0,3}\(\s{0,3}([A-Za-z_$][\w$]*)/g

/** Variables of one line that receive decoded or fetched data, given those known so far. */
function taintLine(text: string, tainted: Map<string, string>): void {
  const fedBy = (piece: string): string | undefined => {
    const source = sourceIn(piece)
    if (source) return source
    for (const [name, label] of tainted) if (mentions(piece, name)) return label
    return undefined
  }
  // left to right: `r.on('data', (c) => (d += c))` taints `c`, then `d`
  const matches = [
    ...[...text.matchAll(ASSIGNMENT)].map((match) => ({ match, assigned: true })),
    ...[...text.matchAll(PARAMETER)].map((match) => ({ match, assigned: false }))
  ].sort((a, b) => (a.match.index ?? 0) - (b.match.index ?? 0))
  for (const { match, assigned } of matches) {
    if (tainted.size >= MAX_TAINTED) return
    const at = match.index ?? 0
    const name = match[1] ?? match[2] ?? match[3]
    const rest = text.slice(at + match[0].length)
    // an assignment is fed by its right-hand side, a callback parameter by the chain before it
    const label = fedBy(
      assigned ? rest.slice(0, Math.min(MAX_ARGUMENT, endOfStatement(rest))) : text.slice(0, at)
    )
    if (name && label) tainted.set(name, label)
  }
}

function endOfStatement(text: string): number {
  const semicolon = text.indexOf(';')
  return semicolon === -1 ? text.length : semicolon
}

/**
 * What feeds an executed expression: a decode or fetch written in it, or (on a plain line) a
 * variable assigned from one within FLOW_WINDOW lines before. `lineAt(n)` is the text of line n.
 */
export function feedOf(
  expression: string,
  line: number,
  lineAt: (line: number) => string
): { label: string; direct: boolean } | undefined {
  const direct = sourceIn(expression)
  if (direct) return { label: direct, direct: true }
  const names = identifiersOf(expression)
  if (names.length === 0 || lineAt(line).length > MAX_PLAIN_LINE) return undefined
  const tainted = new Map<string, string>()
  for (let n = Math.max(1, line - FLOW_WINDOW); n <= line; n++) {
    const text = lineAt(n)
    if (text.length <= MAX_PLAIN_LINE) taintLine(text, tainted)
  }
  const name = names.find((candidate) => tainted.has(candidate))
  return name ? { label: `${tainted.get(name) ?? ''} via ${name}`, direct: false } : undefined
}
