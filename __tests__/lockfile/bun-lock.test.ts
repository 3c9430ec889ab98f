// bun.lock: every entry of every fixture is checked against expectations built independently
// (comments and trailing commas stripped, then JSON.parse; the line found by a text search), plus
// hand-checked samples and every way a file can fail. bun.lockb is refused with a way out.
import { describe, expect, it } from '@jest/globals'
import { GateError } from '../../src/errors.js'
import { parseBunLock, rejectBunLockb } from '../../src/lockfile/bun-lock.js'
import type { LockedPackage } from '../../src/types.js'
import { readFixture } from './fixture.js'

type Tuple = [string, ...unknown[]]

/** Good enough for the fixtures: whole-line comments and `,` before a closing bracket. */
function looseJson(text: string): { packages: Record<string, Tuple> } {
  const json = text.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[\]}])/g, '$1')
  return JSON.parse(json) as { packages: Record<string, Tuple> }
}

interface Expected {
  path: string
  name: string
  version: string
  integrity?: string
  line: number
}

function expectedEntries(text: string): Expected[] {
  const expected: Expected[] = []
  for (const [key, tuple] of Object.entries(looseJson(text).packages)) {
    const ident = tuple[0]
    const at = ident.indexOf('@', 1)
    const [name, spec] = [ident.slice(0, at), ident.slice(at + 1)]
    if (/^(?:workspace|link|root):/.test(spec)) continue
    if (spec.startsWith('file:') && !spec.endsWith('.tgz')) continue
    const git = /^(?:git\+|github:)/.test(spec)
    const integrity = tuple.length === 4 ? tuple[3] : git ? undefined : tuple[2]
    expected.push({
      path: key,
      name,
      version: spec,
      integrity: integrity as string,
      line: lineOf(text, key)
    })
  }
  return expected
}

/** 1-based line of the only `"<key>": [` in the text. */
function lineOf(text: string, key: string): number {
  const needle = `${JSON.stringify(key)}: [`
  const at = text.indexOf(needle)
  if (at === -1 || text.indexOf(needle, at + 1) !== -1) throw new Error(`key ${key} not unique`)
  return text.slice(0, at).split('\n').length
}

function expectMatchesText(name: string): LockedPackage[] {
  const text = readFixture(name)
  const parsed = parseBunLock('bun.lock', text)
  const expected = expectedEntries(text)
  expect(parsed.packages.map((locked) => locked.path)).toEqual(expected.map((entry) => entry.path))
  parsed.packages.forEach((locked, index) => {
    const entry = expected[index]
    expect([locked.name, locked.version, locked.integrity, locked.line]).toEqual([
      entry.name,
      entry.version,
      entry.integrity,
      entry.line
    ])
  })
  return parsed.packages
}

function parseFixture(name: string) {
  return parseBunLock('bun.lock', readFixture(name))
}

function lockfileError(run: () => unknown): GateError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(GateError)
    expect((error as GateError).code).toBe('ELOCKFILE')
    return error as GateError
  }
  throw new Error('expected an ELOCKFILE error')
}

const FIXTURES = [
  'bun/real.bun.lock',
  'bun/workspace.bun.lock',
  'bun/sources.bun.lock',
  'bun/hand/v1-shapes.bun.lock'
]

describe('parseBunLock: every entry of every fixture', () => {
  it.each(FIXTURES)('%s: name, version, integrity and line match the text', (name) => {
    expect(expectMatchesText(name).length).toBeGreaterThan(0)
  })
})

describe('parseBunLock: a real bun.lock (bun 1.4.5, lockfileVersion 2)', () => {
  const parsed = parseFixture('bun/real.bun.lock')
  const byPath = new Map(parsed.packages.map((locked) => [locked.path, locked]))

  it('reads all 81 packages of the project, each from the default registry', () => {
    expect(parsed).toMatchObject({ path: 'bun.lock', format: 'bun-lock', lockfileVersion: 2 })
    expect(parsed.packages).toHaveLength(81)
    expect(parsed.packages.every((locked) => locked.source === 'registry')).toBe(true)
    expect(parsed.packages.every((locked) => locked.resolved === undefined)).toBe(true)
    expect(parsed.packages.every((locked) => locked.integrity?.startsWith('sha512-'))).toBe(true)
  })

  it('samples: scoped, alias and nested copies', () => {
    expect(byPath.get('@babel/code-frame')).toEqual({
      name: '@babel/code-frame',
      version: '7.26.2',
      path: '@babel/code-frame',
      integrity:
        'sha512-RJlIHRueQgwWitWgF8OdFYGZX328Ax5BCemNGlqHfplnRT9ESi8JkFlvaVYbS+UubVY6dpv87Fs2u5M29iNFVQ==',
      line: 19,
      source: 'registry'
    })
    expect(byPath.get('sw-cjs')).toMatchObject({
      name: 'string-width',
      version: '4.2.3',
      alias: 'sw-cjs'
    })
    const nested = parsed.packages.filter((locked) => locked.path.includes('/ms'))
    expect(nested.map((locked) => [locked.path, locked.version])).toEqual(
      expect.arrayContaining([['debug/ms', '2.0.0']])
    )
  })

  it('has the same packages as the pnpm lockfile of the same project', () => {
    const names = parsed.packages.map((locked) => `${locked.name}@${locked.version}`)
    expect(new Set(names).size).toBe(81)
  })
})

