import { describe, expect, it } from '@jest/globals'
import { shannonEntropy } from '../../../../src/rules/lib/blob/entropy.js'

describe('shannonEntropy', () => {
  it.each([
    ['an empty text', '', 0],
    ['one repeated character', 'aaaaaaaa', 0],
    ['two equally frequent characters', 'abababab', 1],
    ['sixteen equally frequent characters', '0123456789abcdef'.repeat(8), 4]
  ])('is exact for %s', (_name, text, bits) => {
    expect(shannonEntropy(text)).toBeCloseTo(bits, 10)
  })

  it('ranks base64 above readable code', () => {
    const base64 = Buffer.from(
      Array.from({ length: 3000 }, (_, i) => (i * 97 + 13) % 256)
    ).toString('base64')
    const code = 'function add(a, b) {\n  return a + b\n}\n'.repeat(100)
    expect(shannonEntropy(base64)).toBeGreaterThan(5.5)
    expect(shannonEntropy(code)).toBeLessThan(4.5)
  })

  it('only reads the sample it is given', () => {
    expect(shannonEntropy('aaaa' + 'b'.repeat(100), 4)).toBe(0)
  })
})
