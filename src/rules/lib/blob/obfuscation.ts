// Lexical signs of obfuscated code, found line by line without parsing (obfuscated code is
// often built to break parsers). Each detector is linear in the line's length: no regex here can
// backtrack, and huge lines are only sampled.
//
// - `_0x` identifier families: javascript-obfuscator names every variable `_0x1a2b3c`;
// - string-array rotation: `while(!![])` and `arr['push'](arr['shift']())`, the loop that
//   un-shuffles the obfuscator's string table at start-up;
// - dense escapes of printable ASCII (`'\x72\x65\x71'` for `req`): nobody writes letters that way
//   by hand; escapes of accents, emoji or control characters (i18n, regex tables) do not count;
// - code hidden after a long run of whitespace: the "scroll right" trick that pushes a payload
//   past the edge of an editor or a diff view;
// - very long lines of encoded data: a line dominated by one run of base64/hex characters (a
//   packed payload in a string literal), or whose characters are more varied than any code
//   (binary strings, base85), judged by the caller, which knows whether the file was readable
//   before. Minified code is not obfuscation and must not trip it (see the calibration below).
import { shannonEntropy } from './entropy.js'

export type SignalKind =
  | 'hex-identifiers'
  | 'string-array-rotation'
  | 'dense-escapes'
  | 'hidden-after-whitespace'
  | 'high-entropy-line'

export interface ObfuscationThresholds {
  /** Distinct `_0x…` names in a file that make a family. */
  hexIdentifiers: number
  /** Printable-ASCII escapes on one line ... */
  escapeCount: number
  /** ... that make up at least this share of the line's characters. */
  escapeRatio: number
  /** Spaces or tabs in a row before code on the same line. */
  whitespaceRun: number
  /** A line at least this long ... */
  entropyLineLength: number
  /** ... with at least this many bits of entropy per character ... */
  entropyBits: number
  /** ... or whose longest run of base64/hex characters is at least this share of it. */
  encodedShare: number
}

export const DEFAULT_OBFUSCATION: ObfuscationThresholds = {
  hexIdentifiers: 5,
  escapeCount: 20,
  escapeRatio: 0.3,
  whitespaceRun: 150,
  entropyLineLength: 2048,
  // Calibration, bits per character over a line's first 64 KiB (lines of 2 KiB or more): the
  // minified files of a typical node_modules (tar, glob, lru-cache, tweetnacl, dayjs, ipaddr.js
  // *.min.js; tsx 4.23 and esbuild dist files) measure 5.0-5.65; yarn 2.4's webpack bundle
  // (bin/yarn.js) 5.93, because a 20 KB base64 literal sits in its first 64 KiB; base64 of text
  // (inline source maps) 5.66, of random bytes 5.95-6.02 (65 symbols at most). Only data with a
  // wider alphabet (binary strings, base85, mixed escapes) reaches 6.2: encoded payloads that
  // are not base64 or hex. Those are caught by `encodedShare` instead.
  entropyBits: 6.2,
  // A line made mostly of one base64/hex run is a packed payload, not code: minified code breaks
  // runs of letters and digits every few characters with punctuation (yarn's 20 KB base64 run
  // is 3% of its 650 KB line).
  encodedShare: 0.5
}

/**
 * Characters of one line the detectors look at: the unpacker's text limit, so that padding a
 * line with junk cannot push a sign out of reach.
 */
export const MAX_LINE_SCAN = 1024 * 1024

