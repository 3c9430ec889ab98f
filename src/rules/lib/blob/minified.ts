// Shape metrics of a code text: how long its lines are and how much whitespace it has. Minified
// and bundled code has very long lines and almost no whitespace; readable code has neither. The
// metrics are computed on a bounded sample, so a 10 MB blob costs no more than its first MiB.

export const MINIFIED_SAMPLE_CHARS = 1024 * 1024

export interface TextShape {
  /** Characters measured (at most the sample size). */
  chars: number
  /** Lines in the sample (a trailing newline does not start a new line). */
  lines: number
  averageLineLength: number
  longestLine: number
  /** Spaces, tabs and newlines divided by the characters measured. */
  whitespaceRatio: number
}

export interface MinifiedThresholds {
  /** Average line length above which a text counts as minified. */
  averageLineLength: number
  /** Whitespace ratio below which a text counts as minified (with at least `minChars`). */
  whitespaceRatio: number
  /** Texts shorter than this are never judged minified: too little to tell. */
  minChars: number
}

export const DEFAULT_MINIFIED: MinifiedThresholds = {
  averageLineLength: 1000,
  whitespaceRatio: 0.05,
  minChars: 2048
}

export function measureText(text: string, maxChars = MINIFIED_SAMPLE_CHARS): TextShape {
  const chars = Math.min(text.length, maxChars)
  let lines = chars > 0 ? 1 : 0
  let whitespace = 0
  let newlines = 0
  let current = 0
  let longestLine = 0
  for (let index = 0; index < chars; index++) {
    const code = text.charCodeAt(index)
    if (code === 10) {
      whitespace++
      newlines++
      longestLine = Math.max(longestLine, current)
      current = 0
      if (index < chars - 1) lines++
    } else {
      if (code === 32 || code === 9 || code === 13) whitespace++
      current++
    }
  }
  longestLine = Math.max(longestLine, current)
  const averageLineLength = lines > 0 ? (chars - newlines) / lines : 0
  return {
    chars,
    lines,
    averageLineLength,
    longestLine,
    whitespaceRatio: chars ? whitespace / chars : 0
  }
}

/** True when the text's shape is that of minified or bundled code. */
export function isMinifiedShape(
  shape: TextShape,
  thresholds: MinifiedThresholds = DEFAULT_MINIFIED
): boolean {
  if (shape.chars < thresholds.minChars) return false
  return (
    shape.averageLineLength > thresholds.averageLineLength ||
    shape.whitespaceRatio < thresholds.whitespaceRatio
  )
}

export function isMinifiedText(text: string, thresholds?: MinifiedThresholds): boolean {
  return isMinifiedShape(measureText(text), thresholds)
}
