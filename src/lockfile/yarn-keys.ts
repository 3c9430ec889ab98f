// Finds the line of every yarn.lock entry. Neither parser yarn ships gives positions, so the
// top-level keys are read from the text: in both flavours an entry starts at an unindented
// `key:` line, and a key lists one or more descriptors separated by commas, quoted as a whole
// (berry: `"a@npm:^1.0.0, a@npm:^1.1.0":`) or one by one (classic: `"@s/a@^1", "@s/a@^2":`).
// The caller checks that these keys are exactly the ones the data parser saw, so a line this
// scan reads differently from the parser is an error, never a wrong line.
import { GateError } from '../errors.js'
import { quote } from './json-tree.js'

// Real keys stay under a few KB even with dozens of ranges; this bounds the work per line.
const MAX_KEY_LENGTH = 65_536

export interface KeyLine {
  /** 1-based line of the key. */
  line: number
  /** The key's items with YAML/JSON quotes removed, in order (berry has exactly one). */
  items: string[]
  /** Every descriptor of the key: the items split on commas. */
  descriptors: string[]
}

export function scanKeyLines(file: string, text: string): KeyLine[] {
  const keys: KeyLine[] = []
  let start = 0
  for (let line = 1; start <= text.length; line++) {
    const end = nextLineEnd(text, start)
    const content = text.slice(start, end).replace(/\r$/, '')
    if (isTopLevel(content)) keys.push(readKeyLine(file, content, line))
    start = end + 1
  }
  return keys
}

function nextLineEnd(text: string, start: number): number {
  const newline = text.indexOf('\n', start)
  return newline === -1 ? text.length : newline
}

/** Indented lines belong to an entry; `#` starts a comment; blank lines separate entries. */
function isTopLevel(content: string): boolean {
  return content !== '' && !/^[ \t#]/.test(content)
}

function readKeyLine(file: string, content: string, line: number): KeyLine {
  const fail = (problem: string) => keyError(file, line, `${problem}: ${quote(content)}`)
  const key = content.trimEnd()
  if (key.length > MAX_KEY_LENGTH) throw fail('is too long to be an entry key')
  if (!key.endsWith(':')) throw fail('is not an entry key (a top-level line must end with ":")')
  const items = splitItems(key.slice(0, -1), fail)
  const descriptors = items.flatMap((item) => item.split(',').map((part) => part.trim()))
  if (descriptors.some((descriptor) => descriptor === '')) throw fail('has an empty descriptor')
  return { line, items, descriptors }
}

/** Comma-separated items, each a double-quoted string (JSON escapes) or bare text. */
function splitItems(key: string, fail: (problem: string) => GateError): string[] {
  const items: string[] = []
  let at = 0
  for (;;) {
    const end = key[at] === '"' ? closingQuote(key, at) : bareEnd(key, at)
    if (end === -1) throw fail('has an unterminated quoted string')
    items.push(key[at] === '"' ? unquote(key.slice(at, end + 1), fail) : key.slice(at, end).trim())
    at = skipSpaces(key, key[at] === '"' ? end + 1 : end)
    if (at >= key.length) return items
    if (key[at] !== ',') throw fail('has text after a quoted descriptor')
    at = skipSpaces(key, at + 1)
  }
}

/** Index of the quote closing the string that opens at `open`, or -1. */
function closingQuote(key: string, open: number): number {
  for (let at = open + 1; at < key.length; at++) {
    if (key[at] === '\\') at++
    else if (key[at] === '"') return at
  }
  return -1
}

function bareEnd(key: string, start: number): number {
  const comma = key.indexOf(',', start)
  return comma === -1 ? key.length : comma
}

function skipSpaces(key: string, start: number): number {
  let at = start
  while (key[at] === ' ') at++
  return at
}

function unquote(quoted: string, fail: (problem: string) => GateError): string {
  try {
    return JSON.parse(quoted) as string
  } catch {
    throw fail('has a quoted descriptor that is not a plain JSON string')
  }
}

export function keyError(file: string, line: number, problem: string): GateError {
  return new GateError('ELOCKFILE', `${file}: line ${line} ${problem}`, { file, line })
}
