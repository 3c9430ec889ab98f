import { describe, expect, it } from '@jest/globals'
import { decodeBase64Text } from '../../../../src/rules/lib/code/index.js'
import { decodeEscapes, isMostlyPrintable } from '../../../../src/rules/lib/code/decode.js'

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('decodeBase64Text', () => {
  it.each([
    ['a URL', b64('https://hook.example/abc'), 'https://hook.example/abc'],
    ['code', b64('eval(require("fs").readFileSync(p))'), 'eval(require("fs").readFileSync(p))'],
    ['unpadded', b64('https://x.example/ab').replace(/=+$/, ''), 'https://x.example/ab'],
    [
      'url-safe',
      Buffer.from('??>>https://u.example').toString('base64url'),
      '??>>https://u.example'
    ],
    ['UTF-8 text', b64('héllo wörld, ça va'), 'héllo wörld, ça va']
  ])('decodes %s', (_label, input, expected) => {
    expect(decodeBase64Text(input)).toBe(expected)
  })

  it.each([
    ['too short', b64('hi there')],
    [
      'random bytes',
      Buffer.from(Array.from({ length: 30 }, (_, i) => (i * 97 + 13) % 256)).toString('base64')
    ],
    ['an identifier', 'someVeryLongIdentifierName'],
    ['a path', '/usr/local/lib/node_modules/x'],
    ['bad padding', 'aHR0cHM6Ly9leGFtcGxl='],
    ['spaces', 'aGVsbG8gd29y bGQgaGVsbG8='],
    ['mixed alphabets', 'aHR0cHM6Ly9_ZXhh+bXBsZQ']
  ])('rejects %s', (_label, input) => {
    expect(decodeBase64Text(input)).toBeUndefined()
  })
})

describe('decodeEscapes', () => {
  it.each([
    ['\\x41\\x42', 'AB'],
    ['\\u0041', 'A'],
    ['\\u{1F600}', '😀'],
    ['a\\nb\\t', 'a\nb\t'],
    ["it\\'s", "it's"],
    ['\\xZZ', 'xZZ'],
    ['trailing\\', 'trailing\\']
  ])('%s', (input, expected) => {
    expect(decodeEscapes(input)).toBe(expected)
  })
})

describe('isMostlyPrintable', () => {
  it('accepts text and rejects control characters', () => {
    expect(isMostlyPrintable('line one\nline two\t')).toBe(true)
    expect(isMostlyPrintable('\u0000\u0001\u0002abc')).toBe(false)
    expect(isMostlyPrintable('')).toBe(false)
  })
})
