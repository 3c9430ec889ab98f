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
    ['pnpm-lock.yaml', true],
    ['apps/web/yarn.lock', true],
    ['bun.lock', true],
    ['bun.lockb', true],
    ['package.json', false],
    ['pnpm-lock.yml', false],
    ['yarn.lock.orig', false],
    ['package-lock.json.bak', false],
    ['my-package-lock.json', false]
  ])('%s -> %s', (path, expected) => {
    expect(isSupportedLockfile(path)).toBe(expected)
  })
})

describe('parseLockfile: what is not a lockfile is an error, never an empty list', () => {
  it('rejects an unknown file name, listing every supported one', () => {
    const error = parseError('{}', 'deps/Gemfile.lock')
    expect(error).toMatchObject({ code: 'ELOCKFILE', file: 'deps/Gemfile.lock' })
    expect(error.message).toBe(
      'deps/Gemfile.lock is not a supported lockfile (supported: package-lock.json, ' +
        'npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, bun.lock, bun.lockb)'
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

describe('parseLockfile: routing by file name', () => {
  const PNPM = [
    "lockfileVersion: '9.0'",
    '',
    'importers:',
    '',
    '  .:',
    '    dependencies:',
    '      left-pad:',
    '        specifier: 1.3.0',
    '        version: 1.3.0',
    '',
    'packages:',
    '',
    '  left-pad@1.3.0:',
    `    resolution: {integrity: sha512-${'A'.repeat(86)}==}`,
    '',
    'snapshots:',
    '',
    '  left-pad@1.3.0: {}',
    ''
  ].join('\n')
  const YARN = [
    '# yarn lockfile v1',
    '',
    '',
    'left-pad@1.3.0:',
    '  version "1.3.0"',
    '  resolved "https://npm.example.test/left-pad/-/left-pad-1.3.0.tgz"',
    `  integrity sha512-${'A'.repeat(86)}==`,
    ''
  ].join('\n')
  const BUN = [
    '{',
    '  "lockfileVersion": 1,',
    '  "workspaces": {',
    '    "": {',
    '      "name": "app",',
    '      "dependencies": {',
    '        "left-pad": "1.3.0",',
    '      },',
    '    },',
    '  },',
    '  "packages": {',
    `    "left-pad": ["left-pad@1.3.0", "", {}, "sha512-${'A'.repeat(86)}=="],`,
    '  }',
    '}',
    ''
  ].join('\n')

  it.each([
    ['apps/b/pnpm-lock.yaml', PNPM, 'pnpm-lock', 13],
    ['yarn.lock', YARN, 'yarn-lock', 4],
    ['tools/bun.lock', BUN, 'bun-lock', 12]
  ])('%s is read by its own parser', (path, text, format, line) => {
    const parsed = parseLockfile(path, text)
    expect(parsed).toMatchObject({ path, format })
    expect(parsed.packages).toEqual([
      expect.objectContaining({ name: 'left-pad', version: '1.3.0', line, source: 'registry' })
    ])
  })

  it('refuses bun.lockb, saying how to switch to the text lockfile', () => {
    const error = parseError('\u0000\u0001binary', 'apps/c/bun.lockb')
    expect(error).toMatchObject({ code: 'ELOCKFILE', file: 'apps/c/bun.lockb' })
    expect(error.message).toMatch(/bun\.lock\b/)
  })

  it.each([
    ['pnpm-lock.yaml', 'lockfileVersion: 99.0\n', /99/],
    ['pnpm-lock.yaml', 'lockfileVersion: 9.0\nimporters: [\n', /./],
    ['yarn.lock', '__metadata:\n  version: 999\n  cacheKey: 10c0\n', /999/],
    ['yarn.lock', 'left-pad@1.3.0:\n  version "1.3.0\n', /./],
    ['bun.lock', '{ "lockfileVersion": 99, "packages": {} }', /99/],
    ['bun.lock', '{ "lockfileVersion": 1, "packages": ', /./],
    ['pnpm-lock.yaml', '', /./],
    ['bun.lock', '', /./]
  ])('fails closed on %s %j', (path, text, message) => {
    const error = parseError(text, path)
    expect(error).toMatchObject({ code: 'ELOCKFILE' })
    expect(error.message).toMatch(path)
    expect(error.message).toMatch(message)
  })
})

describe('parseLockfile: never a pass with zero packages', () => {
  it.each([
    [
      'a pnpm lockfile whose importers list dependencies but has no packages',
      'pnpm-lock.yaml',
      [
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    dependencies:',
        '      left-pad:',
        '        specifier: 1.3.0',
        '        version: 1.3.0',
        ''
      ].join('\n')
    ],
    [
      'an npm lockfile whose root lists dependencies but has no entries',
      'package-lock.json',
      lock({ '': { name: 'x', dependencies: { 'left-pad': '1.3.0' } } })
    ]
  ])('rejects %s', (_what, path, text) => {
    const error = parseError(text, path)
    expect(error).toMatchObject({ code: 'ELOCKFILE', file: path })
    expect(error.message).toMatch(
      /declares dependencies, but no package entry could be read from it; refusing to pass a lockfile with zero packages/
    )
    expect(error.message).toMatch(/lockfileVersion (9|3)/)
  })

  it.each([
    ['pnpm-lock.yaml', "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n"],
    ['yarn.lock', '# yarn lockfile v1\n\n\n'],
    [
      'bun.lock',
      '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "name": "x" } },\n  "packages": {}\n}\n'
    ]
  ])('accepts an empty %s of a project without dependencies', (path, text) => {
    expect(parseLockfile(path, text).packages).toEqual([])
  })
})
