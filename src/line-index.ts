// Maps character offsets to 1-based line numbers (lines end at \n, as the evidence lines rules
// cite). Built once per text: a per-offset scan from the start would be quadratic on big files.

export type LineOf = (offset: number) => number

export function buildLineIndex(text: string): LineOf {
  const lineStarts = [0]
  let newline = text.indexOf('\n')
  while (newline !== -1) {
    lineStarts.push(newline + 1)
    newline = text.indexOf('\n', newline + 1)
  }
  return (offset) => lineOfOffset(lineStarts, offset)
}

/** Binary search for the last line start at or before `offset`. */
function lineOfOffset(lineStarts: number[], offset: number): number {
  let low = 0
  let high = lineStarts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (lineStarts[mid] <= offset) low = mid
    else high = mid - 1
  }
  return low + 1
}

/** 1-based column of `offset` on its line. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1
}