const HEX_IDENTIFIER = /\b_0x[0-9a-f]{4,8}\b/gi
const ROTATION_LOOP = /while\s{0,3}\(\s{0,3}!!\s{0,3}\[\s{0,3}\]\s{0,3}\)/
const PUSH_SHIFT =
  /\[\s{0,3}(['"])push\1\s{0,3}\]\s{0,3}\([^()]{0,200}\[\s{0,3}(['"])shift\2\s{0,3}\]\s{0,3}\(\s{0,3}\)/
/** `\x41`–`\x7e` and `\u0041`–`\u007e` (with `\u{..}`): escapes of printable ASCII. */
const PRINTABLE_ESCAPE = /\\(?:x[2-7][0-9a-f]|u00[2-7][0-9a-f]|u\{0{0,4}[2-7][0-9a-f]\})/gi

/** The distinct `_0x…` names on a line. */
export function hexIdentifiers(line: string): string[] {
  const sample = line.length > MAX_LINE_SCAN ? line.slice(0, MAX_LINE_SCAN) : line
  return [...new Set((sample.match(HEX_IDENTIFIER) ?? []).map((name) => name.toLowerCase()))]
}

/** Offset of a string-array rotation on the line, or -1. */
export function rotationAt(line: string): number {
  const sample = line.length > MAX_LINE_SCAN ? line.slice(0, MAX_LINE_SCAN) : line
  const loop = ROTATION_LOOP.exec(sample)
  if (loop) return loop.index
  return PUSH_SHIFT.exec(sample)?.index ?? -1
}

/** Offset of the first escape when printable-ASCII escapes crowd the line, or -1. */
export function denseEscapesAt(
  line: string,
  thresholds: ObfuscationThresholds = DEFAULT_OBFUSCATION
): number {
  const sample = line.length > MAX_LINE_SCAN ? line.slice(0, MAX_LINE_SCAN) : line
  if (!sample.includes('\\')) return -1
  let count = 0
  let escapedChars = 0
  let first = -1
  for (const match of sample.matchAll(PRINTABLE_ESCAPE)) {
    if (first === -1) first = match.index
    count++
    escapedChars += match[0].length
  }
  const dense =
    count >= thresholds.escapeCount && escapedChars / sample.length >= thresholds.escapeRatio
  return dense ? first : -1
}

/**
 * Offset of code that follows a run of at least `whitespaceRun` spaces or tabs, or -1. A comment
 * after the run is not hidden code (aligned comments are odd but harmless).
 */
export function hiddenAfterWhitespaceAt(
  line: string,
  thresholds: ObfuscationThresholds = DEFAULT_OBFUSCATION
): number {
  const end = Math.min(line.length, MAX_LINE_SCAN)
  let run = 0
  for (let index = 0; index < end; index++) {
    const code = line.charCodeAt(index)
    if (code === 32 || code === 9) {
      run++
      continue
    }
    if (
      run >= thresholds.whitespaceRun &&
      !line.startsWith('//', index) &&
      !line.startsWith('/*', index)
    ) {
      return index
    }
    run = 0
  }
  return -1
}

/**
 * True for a long line of encoded data: dominated by one run of base64/hex characters, or with
 * characters more unpredictable than any code. Ordinary minified code (identifiers, keywords,
 * punctuation) is neither.
 */
export function isHighEntropyLine(
  line: string,
  thresholds: ObfuscationThresholds = DEFAULT_OBFUSCATION
): boolean {
  if (line.length < thresholds.entropyLineLength) return false
  const scanned = Math.min(line.length, MAX_LINE_SCAN)
  const run = longestEncodedRun(line)
  const minRun = Math.max(thresholds.entropyLineLength / 2, scanned * thresholds.encodedShare)
  if (run.length >= minRun && shannonEntropy(run.text) >= MIN_RUN_ENTROPY) return true
  return shannonEntropy(line) >= thresholds.entropyBits
}

/** A run of one repeated character (padding) is not a payload; hex data measures 4 bits. */
const MIN_RUN_ENTROPY = 3

/** The longest run of base64 (standard or URL-safe) characters, hex included, in the sample. */
export function longestEncodedRun(line: string): { length: number; text: string } {
  const end = Math.min(line.length, MAX_LINE_SCAN)
  let bestStart = 0
  let bestLength = 0
  let start = 0
  for (let index = 0; index <= end; index++) {
    if (index < end && isEncodedChar(line.charCodeAt(index))) continue
    if (index - start > bestLength) {
      bestStart = start
      bestLength = index - start
    }
    start = index + 1
  }
  return { length: bestLength, text: line.slice(bestStart, bestStart + bestLength) }
}

/** `A-Z a-z 0-9 + / = - _`. */
function isEncodedChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 43 ||
    code === 47 ||
    code === 61 ||
    code === 45 ||
    code === 95
  )
}

export interface LineSignal {
  kind: SignalKind
  /** Offset in the line where the sign shows, for the snippet. */
  index: number
}

/**
 * The signs on one line, except `_0x` families (counted per file by the caller) and entropy
 * (meaningful only when the file was readable before).
 */
export function lineSignals(
  line: string,
  thresholds: ObfuscationThresholds = DEFAULT_OBFUSCATION
): LineSignal[] {
  const signals: LineSignal[] = []
  const rotation = rotationAt(line)
  if (rotation !== -1) signals.push({ kind: 'string-array-rotation', index: rotation })
  const escapes = denseEscapesAt(line, thresholds)
  if (escapes !== -1) signals.push({ kind: 'dense-escapes', index: escapes })
  const hidden = hiddenAfterWhitespaceAt(line, thresholds)
  if (hidden !== -1) signals.push({ kind: 'hidden-after-whitespace', index: hidden })
  return signals
}
