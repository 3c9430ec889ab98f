import { describe, expect, it } from '@jest/globals'
import { isMinifiedText, measureText } from '../../../../src/rules/lib/blob/minified.js'

const READABLE = 'function add(a, b) {\n  return a + b\n}\n\nmodule.exports = add\n'.repeat(200)
const MINIFIED =
  '!function(e){var t={};function n(r){if(t[r])return t[r].exports;e.x=[r,e,t],e.y=r*2+e.x}}(this);'.repeat(
    100
  )

describe('measureText', () => {
  it('counts lines, lengths and whitespace', () => {
    expect(measureText('ab cd\nefg\n')).toEqual({
      chars: 10,
      lines: 2,
      averageLineLength: 4,
      longestLine: 5,
      whitespaceRatio: 0.3
    })
  })

  it('measures only the sample', () => {
    expect(measureText('x'.repeat(100), 10).chars).toBe(10)
  })
})

describe('isMinifiedText', () => {
  it.each([
    ['a one-line bundle', MINIFIED, true],
    ['short lines without whitespace', MINIFIED.replace(/\(this\);/g, '(this);\n'), true],
    ['readable code', READABLE, false],
    ['a short one-liner (too little to tell)', 'module.exports=function(a){return a}', false]
  ])('%s: %s', (_name, text, expected) => {
    expect(isMinifiedText(text)).toBe(expected)
  })
})
