import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { editDistance } from '../../../../src/rules/lib/popularity/edit-distance.js'

describe('editDistance (Damerau-Levenshtein, optimal string alignment)', () => {
  it.each([
    ['express', 'express', 0],
    ['express', 'expresss', 1],
    ['lodash', 'lodahs', 1],
    ['request', 'reqeust', 1],
    ['chalk', 'chalc', 1],
    ['react', 'raect', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3]
  ])('%s -> %s = %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected)
    expect(editDistance(b, a)).toBe(expected)
  })

  it('stops early and reports max + 1 beyond the bound', () => {
    expect(editDistance('express', 'lodash', 1)).toBe(2)
    expect(editDistance('a', 'abcdef', 2)).toBe(3)
    expect(editDistance('lodash', 'lodahs', 1)).toBe(1)
  })

  it('agrees with the unbounded distance whenever it is within the bound', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const full = editDistance(a, b)
        const bounded = editDistance(a, b, 2)
        expect(bounded).toBe(full <= 2 ? full : 3)
        expect(full).toBeLessThanOrEqual(Math.max(a.length, b.length))
      })
    )
  })
})