describe('parseBunLock: sources and shapes', () => {
  it('real: registry, git, remote and local tarballs; folders and workspaces are left out', () => {
    const packages = parseFixture('bun/sources.bun.lock').packages
    expect(packages.map((locked) => [locked.path, locked.name, locked.source])).toEqual([
      ['debug', 'debug', 'registry'],
      ['git-lib', 'git-lib', 'git'],
      ['ms', 'ms', 'registry'],
      ['remote-lib', 'remote-lib', 'remote'],
      ['tar-lib', 'tar-lib', 'file'],
      ['debug/ms', 'ms', 'registry']
    ])
    const git = packages[1]
    expect(git.resolved).toMatch(/^git\+file:\/\/\/fixture\/src\/git-lib#[0-9a-f]{40}$/)
    expect(git.integrity).toBeUndefined()
    expect(packages[3].resolved).toBe('http://tarballs.example.test/remote-lib-4.0.0.tgz')
    expect(packages[4].resolved).toBe('./vendor/tar-lib-2.0.0.tgz')
  })

  it('real workspace: workspace packages are the repository, the alias keeps its folder', () => {
    const packages = parseFixture('bun/workspace.bun.lock').packages
    expect(packages.some((locked) => locked.name.startsWith('@fixture/'))).toBe(false)
    expect(packages.find((locked) => locked.alias === 'sw-cjs')?.name).toBe('string-width')
  })

  it('v1: another registry, GitHub, nested scoped paths, links, comments', () => {
    const parsed = parseFixture('bun/hand/v1-shapes.bun.lock')
    expect(parsed.lockfileVersion).toBe(1)
    expect(parsed.packages.map((locked) => [locked.path, locked.source, locked.line])).toEqual([
      ['@corp/ui', 'registry', 22],
      ['@babel/code-frame', 'registry', 24],
      ['is-even', 'git', 28],
      ['js-tokens', 'registry', 30],
      ['ms', 'registry', 34],
      ['@shapes/tool/@babel/code-frame', 'registry', 37],
      ['is-even/is-odd', 'registry', 39]
    ])
    expect(parsed.packages[0].resolved).toBe(
      'https://npm.corp.example.test/@corp/ui/-/ui-3.1.0.tgz'
    )
    expect(parsed.packages[5]).toMatchObject({ name: '@babel/code-frame', version: '7.0.0' })
    expect(parsed.packages[5].alias).toBeUndefined()
  })

  it('a registry base URL becomes the tarball URL; an off-shape URL is a remote tarball', () => {
    const tuple = (registry: string) =>
      `{"lockfileVersion": 2, "packages": {"@s/x": ["@s/x@1.0.0", "${registry}", {}, "sha512-A"]}}`
    expect(parseBunLock('bun.lock', tuple('https://r.example.test/')).packages[0]).toMatchObject({
      resolved: 'https://r.example.test/@s/x/-/x-1.0.0.tgz',
      source: 'registry'
    })
    expect(
      parseBunLock('bun.lock', tuple('https://evil.example.test/payload.tgz')).packages[0]
    ).toMatchObject({ resolved: 'https://evil.example.test/payload.tgz', source: 'remote' })
  })
})

describe('parseBunLock: failures', () => {
  const lock = (packages: string) =>
    `{\n  "lockfileVersion": 2,\n  "packages": {\n${packages}\n  },\n}\n`

  it('bun.lockb is refused with the way to switch to bun.lock', () => {
    const error = lockfileError(() => rejectBunLockb('apps\\web\\bun.lockb'))
    expect(error.file).toBe('apps/web/bun.lockb')
    expect(error.message).toMatch(/^apps\/web\/bun\.lockb is bun's binary lockfile/)
    expect(error.message).toContain('bun install --save-text-lockfile')
    expect(error.message).toContain('bun.lock')
  })

  it('an unknown lockfileVersion names the version and the supported ones', () => {
    const error = lockfileError(() =>
      parseBunLock('bun.lock', readFixture('bun/hand/unknown-version.bun.lock'))
    )
    expect(error.message).toBe(
      'bun.lock: bun lockfileVersion 3 at line 2 is not supported (supported: 0, 1, 2)'
    )
    expect(error).toMatchObject({ file: 'bun.lock', line: 2 })
    expect(
      lockfileError(() => parseBunLock('bun.lock', '{"lockfileVersion": "2", "packages": {}}'))
        .message
    ).toMatch(/lockfileVersion "2" at line 1 is not supported/)
  })

  it('text that is not JSONC: the error and its line', () => {
    const error = lockfileError(() =>
      parseBunLock('bun.lock', readFixture('bun/hand/not-jsonc.bun.lock'))
    )
    expect(error.message).toMatch(
      /^bun\.lock is not valid JSONC: CommaExpected at line 4 column \d+$/
    )
    expect(error.line).toBe(4)
  })

  it('JSON that is not a bun lockfile', () => {
    const cases: [string, RegExp][] = [
      ['', /^bun\.lock is empty$/],
      ['[]', /the top level is not an object/],
      ['{"packages": {}}', /it has no "lockfileVersion"/],
      ['{"lockfileVersion": 2}', /requires a "packages" object, and there is none/],
      ['{"lockfileVersion": 2, "packages": []}', /"packages" must be an object, found array/],
      ['{"lockfileVersion": 2, "packages": {}, "packages": {}}', /duplicate key "packages"/]
    ]
    for (const [text, pattern] of cases) {
      expect(lockfileError(() => parseBunLock('bun.lock', text)).message).toMatch(pattern)
    }
  })

  it('entries that cannot be read are errors on their own line', () => {
    const cases: [string, RegExp][] = [
      ['    "ms": {},', /entry "ms" at line 4 is not an array/],
      ['    "ms": [],', /has no package id \(item 1\)/],
      ['    "ms": ["ms"],', /has a package id without "@<version>"/],
      ['    "ms": ["ms@2.1.3", "", {}],', /has 3 items where a registry entry has 4/],
      ['    "ms": ["ms@2.1.3", "", [], "sha512-A"],', /has no metadata object \(item 3\)/],
      ['    "ms": ["ms@latest", "", {}, "sha512-A"],', /has an invalid version "latest"/],
      ['    "ms": ["ms@2.1.3", "", {}, 7],', /has no integrity \(item 4\)/],
      ['    "ms": ["../ms@2.1.3", "", {}, "a"],', /has an invalid package name/],
      ['    "x": ["x@github:o/r#abc", {}],', /has 2 items where a git entry has 3/],
      ['    "x": ["x@https://h.example.test/x.tgz", "", {}, "a"],', /where a tarball entry has 3/],
      [
        '    "../x": ["x@1.0.0", "", {}, "a"],',
        /entry "..\/x" at line 4 has an invalid package name ".."/
      ],
      ['    "x": ["x@1.0.0\\u0007", "", {}, "a"],', /has an invalid package id/]
    ]
    for (const [entry, pattern] of cases) {
      const error = lockfileError(() => parseBunLock('bun.lock', lock(entry)))
      expect(error.message).toMatch(pattern)
      expect(error).toMatchObject({ file: 'bun.lock', line: 4 })
    }
  })

  it('absurd nesting is a lockfile error, not a crash', () => {
    const text = `{"lockfileVersion": 2, "packages": ${'['.repeat(100_000)}`
    expect(lockfileError(() => parseBunLock('bun.lock', text)).file).toBe('bun.lock')
  })
})

describe('parseBunLock on a 2,000-entry lockfile', () => {
  it('reads every entry on the line of its key', () => {
    const count = 2000
    const entries: string[] = []
    for (let i = 0; i < count; i++) {
      const name = i % 5 === 0 ? `@scope-${i % 7}/pkg-${i}` : `pkg-${i}`
      const key = i % 3 === 0 ? `parent-${i}/${name}` : name
      const meta = '{ "dependencies": { "dep-a": "^1.0.0", "dep-b": "^2.0.0" } }'
      const integrity = `sha512-${'A'.repeat(86)}==`
      entries.push(`    "${key}": ["${name}@1.${i % 10}.${i}", "", ${meta}, "${integrity}"],`, '')
    }
    const text = `{\n  "lockfileVersion": 2,\n  "workspaces": {},\n  "packages": {\n${entries.join('\n')}\n  }\n}\n`
    const parsed = parseBunLock('bun.lock', text)
    expect(parsed.packages).toHaveLength(count)
    const lines = text.split('\n')
    for (const locked of parsed.packages) {
      expect(lines[locked.line - 1].startsWith(`    ${JSON.stringify(locked.path)}: [`)).toBe(true)
    }
    expect(parsed.packages[0]).toMatchObject({ name: '@scope-0/pkg-0', line: 5 })
  })
})
