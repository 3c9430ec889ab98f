import { describe, expect, it } from '@jest/globals'
import { GateError } from '../../src/errors.js'
import { isSupportedLockfile, parseLockfile } from '../../src/lockfile/index.js'
import { readFixture } from './fixture.js'

/** The GateError thrown by parsing `text` as `path`. */
function parseError(text: string, path = 'package-lock.json'): GateError {
  try {
    parseLockfile(path, text)
  } catch (error) {
    if (error instanceof GateError) return error
    throw error
  }
  throw new Error('expected parseLockfile to throw')
}

const lock = (packages: unknown, version = 3) =>
  JSON.stringify({ name: 'x', version: '1.0.0', lockfileVersion: version, packages }, null, 2)

describe('isSupportedLockfile', () => {
  it.each([
    ['package-lock.json', true],
    ['apps/web/package-lock.json', true],
    ['npm-shrinkwrap.json', true],
    ['apps\\web\\npm-shrinkwrap.json', true],
    ['package.json', false],
    ['yarn.lock', false],
    ['package-lock.json.bak', false],
    ['my-package-lock.json', false]
  ])('%s -> %s', (path, expected) => {
    expect(isSupportedLockfile(path)).toBe(expected)
  })
})

describe('parseLockfile: what is not a lockfile is an error, never an empty list', () => {
  it('rejects an unknown file name', () => {
    const error = parseError('{}', 'yarn.lock')
    expect(error).toMatchObject({ code: 'ELOCKFILE', file: 'yarn.lock' })
    expect(error.message).toMatch(
      /yarn\.lock is not a supported lockfile \(supported: package-lock\.json, npm-shrinkwrap\.json\)/
    )
  })

  it('says where the JSON breaks', () => {
    const error = parseError(readFixture('not-json.txt'))
    expect(error).toMatchObject({ code: 'ELOCKFILE', file: 'package-lock.json', line: 12 })
    expect(error.message).toBe(
      "package-lock.json is not valid JSON: unexpected ',' (property name expected) at line 12 column 7"
    )
  })

  it('names the unsupported lockfileVersion and the supported ones', () => {
    const error = parseError(readFixture('unknown-version.json'))
    expect(error).toMatchObject({ code: 'ELOCKFILE', line: 4 })
    expect(error.message).toBe(
      'package-lock.json: lockfileVersion 99 at line 4 is not supported (supported: 1, 2, 3)'
    )
  })

  it('rejects valid JSON that is not a lockfile (a package.json)', () => {
    const error = parseError(readFixture('not-a-lockfile.json'))
    expect(error.message).toBe(
      'package-lock.json is not an npm lockfile: it has no "lockfileVersion"'
    )
  })

  it.each([
    ['an empty file', '', /is empty/],
    ['whitespace', ' \n ', /is empty/],
    ['a top-level array', '[1, 2]', /the top level is not an object/],
    [
      'a string lockfileVersion',
      '{"lockfileVersion": "3"}',
      /"lockfileVersion" at line 1 is not a number/
    ],
    ['a v3 file without packages', '{"lockfileVersion": 3}', /requires a "packages" object/],
    [
      'packages as an array',
      '{"lockfileVersion": 3, "packages": []}',
      /"packages" must be an object, found array/
    ],
    [
      'a comment',
      '{"lockfileVersion": 3, /* hi */ "packages": {}}',
      /not valid JSON.*line 1 column 24/
    ],
    ['a trailing comma', '{"lockfileVersion": 3, "packages": {},}', /not valid JSON/],
    [
      'truncated text',
      '{"lockfileVersion": 3, "packages": {',
      /not valid JSON: unexpected end of file/
    ]
  ])('rejects %s', (_what, text, message) => {
    const error = parseError(text)
    expect(error.code).toBe('ELOCKFILE')
    expect(error.message).toMatch(message)
  })

  it('rejects absurd nesting as a lockfile error, not a crash', () => {
    const error = parseError(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)
    expect(error.code).toBe('ELOCKFILE')
  })
})

