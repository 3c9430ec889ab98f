import { describe, expect, it } from '@jest/globals'
import { buildLineIndex, columnOf } from '../src/line-index.js'

describe('buildLineIndex', () => {
  const text = 'ab\ncd\n\nef'
  const lineOf = buildLineIndex(text)

  it.each([
    [0, 1],
    [2, 1],
    [3, 2],
    [6, 3],
    [7, 4],
    [9, 4]
  ])('offset %i is on line %i', (offset, line) => {
    expect(lineOf(offset)).toBe(line)
  })

  it('agrees with counting newlines on every offset', () => {
    for (let offset = 0; offset < text.length; offset++) {
      expect(lineOf(offset)).toBe(text.slice(0, offset).split('\n').length)
    }
  })

  it('gives 1-based columns', () => {
    expect(columnOf(text, 0)).toBe(1)
    expect(columnOf(text, 4)).toBe(2)
    expect(columnOf(text, 7)).toBe(1)
  })
})
