// The fallback for text that no parser accepts (garbage, a truncated bundle, shell scripts, a tree
// too deep for a recursive parser): a single linear pass that still finds quoted strings (escapes
// decoded), `require('x')` / `import 'x'` specifiers, dotted member paths like `process.env.X`,
// `name(` calls with a first string argument and `key: 'value'` pairs.
//
// Linear on purpose: an unterminated quote skips to the end of its line (or, for a backtick, past
// the region it searched), so a line full of stray quotes cannot make the scan quadratic.
import type { FactCollector } from './collector.js'
import {
  decodeBase64Text,
  decodeEscapes,
  hasHexOrUnicodeEscape,
  MAX_FOLDED_LENGTH
} from './decode.js'

const NOT_CALLS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'function',
  'return',
  'typeof',
  'with',
  'do',
  'else',
  'new',
  'delete',
  'void',
  'in',
  'of',
  'instanceof',
  'await',
  'yield',
  'async'
])
const IMPORT_PREFIXES = ['require(', 'import(', 'import', 'from']
const MAX_PATH_SEGMENTS = 32

interface QuotedString {
  value: string
  raw: string
  /** Index just past the closing quote. */
  end: number
  newlines: number
}

export function scanLexically(text: string, collector: FactCollector): void {
  new LexicalScanner(text, collector).run()
}

class LexicalScanner {
  private pos = 0
  private line = 1
  private previousWord = ''

  constructor(
    private readonly text: string,
    private readonly collector: FactCollector
  ) {}

  run(): void {
    const text = this.text
    while (this.pos < text.length) {
      const ch = text[this.pos] as string
      if (ch === '\n') this.line++
      if (ch === '"' || ch === "'" || ch === '`') this.onQuote()
      else if (ch === '/' && this.startsComment()) this.skipComment()
      else if (isDigit(ch)) this.skipWhile(isWordChar)
      else if (isIdentifierStart(ch)) this.onWord()
      else this.pos++
    }
  }

  private onQuote(): void {
    const start = this.pos
    const found = readQuoted(this.text, start)
    if (!found) {
      this.skipUnterminated(start)
      return
    }
    const line = this.line
    this.line += found.newlines
    this.pos = found.end
    this.recordString(found, start, line)
  }

  private recordString(found: QuotedString, start: number, line: number): void {
    const escaped = hasHexOrUnicodeEscape(found.raw)
    this.collector.addString(found.value, line, escaped ? 'escapes' : undefined)
    const decoded = decodeBase64Text(found.value)
    if (decoded !== undefined) this.collector.addString(decoded, line, 'base64')
    const next = this.nextChar()
    // `require('chi' + 'ld_process')`: the first piece is not the specifier
    if (next !== '+' && followsImportKeyword(this.text, start)) {
      this.collector.addImport(found.value, line)
    }
    if (next === ':') this.recordProperty(found.value, line)
  }

  /** An unterminated `'`/`"` ends at its line; a backtick gives up on the region it searched. */
  private skipUnterminated(start: number): void {
    if (this.text[start] === '`') {
      this.pos = Math.min(this.text.length, start + MAX_FOLDED_LENGTH + 1)
      this.line += countNewlines(this.text, start, this.pos)
      return
    }
    const end = this.text.indexOf('\n', start)
    this.pos = end < 0 ? this.text.length : end
  }

  /** `//` only after a space or a line start, so that `https://` is not taken for a comment. */
  private startsComment(): boolean {
    const next = this.text[this.pos + 1]
    if (next === '*') return true
    const before = this.pos === 0 ? '\n' : this.text[this.pos - 1]
    return next === '/' && (before === undefined || /[\s;{}(),]/.test(before))
  }

  private skipComment(): void {
    const block = this.text[this.pos + 1] === '*'
    const end = block ? this.text.indexOf('*/', this.pos + 2) : this.text.indexOf('\n', this.pos)
    const stop = end < 0 ? this.text.length : block ? end + 2 : end
    this.line += countNewlines(this.text, this.pos, stop)
    this.pos = stop
  }