describe('parseLockfile: entries that npm could not have written', () => {
  it.each([
    [
      'a version that is not a string',
      { 'node_modules/a': { version: 1 } },
      /"node_modules\/a" at line 6 has a "version" that is not a string/
    ],
    ['a missing version', { 'node_modules/a': { integrity: 'sha512-x' } }, /has no "version"/],
    [
      'a range as a registry version',
      { 'node_modules/a': { version: '^1.0.0' } },
      /has an invalid version "\^1\.0\.0"/
    ],
    [
      'a dist-tag as a registry version',
      { 'node_modules/a': { version: 'latest' } },
      /has an invalid version "latest"/
    ],
    [
      'a name with a slash',
      { 'node_modules/a': { name: '../../x', version: '1.0.0' } },
      /invalid package name "\.\.\/\.\.\/x"/
    ],
    [
      'a path segment that is not a name',
      { 'node_modules/a/b/c': { version: '1.0.0' } },
      /invalid package name "a\/b\/c"/
    ],
    [
      'a flag that is not a boolean',
      { 'node_modules/a': { version: '1.0.0', dev: 'yes' } },
      /"dev" that is not a boolean/
    ],
    [
      'an entry that is not an object',
      { 'node_modules/a': '1.0.0' },
      /must be an object, found string/
    ]
  ])('rejects %s', (_what, packages, message) => {
    const error = parseError(lock(packages))
    expect(error).toMatchObject({ code: 'ELOCKFILE', file: 'package-lock.json' })
    expect(error.message).toMatch(message)
  })

  it('rejects a duplicated entry, which JSON.parse would silently resolve to the last one', () => {
    const text = [
      '{',
      '  "lockfileVersion": 3,',
      '  "packages": {',
      '    "node_modules/a": { "version": "1.0.0", "integrity": "sha512-good" },',
      '    "node_modules/a": { "version": "1.0.0", "integrity": "sha512-evil" }',
      '  }',
      '}'
    ].join('\n')
    const error = parseError(text)
    expect(error).toMatchObject({ code: 'ELOCKFILE', line: 5 })
    expect(error.message).toMatch(
      /duplicate key "node_modules\/a" in "packages" at line 5 \(first at line 4\)/
    )
  })

  it('rejects a duplicated field inside an entry', () => {
    const text = lock({ 'node_modules/a': { version: '1.0.0' } }).replace(
      '"version": "1.0.0"',
      '"version": "1.0.0", "version": "6.6.6"'
    )
    expect(parseError(text).message).toMatch(/duplicate key "version"/)
  })

  it('clips attacker-sized values in messages', () => {
    const error = parseError(lock({ 'node_modules/a': { version: `1.0.0-${'x'.repeat(1000)} ` } }))
    expect(error.message.length).toBeLessThan(300)
  })

  it('rejects a v1 alias without a version', () => {
    const text = JSON.stringify({
      lockfileVersion: 1,
      dependencies: { a: { version: 'npm:string-width' } }
    })
    expect(parseError(text).message).toMatch(/malformed alias "npm:string-width"/)
  })
})

describe('parseLockfile: empty but valid lockfiles', () => {
  it.each([
    ['v3 with only the root', lock({ '': { name: 'x', version: '1.0.0' } })],
    ['v2 with only the root', lock({ '': { name: 'x' } }, 2)],
    [
      'v1 without dependencies',
      JSON.stringify({ name: 'x', version: '1.0.0', lockfileVersion: 1, requires: true })
    ]
  ])('%s has no packages', (_what, text) => {
    expect(parseLockfile('package-lock.json', text).packages).toEqual([])
  })

  it('accepts a byte-order mark and CRLF line ends, with the right lines', () => {
    const text = `\uFEFF${lock({ '': {}, 'node_modules/a': { version: '1.0.0' } }).replaceAll('\n', '\r\n')}`
    expect(parseLockfile('package-lock.json', text).packages).toMatchObject([
      { name: 'a', line: 7 }
    ])
  })
})
