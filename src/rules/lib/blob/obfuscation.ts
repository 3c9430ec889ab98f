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
// - very long high-entropy lines (see entropy.ts), judged by the caller, which knows whether the
//   file was readable before.
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
  /** ... with at least this many bits of entropy per character. */
  entropyBits: number
}

export const DEFAULT_OBFUSCATION: ObfuscationThresholds = {
  hexIdentifiers: 5,
  escapeCount: 20,
  escapeRatio: 0.3,
  whitespaceRun: 150,
  entropyLineLength: 2048,
  entropyBits: 5.2
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

/** True for a long line whose characters are as unpredictable as packed or encoded data. */
export function isHighEntropyLine(
  line: string,
  thresholds: ObfuscationThresholds = DEFAULT_OBFUSCATION
): boolean {
  return (
    line.length >= thresholds.entropyLineLength && shannonEntropy(line) >= thresholds.entropyBits
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
