// Decoding helpers: attackers hide URLs, module names and whole payloads in base64 literals and
// escape sequences so that a grep over the source does not see them. These helpers undo the
// encodings the engine itself would undo, and only when the result is plausibly text, so that
// ordinary identifiers and random-looking keys are not "decoded" into noise.

/** Longest folded or decoded string kept, in characters: enough for a URL or a payload's head. */
export const MAX_FOLDED_LENGTH = 64 * 1024
/** Longest literal worth trying as base64 (a bigger one is an embedded asset, not a URL). */
const MAX_BASE64_INPUT = 512 * 1024
const MIN_BASE64_LENGTH = 16
/** Share of decoded characters that must be printable for the result to count as text. */
const MIN_PRINTABLE_RATIO = 0.95

const BASE64_BODY = /^[A-Za-z0-9+/_-]+={0,2}$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The text a base64 literal decodes to, or undefined when the literal is not plausibly base64
 * (too short, wrong alphabet or padding) or does not decode to mostly printable UTF-8.
 */
export function decodeBase64Text(value: string): string | undefined {
  if (!looksLikeBase64(value)) return undefined
  const bytes = Buffer.from(
    value,
    value.includes('-') || value.includes('_') ? 'base64url' : 'base64'
  )
  if (bytes.length === 0) return undefined
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return undefined
  }
  return isMostlyPrintable(text) ? text.slice(0, MAX_FOLDED_LENGTH) : undefined
}

function looksLikeBase64(value: string): boolean {
  if (value.length < MIN_BASE64_LENGTH || value.length > MAX_BASE64_INPUT) return false
  if (!BASE64_BODY.test(value)) return false
  // mixing the standard and the URL-safe alphabets does not happen in real encodings
  if (/[+/]/.test(value) && /[-_]/.test(value)) return false
  const padded = value.endsWith('=')
  if (padded) return value.length % 4 === 0
  // `abcdefghijklmnopq` style words are valid base64 by alphabet; an unpadded length of
  // 1 mod 4 is not a valid encoding at all
  return value.length % 4 !== 1
}

/** True when almost every character is printable text (tabs and newlines allowed). */
export function isMostlyPrintable(text: string): boolean {
  if (text.length === 0) return false
  let printable = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 9 || code === 10 || code === 13) printable++
    else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0) && code !== 0xfffd)
      printable++
  }
  return printable / text.length >= MIN_PRINTABLE_RATIO
}

/** True when a literal's source text hides characters behind `\x` or `\u` escapes. */
export function hasHexOrUnicodeEscape(raw: string): boolean {
  return raw.includes('\\x') || raw.includes('\\u')
}

/** The characters of `String.fromCharCode(...)` when every code is a valid UTF-16 unit. */
export function fromCharCodes(codes: number[]): string | undefined {
  if (codes.length === 0 || codes.length > MAX_FOLDED_LENGTH) return undefined
  if (!codes.every((code) => Number.isInteger(code) && code >= 0 && code <= 0xffff)) {
    return undefined
  }
  let text = ''
  for (const code of codes) text += String.fromCharCode(code)
  return text
}

/** Decodes the escapes of a quoted string's body, as the lexical fallback finds it. */
export function decodeEscapes(body: string): string {
  if (!body.includes('\\')) return body
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch
      continue
    }
    const [decoded, consumed] = decodeOneEscape(body, i + 1)
    out += decoded
    i += consumed
  }
  return out
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': ''
}

/** Decodes the escape whose letter is at `at`; returns the text and how many characters it used. */
function decodeOneEscape(body: string, at: number): [string, number] {
  const letter = body[at] ?? ''
  if (letter === 'x') return hexEscape(body.slice(at + 1, at + 3), 3, letter)
  if (letter === 'u' && body[at + 1] === '{') {
    const end = body.indexOf('}', at + 2)
    if (end > 0 && end - at <= 9) return codePointEscape(body.slice(at + 2, end), end - at + 1)
  }
  if (letter === 'u') return hexEscape(body.slice(at + 1, at + 5), 5, letter)
  return [SIMPLE_ESCAPES[letter] ?? letter, 1]
}

function hexEscape(digits: string, length: number, letter: string): [string, number] {
  const expected = length - 1
  if (digits.length !== expected || !/^[0-9a-fA-F]+$/.test(digits)) return [letter, 1]
  return [String.fromCharCode(parseInt(digits, 16)), length]
}

function codePointEscape(digits: string, length: number): [string, number] {
  const code = /^[0-9a-fA-F]{1,6}$/.test(digits) ? parseInt(digits, 16) : NaN
  if (!(code <= 0x10ffff)) return ['u', 1]
  return [String.fromCodePoint(code), length]
}
