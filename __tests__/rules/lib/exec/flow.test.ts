import { describe, expect, it } from '@jest/globals'
import {
  callArguments,
  feedOf,
  identifiersOf,
  MAX_PLAIN_LINE,
  sourceIn
} from '../../../../src/rules/lib/exec/flow.js'

/** `lineAt` over a small program, 1-based like the code facts. */
function program(...lines: string[]) {
  return (line: number) => lines[line - 1] ?? ''
}

describe('callArguments', () => {
  it.each([
    ['eval(code)', 'eval', [['code']]],
    ['(0,eval)(C)', 'eval', [['C']]],
    ["new Function('a', body)", 'Function', [["'a'", 'body']]],
    ['f(g(1, 2), [3, 4], "x,)")', 'f', [['g(1, 2)', '[3, 4]', '"x,)"']]],
    ['retrieval(x); eval(y)', 'eval', [['y']]],
    ['"[object Function]"', 'Function', []]
  ])('%s', (text, name, expected) => {
    expect(callArguments(text, name)).toEqual(expected)
  })

  it('bounds an unterminated call', () => {
    const args = callArguments(`eval(${'a'.repeat(100_000)}`, 'eval')
    expect(args[0]?.[0]?.length).toBeLessThanOrEqual(400)
  })
})

describe('identifiersOf', () => {
  it('reads variables, not properties or string contents', () => {
    expect(identifiersOf('t.toString() + "binder" + \'x\' + y[0]')).toEqual(['t', 'y'])
  })
})

describe('sourceIn', () => {
  it.each([
    ['atob(p)', 'atob()'],
    ["Buffer.from(s, 'base64').toString()", 'a Buffer.from decode'],
    ['Buffer.from(s)', undefined],
    ['await fetch(url)', 'fetch()'],
    ["require('https').get(u, cb)", 'http.get()'],
    ['x.slice(1)', undefined]
  ])('%s', (text, label) => {
    expect(sourceIn(text)).toBe(label)
  })
})

describe('feedOf', () => {
  it('follows a variable through two assignments', () => {
    const lineAt = program(
      'async function update() {',
      "  const response = await fetch('https://x.test/u.js')",
      '  const code = await response.text()',
      "  new Function('require', code)(require)",
      '}'
    )
    expect(feedOf("'require',code", 4, lineAt)).toEqual({
      label: 'fetch() via code',
      direct: false
    })
  })

  it('follows callback parameters of a fetch chain', () => {
    const lineAt = program('fetch(u).then((r) => r.text()).then((code) => {', '  eval(code)', '})')
    expect(feedOf('code', 2, lineAt)?.label).toBe('fetch() via code')
  })

  it('reports a decode written in the argument as direct', () => {
    expect(feedOf("Buffer.from(s, 'base64').toString()", 1, program('x'))).toEqual({
      label: 'a Buffer.from decode',
      direct: true
    })
  })

  it('ignores a decode of another variable', () => {
    const lineAt = program('const map = atob(inline)', 'const src = compile(input)', 'eval(src)')
    expect(feedOf('src', 3, lineAt)).toBeUndefined()
  })

  it('ignores assignments further than the window', () => {
    const lines = ['const s = atob(p)', ...Array<string>(12).fill('step()'), 'eval(s)']
    expect(feedOf('s', lines.length, program(...lines))).toBeUndefined()
  })

  it('does not follow variables on minified lines', () => {
    const long = `const s = atob(p);${'x();'.repeat(MAX_PLAIN_LINE / 4)}`
    expect(feedOf('s', 2, program(long, 'eval(s)'))).toBeUndefined()
    expect(feedOf('s', 1, program(`${long}eval(s)`))).toBeUndefined()
  })
})
