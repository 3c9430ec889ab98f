import { describe, expect, it } from '@jest/globals'
import {
  denseEscapesAt,
  hexIdentifiers,
  hiddenAfterWhitespaceAt,
  isHighEntropyLine,
  longestEncodedRun,
  lineSignals,
  rotationAt
} from '../../../../src/rules/lib/blob/obfuscation.js'

const ASCII_ESCAPED = "var s='" + '\\x72\\x65\\x71\\x75\\x69\\x72\\x65'.repeat(4) + "'"

describe('obfuscation signs', () => {
  it('finds distinct _0x names, case-insensitively', () => {
    expect(hexIdentifiers('var _0x1a2b=_0x1A2B+_0x3c4d5e; a_0x1234; _0xzz')).toEqual([
      '_0x1a2b',
      '_0x3c4d5e'
    ])
  })

  it.each([
    ['while(!![])', 'while(!![]){try{}catch(e){}}', true],
    ['push/shift', "_0xa['push'](_0xa['shift']());", true],
    ['an ordinary loop', 'while (queue.length) queue.shift()', false]
  ])('rotation: %s', (_name, line, expected) => {
    expect(rotationAt(line) !== -1).toBe(expected)
  })

  it.each([
    ['escaped ASCII letters', ASCII_ESCAPED, true],
    ['a few accents', "const s = 'caf\\u00e9 cr\\u00e8me br\\u00fbl\\u00e9e'", false],
    ['a control-character regex', 'const re = /[\\x00-\\x1f\\x7f-\\x9f]/g'.repeat(5), false],
    ['an emoji table', "'\\uD83D\\uDE00\\uD83D\\uDE01'".repeat(20), false]
  ])('dense escapes: %s', (_name, line, expected) => {
    expect(denseEscapesAt(line) !== -1).toBe(expected)
  })

  it.each([
    ['code after 200 spaces', `module.exports = a;${' '.repeat(200)}require('./x')`, 219],
    ['code after tabs', `x();${'\t'.repeat(160)}y()`, 164],
    ['a comment after the run', `x();${' '.repeat(200)}// note`, -1],
    ['trailing whitespace only', `x();${' '.repeat(500)}`, -1],
    ['ordinary indentation', '        return a', -1]
  ])('hidden after whitespace: %s', (_name, line, index) => {
    expect(hiddenAfterWhitespaceAt(line)).toBe(index)
  })

  it('is linear on a pathological whitespace line', () => {
    const line = ' '.repeat(200_000) + 'x'
    const started = Date.now()
    expect(hiddenAfterWhitespaceAt(line)).toBe(200_000)
    expect(Date.now() - started).toBeLessThan(500)
  })

  it('tells a long base64 line from a long code line', () => {
    const base64 = Buffer.from(
      Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256)
    ).toString('base64')
    expect(isHighEntropyLine(`var d='${base64}'`)).toBe(true)
    expect(isHighEntropyLine('a = a + 1; '.repeat(300))).toBe(false)
    expect(isHighEntropyLine(base64.slice(0, 1000))).toBe(false)
  })

  it('does not call minified code with a small embedded literal encoded data', () => {
    const code = 'var e=Object.defineProperty;const t=(r,n)=>e(r,"name",{value:n});'.repeat(60)
    const base64 = Buffer.from(Array.from({ length: 900 }, (_, i) => (i * 37) % 256)).toString(
      'base64'
    )
    expect(isHighEntropyLine(code)).toBe(false)
    expect(isHighEntropyLine(`${code}const p="${base64}";${code}`)).toBe(false)
  })

  it('calls a line dominated by hex or padding-free base64 encoded data', () => {
    const hex = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 131) % 256)).toString('hex')
    expect(isHighEntropyLine(`module.exports='${hex}'`)).toBe(true)
    expect(isHighEntropyLine(`var pad='${'A'.repeat(5000)}'`)).toBe(false)
  })

  it('finds the longest base64/hex run', () => {
    expect(longestEncodedRun('a(bc)+/=x_y-z;q')).toEqual({ length: 8, text: '+/=x_y-z' })
    expect(longestEncodedRun('')).toEqual({ length: 0, text: '' })
  })

  it('lists the signs of one line', () => {
    expect(lineSignals(ASCII_ESCAPED).map((signal) => signal.kind)).toEqual(['dense-escapes'])
    expect(lineSignals('const a = 1')).toEqual([])
  })
})
