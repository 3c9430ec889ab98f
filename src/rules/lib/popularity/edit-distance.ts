// Damerau-Levenshtein distance in its "optimal string alignment" form: insertions, deletions,
// substitutions and transpositions of two adjacent characters each cost one. Typosquats are
// mostly one of those (`expresss`, `lodahs`, `reqeust`), so transpositions must count as one edit
// rather than the two that plain Levenshtein charges.

let rows = new Int32Array(0)

/**
 * Distance between `a` and `b`, or `max + 1` as soon as it is known to exceed `max`: with a small
 * `max` most comparisons stop after a row or two. Three rows of one reused buffer, no allocation.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  if (a === b) return 0
  const width = b.length + 1
  if (rows.length < width * 3) rows = new Int32Array(width * 3)
  let before = 0
  let previous = width
  let current = 2 * width
  for (let j = 0; j < width; j++) rows[previous + j] = j
  for (let i = 1; i <= a.length; i++) {
    rows[current] = i
    let rowMin = i
    for (let j = 1; j < width; j++) {
      const cost = cellCost(
        a,
        b,
        i,
        j,
        rows[previous + j - 1] as number,
        rows[previous + j] as number,
        rows[current + j - 1] as number,
        rows[before + j - 2] as number
      )
      rows[current + j] = cost
      if (cost < rowMin) rowMin = cost
    }
    if (rowMin > max) return max + 1
    ;[before, previous, current] = [previous, current, before]
  }
  const distance = rows[previous + b.length] as number
  return distance > max ? max + 1 : distance
}

/** One cell from its left, upper, upper-left and (for a transposition) two-back neighbours. */
function cellCost(
  a: string,
  b: string,
  i: number,
  j: number,
  diagonal: number,
  up: number,
  left: number,
  twoBack: number
): number {
  const substitution = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
  let cost = Math.min(up + 1, left + 1, diagonal + substitution)
  if (
    i > 1 &&
    j > 1 &&
    a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
    a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
  ) {
    cost = Math.min(cost, twoBack + 1)
  }
  return cost
}
