import { describe, expect, it } from '@jest/globals'
import { lexicalFacts } from '../../../../src/rules/lib/code/parse.js'

describe('lexicalFacts', () => {
  it('finds strings with lines, escapes decoded, across multi-line templates', () => {
    const facts = lexicalFacts('a(\'x\')\nb = `one\ntwo`\nc = "\\x41"')
    expect(facts.parsed).toBe(false)
    expect(facts.strings).toEqual([
      { value: 'x', line: 1 },
      { value: 'one\ntwo', line: 2 },
      { value: 'A', line: 4, decodedFrom: 'escapes' }
    ])
  })

  it.each([
    [`const a = require('fs')`, ['fs']],
    [`import x from "os"`, ['os']],
    [`import 'side-effect'`, ['side-effect']],
    [`await import('dyn')`, ['dyn']],
    [`log('fs')`, []]
  ])('imports of %s', (source, expected) => {
    expect(lexicalFacts(source).imports.map((entry) => entry.specifier)).toEqual(expected)
  })

  it('finds calls, new calls and members, and which members are assigned', () => {
    const facts = lexicalFacts(
      `new Function('x'); cp.exec("id"); window.fetch = f; if (a.b == 1) {}; function g() {}`
    )
    expect(facts.calls).toEqual([
      { callee: 'new Function', args: ['x'], line: 1 },
      { callee: 'cp.exec', args: ['id'], line: 1 }
    ])
    expect(facts.members).toEqual([
      { path: 'window.fetch', assigned: true, line: 1 },
      { path: 'a.b', assigned: false, line: 1 }
    ])
  })

  it('finds key: value pairs', () => {
    const facts = lexicalFacts(`send({ bcc: 'a@b.c', 'Reply-To': "d@e.f", n: 1 })`)
    expect(facts.properties).toEqual([
      { key: 'bcc', value: 'a@b.c', line: 1 },
      { key: 'Reply-To', value: 'd@e.f', line: 1 },
      { key: 'n', line: 1 }
    ])
  })

  it('skips comments but not URLs', () => {
    const facts = lexicalFacts(`// don't 'x'\n/* it's\n */ u = "https://a.example" // tail 'y'`)
    expect(facts.strings).toEqual([{ value: 'https://a.example', line: 3 }])
  })

  it('does not read hex number digits as identifiers', () => {
    expect(lexicalFacts('x = 0x1f + _0x2a3b').identifiers).toEqual(['x', '_0x2a3b'])
  })
})
