// Simple markers of code nobody reads: minified or bundled text, `_0x` identifier families,
// string-array rotation, dense escapes, code hidden after long whitespace. Built on the obfuscation
// rule's line detectors (`blob/`), bounded: only the first lines of a huge file are looked at.
import { isMinifiedText } from '../blob/minified.js'
import { hexIdentifiers, lineSignals } from '../blob/obfuscation.js'
import { splitLines } from '../introduced.js'

export interface ObfuscationMarker {
  /** 1-based line where the marker shows. */
  line: number
  /** `_0x identifiers (…)`, `string-array-rotation`, `dense-escapes`... */
  what: string
  /** Text of the line to clip the evidence around. */
  needle?: string
}

const HEX_FAMILY = 5
const MAX_LINES = 5000

/** The first obfuscation marker in some numbered lines, or undefined. */
export function firstObfuscation(
  lines: Iterable<{ line: number; text: string }>
): ObfuscationMarker | undefined {
  const names = new Set<string>()
  let seen = 0
  for (const { line, text } of lines) {
    if (seen++ >= MAX_LINES) return undefined
    const first = lineSignals(text)[0]
    if (first) return { line, what: first.kind, needle: text.slice(first.index, first.index + 20) }
    for (const name of hexIdentifiers(text)) names.add(name)
    if (names.size >= HEX_FAMILY) {
      const some = [...names].slice(0, 3).join(', ')
      return { line, what: `_0x identifiers (${some}…)`, needle: '_0x' }
    }
  }
  return undefined
}

/** True when a whole text is minified or shows an obfuscation marker. */
export function looksObfuscated(text: string): boolean {
  if (isMinifiedText(text)) return true
  const numbered = splitLines(text)
    .slice(0, MAX_LINES)
    .map((line, index) => ({ line: index + 1, text: line }))
  return firstObfuscation(numbered) !== undefined
}