  private onWord(): void {
    const line = this.line
    const path = this.readPath()
    const word = path.join('.')
    for (const segment of path) this.collector.addIdentifier(segment)
    const next = this.nextChar()
    // `function name(` declares rather than calls
    const declares = this.previousWord === 'function'
    if (next === '(' && !NOT_CALLS.has(word) && !declares) this.recordCall(word, line)
    else if (path.length > 1) this.collector.addMember(word, this.isAssignment(), line)
    else if (next === ':' && this.text[this.peekIndex() + 1] !== ':')
      this.recordProperty(word, line)
    this.previousWord = word
  }

  /** `a.b?.c` as segments; the scan stops after the last identifier. */
  private readPath(): string[] {
    const segments: string[] = []
    for (;;) {
      const start = this.pos
      this.skipWhile(isWordChar)
      segments.push(this.text.slice(start, this.pos))
      const optional = this.text.startsWith('?.', this.pos)
      const dot = optional ? this.pos + 2 : this.pos + 1
      const continues = optional || this.text[this.pos] === '.'
      if (!continues || !isIdentifierStart(this.text[dot] ?? '')) break
      if (segments.length >= MAX_PATH_SEGMENTS) break
      this.pos = dot
    }
    return segments
  }

  private recordCall(name: string, line: number): void {
    const callee = this.previousWord === 'new' ? `new ${name}` : name
    const open = this.peekIndex()
    const argStart = skipSpaces(this.text, open + 1)
    const quote = this.text[argStart]
    const first =
      quote === '"' || quote === "'" || quote === '`' ? readQuoted(this.text, argStart) : undefined
    this.collector.addCall(callee, first ? [first.value] : [undefined], line)
  }

  private recordProperty(key: string, line: number): void {
    const valueStart = skipSpaces(this.text, this.peekIndex() + 1)
    const quote = this.text[valueStart]
    const value =
      quote === '"' || quote === "'" || quote === '`'
        ? readQuoted(this.text, valueStart)
        : undefined
    this.collector.addProperty(key, value?.value, line)
  }

  private isAssignment(): boolean {
    const at = this.peekIndex()
    const after = this.text[at + 1]
    return this.text[at] === '=' && after !== '=' && after !== '>'
  }

  /** Index of the next non-space character on the same line. */
  private peekIndex(): number {
    return skipSpaces(this.text, this.pos)
  }

  private nextChar(): string | undefined {
    return this.text[this.peekIndex()]
  }

  private skipWhile(accept: (ch: string) => boolean): void {
    while (this.pos < this.text.length && accept(this.text[this.pos] as string)) this.pos++
  }
}

/** The string starting at the quote at `start`, or undefined when it does not close in bounds. */
function readQuoted(text: string, start: number): QuotedString | undefined {
  const quote = text[start]
  const limit = Math.min(text.length, start + 1 + MAX_FOLDED_LENGTH)
  let newlines = 0
  for (let i = start + 1; i < limit; i++) {
    const ch = text[i]
    if (ch === '\\') {
      i++
      if (text[i] === '\n') newlines++
    } else if (ch === quote) {
      const raw = text.slice(start + 1, i)
      return { value: decodeEscapes(raw), raw, end: i + 1, newlines }
    } else if (ch === '\n') {
      if (quote !== '`') return undefined
      newlines++
    }
  }
  return undefined
}

function followsImportKeyword(text: string, quoteAt: number): boolean {
  let end = quoteAt
  while (end > 0 && isSpace(text[end - 1] as string)) end--
  const before = text.slice(Math.max(0, end - 8), end)
  return IMPORT_PREFIXES.some((prefix) => before.endsWith(prefix))
}

function skipSpaces(text: string, from: number): number {
  let i = from
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
  return i
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++
  return count
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r'
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9'
}

function isIdentifierStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch === '$'
}

function isWordChar(ch: string): boolean {
  return isIdentifierStart(ch) || isDigit(ch)
}
