import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/obfuscation-introduced.js'
import { makeChange, makeContext, makeFiles } from '../../helpers/factories.js'

const READABLE = [
  "'use strict'",
  '',
  'function colorize(text, code) {',
  '  return `\\u001b[${code}m${text}\\u001b[0m`',
  '}',
  '',
  'module.exports = { colorize }',
  ''
].join('\n')

// Defanged: the same shape as javascript-obfuscator output, but it only joins two words.
const OBFUSCATED =
  "const _0x3f1a=['aGVsbG8=','d29ybGQ=','join'];(function(_0x4b2c1d,_0x1e9f07){" +
  "const _0x52ac3e=function(_0x2d8a11){while(--_0x2d8a11){_0x4b2c1d['push'](_0x4b2c1d['shift']());}};" +
  '_0x52ac3e(++_0x1e9f07);}(_0x3f1a,0x1b3));'
const ESCAPED = "const _m = '" + '\\x72\\x65\\x71\\x75\\x69\\x72\\x65'.repeat(4) + "'"
const HIDDEN = `module.exports = { colorize }${' '.repeat(200)};globalThis.__x = 'marker'`
const BASE64 = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256)).toString(
  'base64'
)
const HIGH_ENTROPY = `const _d = '${BASE64}'`
const HEX_NAMES = 'var _0xa1b2c3=1,_0xb2c3d4=2,_0xc3d4e5=3,_0xd4e5f6=4,_0xe5f6a7=5;'
const MINIFIED = '!function(e){var t={};function n(r){return t[r]}e.x=[n,t]}(this);'.repeat(80)

/** A minified build line (the tsx 4.23.15 shape): 13 KB, 5.6 bits per character. */
const MINIFIED_BUILD =
  '"use strict";' +
  Array.from({ length: 60 }, (_, i) => {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
    const [a, b, c] = [letters[i % 52], letters[(i * 7 + 3) % 52], letters[(i * 11 + 5) % 52]]
    return (
      `var ${a}${i}=Object.defineProperty;const ${b}=(${c},Q${i})=>${a}${i}(${c},"name",` +
      `{value:Q${i},configurable:!0});function X${i}(${c}){if(typeof ${c}!=="string")throw ` +
      `new TypeError(\`Expected \${${c}} #${i}\`);return ${c}.length>${i * 3}?` +
      `${b}(${c}.slice(0,${i}),"K${i}"):[${i},${i + 1}]}`
    )
  }).join('')
const HEX_PAYLOAD = `const _w = '${Buffer.from(BASE64).toString('hex').slice(0, 6000)}'`
/** Bytes as a latin1 string: an alphabet wider than base64, entropy near 7 bits. */
const BINARY_STRING = `const _p = ${JSON.stringify(
  Buffer.from(Array.from({ length: 4000 }, (_, i) => 33 + ((i * 89 + 17) % 222))).toString('latin1')
)}`

const append = (line: string) => `${READABLE}${line}\n`

function changed(oldFiles: Record<string, string>, newFiles: Record<string, string>) {
  return makeContext({ files: makeFiles(newFiles), previousFiles: makeFiles(oldFiles) })
}

function added(newFiles: Record<string, string>) {
  return makeContext({ change: makeChange({ previousVersion: null }), files: makeFiles(newFiles) })
}

describe('content/obfuscation-introduced', () => {
  it('fires high on obfuscated code appended to a readable entry file (qix shape)', async () => {
    const findings = await rule.check(
      changed({ 'index.js': READABLE }, { 'index.js': append(OBFUSCATED) })
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'content/obfuscation-introduced',
      severity: 'high'
    })
    expect(findings[0]?.message).toContain(
      'into index.js, which was readable in the previous version'
    )
    expect(findings[0]?.message).toContain('_0x identifiers')
    expect(findings[0]?.message).toContain('a rotated string array')
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'index.js', line: 8 })
  })

  it.each([
    ['dense ASCII escapes', ESCAPED, 'dense hex/unicode escapes'],
    ['code hidden after whitespace', HIDDEN, 'code hidden after a long run of whitespace'],
    ['a long base64 line', HIGH_ENTROPY, 'a very long line of encoded data'],
    ['a long hex line', HEX_PAYLOAD, 'a very long line of encoded data'],
    ['a long binary string', BINARY_STRING, 'a very long line of encoded data'],
    ['a _0x family', HEX_NAMES, '_0x identifiers']
  ])('fires high on %s added to a readable file', async (_name, line, words) => {
    const findings = await rule.check(
      changed({ 'index.js': READABLE }, { 'index.js': append(line) })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
    expect(findings[0]?.message).toContain(words)
  })

  it.each([
    ['obfuscated code', OBFUSCATED, 'high'],
    ['dense escapes', ESCAPED, 'medium']
  ])('grades %s in a new file of a changed package', async (_name, line, severity) => {
    const findings = await rule.check(
      changed({ 'index.js': READABLE }, { 'index.js': READABLE, 'lib/x.js': line })
    )
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  it('grades a new sign in a file that was already minified medium', async () => {
    const findings = await rule.check(
      changed({ 'dist/a.js': MINIFIED }, { 'dist/a.js': `${MINIFIED}\n${OBFUSCATED}` })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['medium'])
  })

  it.each([
    ['obfuscated code', OBFUSCATED, 'medium'],
    ['dense escapes', ESCAPED, 'low']
  ])('grades %s in an added package lower', async (_name, line, severity) => {
    const findings = await rule.check(added({ 'index.js': append(line) }))
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  it.each([
    [
      'a minified file that was minified before',
      { 'dist/a.min.js': MINIFIED },
      { 'dist/a.min.js': MINIFIED.replace(/e\.x/g, 'e.y') }
    ],
    [
      'a few i18n escapes',
      { 'index.js': READABLE },
      { 'index.js': append("const s = 'caf\\u00e9 cr\\u00e8me'") }
    ],
    [
      'a new data URI in a file that had them',
      { 'styles.js': HIGH_ENTROPY },
      { 'styles.js': `${HIGH_ENTROPY}\n${HIGH_ENTROPY.replace('_d', '_e')}` }
    ],
    [
      'a file that was obfuscated before',
      { 'lib.js': OBFUSCATED },
      { 'lib.js': `${OBFUSCATED}\n${OBFUSCATED.replace(/3f1a/g, '9e9e')}` }
    ],
    [
      'readable code',
      { 'index.js': READABLE },
      {
        'index.js': append(
          'function _baseIteratee(value) {\n  return typeof value == "function" ? value : identity\n}'
        )
      }
    ],
    ['a long high-entropy line in a new file', {}, { 'data.js': HIGH_ENTROPY }],
    [
      'a readable file rebuilt as minified output (tsx 4.23.15)',
      { 'dist/esm/api/index.cjs': READABLE },
      { 'dist/esm/api/index.cjs': `${MINIFIED_BUILD}\n` }
    ],
    [
      'a webpack bundle with an embedded base64 patch (yarn 2.4.3)',
      { 'bin/yarn.js': READABLE },
      {
        'bin/yarn.js': `#!/usr/bin/env node\n${MINIFIED_BUILD}const p="${BASE64.slice(0, 3000)}";${MINIFIED_BUILD}\n`
      }
    ],
    ['obfuscation in a test file', {}, { 'test/fixture.js': OBFUSCATED }]
  ])('stays quiet on %s', async (_name, before, after) => {
    expect(await rule.check(changed(before, after))).toEqual([])
  })
})
