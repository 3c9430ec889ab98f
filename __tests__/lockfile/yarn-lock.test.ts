// yarn.lock, classic and berry: real lockfiles written by yarn 1.22, 3.1, 3.2, 4.0, 4.14 and 4.18
// (scripts/lockfile-fixtures/yarn.mjs) and hand-made scenarios. Expectations are read from the
// text independently of the parser: the key line is found by searching for the key, the fields by
// reading the lines of its block.
import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { GateError } from '../../src/errors.js'
import { parseYarnLock } from '../../src/lockfile/yarn-lock.js'
import type { LockedPackage, ParsedLockfile } from '../../src/types.js'
import { readFixture } from './fixture.js'

const REAL = fileURLToPath(new URL('../fixtures/lockfiles/yarn/real/', import.meta.url))
const REAL_FIXTURES = readdirSync(REAL).sort()

function parseFixture(name: string): { text: string; parsed: ParsedLockfile } {
  const text = readFixture(`yarn/${name}`)
  return { text, parsed: parseYarnLock('yarn.lock', text) }
}

/** Top-level `key:` lines, keyed by the key without quotes, with their 1-based line. */
function keyLinesOf(text: string): Map<string, number> {
  const keys = new Map<string, number>()
  text.split(/\r?\n/).forEach((line, index) => {
    if (line === '' || line.startsWith(' ') || line.startsWith('#')) return
    keys.set(line.replaceAll('"', '').replace(/:$/, ''), index + 1)
  })
  return keys
}

/** The 1-based line whose text, quotes removed, is exactly `<path>:`; it must be unique. */
function lineOfEntryKey(text: string, path: string): number {
  const lines = text.split(/\r?\n/)
  const found = lines.flatMap((line, index) =>
    line.replaceAll('"', '') === `${path}:` ? [index + 1] : []
  )
  if (found.length !== 1) throw new Error(`${path}: found on ${found.length} lines`)
  return found[0]
}

/** The two-space-indented fields of the block under a key line (`version "1"` or `version: 1`). */
function blockFields(text: string, keyLine: number): Record<string, string> {
  const fields: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let index = keyLine; index < lines.length && lines[index] !== ''; index++) {
    const match = /^ {2}([A-Za-z]+):? (.*)$/.exec(lines[index])
    if (match) fields[match[1]] = match[2].replace(/^"(.*)"$/, '$1')
  }
  return fields
}

/** `@s/a@^1` -> `@s/a`, `sw@npm:string-width@^4` -> `string-width`. */
function nameFromDescriptor(descriptor: string): string {
  const ident = (text: string) => text.slice(0, text.indexOf('@', 1))
  const range = descriptor.slice(ident(descriptor).length + 1)
  return range.startsWith('npm:') && range.indexOf('@', 5) > 0
    ? ident(range.slice(4))
    : ident(descriptor)
}

/** Checks every package against the text, and that every key is either a package or skipped. */
function expectMatchesText(text: string, parsed: ParsedLockfile, skipped: string[]) {
  const berry = parsed.lockfileVersion > 1
  for (const locked of parsed.packages) {
    const line = lineOfEntryKey(text, locked.path)
    const fields = blockFields(text, line)
    expect([locked.path, locked.line]).toEqual([locked.path, line])
    expect(locked.version).toBe(fields.version)
    if (berry) {
      expect(locked.name).toBe(fields.resolution.slice(0, fields.resolution.indexOf('@', 1)))
      expect(locked.integrity).toBeUndefined()
      if (fields.checksum) expect(JSON.stringify(locked)).not.toContain(fields.checksum)
    } else {
      expect(locked.name).toBe(nameFromDescriptor(locked.path.split(', ')[0]))
      expect(locked.integrity).toBe(fields.integrity)
      expect(locked.resolved).toBe(fields.resolved)
    }
  }
  const paths = new Set(parsed.packages.map((locked) => locked.path))
  expect(paths.size).toBe(parsed.packages.length)
  const notParsed = [...keyLinesOf(text).keys()].filter((key) => !paths.has(key))
  expect(notParsed.sort()).toEqual([...skipped].sort())
}

function byPath(parsed: ParsedLockfile): Map<string, LockedPackage> {
  return new Map(parsed.packages.map((locked) => [locked.path, locked]))
}

function expectLockfileError(text: string, message: RegExp, line?: number) {
  let caught: unknown
  try {
    parseYarnLock('dir/yarn.lock', text)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(GateError)
  const error = caught as GateError
  expect(error.code).toBe('ELOCKFILE')
  expect(error.file).toBe('dir/yarn.lock')
  expect(error.message).toMatch(message)
  expect(error.message).not.toContain('\n')
  if (line !== undefined) expect(error.line).toBe(line)
}

describe('parseYarnLock on real lockfiles of the same project', () => {
  it('has one fixture per yarn release we could run', () => {
    expect(REAL_FIXTURES).toEqual([
      'berry-3.1.1.yarn.lock',
      'berry-3.2.4.yarn.lock',
      'berry-4.0.0.yarn.lock',
      'berry-4.14.0.yarn.lock',
      'berry-4.18.1.yarn.lock',
      'classic-1.22.22.yarn.lock'
    ])
  })

  it.each([
    ['classic-1.22.22.yarn.lock', 1],
    ['berry-3.1.1.yarn.lock', 5],
    ['berry-3.2.4.yarn.lock', 6],
    ['berry-4.0.0.yarn.lock', 8],
    ['berry-4.14.0.yarn.lock', 9],
    ['berry-4.18.1.yarn.lock', 10]
  ])('%s (lockfile %i): every entry matches the text', (name, version) => {
    const { text, parsed } = parseFixture(`real/${name}`)
    expect(parsed).toMatchObject({
      path: 'yarn.lock',
      format: 'yarn-lock',
      lockfileVersion: version
    })
    const workspaces = [
      'lockgate-yarn-fixture@workspace:.',
      '@fixture/util@workspace:packages/util'
    ]
    expectMatchesText(text, parsed, version === 1 ? [] : ['__metadata', ...workspaces])
    expect(parsed.packages.every((locked) => locked.source === 'registry')).toBe(true)
  })

  it('finds the same packages in every flavour', () => {
    const sets = REAL_FIXTURES.map((name) => {
      const { parsed } = parseFixture(`real/${name}`)
      return [...new Set(parsed.packages.map((p) => `${p.name}@${p.version}`))].sort()
    })
    expect(sets[0].length).toBeGreaterThan(80)
    for (const set of sets) expect(set).toEqual(sets[0])
  })

  it('reads classic entries with their registry URL and npm integrity', () => {
    const { parsed } = parseFixture('real/classic-1.22.22.yarn.lock')
    const packages = byPath(parsed)
    expect(packages.get('ms@2.1.3, ms@^2.1.2, ms@^2.1.3')).toEqual({
      name: 'ms',
      version: '2.1.3',
      path: 'ms@2.1.3, ms@^2.1.2, ms@^2.1.3',
      resolved: expect.stringMatching(
        /^https:\/\/registry\.example\.test\/ms\/-\/ms-2\.1\.3\.tgz#/
      ),
      integrity: expect.stringMatching(/^sha512-/),
      line: 387,
      source: 'registry'
    })
    expect(packages.get('sw-cjs@npm:string-width@^4.2.0')).toMatchObject({
      name: 'string-width',
      alias: 'sw-cjs',
      version: '4.2.3'
    })
    expect(packages.get('@babel/code-frame@7.26.2')).toMatchObject({ line: 5 })
  })

  it('reads berry aliases and the built-in patch, without resolved or integrity', () => {
    const { parsed } = parseFixture('real/berry-4.18.1.yarn.lock')
    const packages = byPath(parsed)
    expect(packages.get('sw-cjs@npm:string-width@^4.2.0')).toEqual({
      name: 'string-width',
      version: '4.2.3',
      path: 'sw-cjs@npm:string-width@^4.2.0',
      alias: 'sw-cjs',
      line: 772,
      source: 'registry'
    })
    const patch = 'resolve@patch:resolve@npm%3A^1.22.8#optional!builtin<compat/resolve>'
    expect(packages.get(patch)).toEqual({
      name: 'resolve',
      version: '1.22.14',
      path: patch,
      line: 633,
      source: 'registry'
    })
  })

  it('gives the same lines with CRLF line endings and a byte order mark', () => {
    for (const name of ['real/classic-1.22.22.yarn.lock', 'real/berry-4.18.1.yarn.lock']) {
      const { text, parsed } = parseFixture(name)
      const crlf = parseYarnLock('yarn.lock', `\uFEFF${text.replaceAll('\n', '\r\n')}`)
      expect(crlf.packages).toEqual(parsed.packages)
    }
  })
})

describe('parseYarnLock on classic scenarios', () => {
  const { text, parsed } = parseFixture('scenarios/classic.yarn.lock')
  const packages = byPath(parsed)

  it('matches the text for every entry and skips link: entries', () => {
    expectMatchesText(text, parsed, ['linked@link:./packages/linked'])
  })

  it('keeps one package per multi-descriptor key, scoped or not', () => {
    const multi = '@scope/multi@^1.0.0, @scope/multi@^1.1.0, @scope/multi@~1.1.2'
    expect(packages.get(multi)).toMatchObject({ name: '@scope/multi', version: '1.1.4', line: 6 })
    expect(packages.get('plain@^2.0.0, plain@~2.0.1')).toMatchObject({
      name: 'plain',
      integrity: 'sha1-V0yBOM4dK1hh8LRFedutbQxmFbI=',
      source: 'registry'
    })
  })

  it('resolves aliases, including scoped ones on either side', () => {
    expect(packages.get('@scope/sw@npm:string-width@^4.2.0, string-width@^4.1.0')).toMatchObject({
      name: 'string-width',
      alias: '@scope/sw',
      version: '4.2.3'
    })
    expect(packages.get('alias-scoped@npm:@babel/code-frame@^7.0.0')).toMatchObject({
      name: '@babel/code-frame',
      alias: 'alias-scoped'
    })
  })

  it('classifies git, file and tarball sources', () => {
    const sources = Object.fromEntries(parsed.packages.map((p) => [p.name, p.source]))
    expect(sources).toMatchObject({
      'from-git': 'git',
      'from-github': 'git',
      'from-folder': 'file',
      'from-file-tarball': 'file',
      'from-url': 'remote',
      'old-sha1-only': 'registry'
    })
    expect(packages.get('from-folder@file:./vendor/from-folder')).toEqual({
      name: 'from-folder',
      version: '0.3.0',
      path: 'from-folder@file:./vendor/from-folder',
      line: 31,
      source: 'file'
    })
    expect(packages.get('old-sha1-only@^0.1.0')?.integrity).toBeUndefined()
  })
})

describe('parseYarnLock on berry scenarios', () => {
  const { text, parsed } = parseFixture('scenarios/berry.yarn.lock')
  const packages = byPath(parsed)

  it('matches the text for every entry and skips workspaces, portals and links', () => {
    expect(parsed.lockfileVersion).toBe(8)
    expectMatchesText(text, parsed, [
      '__metadata',
      '@fixture/app@workspace:packages/app',
      'fixture-root@workspace:.',
      'linked@link:../linked::locator=fixture-root%40workspace%3A.',
      'portaled@portal:../portaled::locator=fixture-root%40workspace%3A.'
    ])
  })

  it('names an alias after its resolution, whichever descriptor comes first', () => {
    expect(packages.get('@scope/sw@npm:string-width@^4.2.0, string-width@npm:^4.1.0')).toEqual({
      name: 'string-width',
      version: '4.2.3',
      path: '@scope/sw@npm:string-width@^4.2.0, string-width@npm:^4.1.0',
      alias: '@scope/sw',
      line: 25,
      source: 'registry'
    })
  })

  it('reads a patch as the patched registry package', () => {
    const patch =
      'left-pad@patch:left-pad@npm%3A1.3.0#~/.yarn/patches/left-pad-npm-1.3.0-abcdef0123.patch'
    expect(packages.get(patch)).toMatchObject({
      name: 'left-pad',
      version: '1.3.0',
      source: 'registry'
    })
    expect(packages.get(patch)?.resolved).toBeUndefined()
  })

  it('classifies git, file and tarball sources and keeps where they come from', () => {
    const byName = new Map(parsed.packages.map((p) => [p.name, p]))
    expect(byName.get('from-git')).toMatchObject({
      source: 'git',
      resolved: expect.stringMatching(/^https:\/\/git\.example\.test\/.*#commit=4b5f/)
    })
    expect(byName.get('from-github')?.source).toBe('git')
    expect(byName.get('from-file')).toMatchObject({
      source: 'file',
      resolved: expect.stringMatching(/^file:/)
    })
    expect(byName.get('from-url')).toMatchObject({
      source: 'remote',
      resolved: 'https://cdn.example.test/from-url-3.1.0.tgz'
    })
  })

  it('takes the tarball URL of a registry entry from __archiveUrl', () => {
    expect(packages.get('archived@npm:2.0.0')).toMatchObject({
      source: 'registry',
      resolved: 'https://mirror.example.test/archived/archived-2.0.0.tgz'
    })
  })

  it('reads the yarn 2 shape (lockfile version 4), patches of bare versions included', () => {
    const v4 = parseFixture('scenarios/berry-v4.yarn.lock')
    expect(v4.parsed.lockfileVersion).toBe(4)
    expectMatchesText(v4.text, v4.parsed, ['__metadata', 'fixture-root@workspace:.'])
    expect(v4.parsed.packages.map((p) => `${p.name}@${p.version}:${p.line}`)).toEqual([
      'ms@2.1.3:18',
      'resolve@1.20.0:25',
      'resolve@1.20.0:35'
    ])
  })
})

const CLASSIC_HEAD = '# yarn lockfile v1\n\n\n'
const BERRY_HEAD = '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n'
const MS_BERRY =
  '"ms@npm:^2.1.3":\n  version: 2.1.3\n  resolution: "ms@npm:2.1.3"\n  checksum: 10c0/aa\n  languageName: node\n  linkType: hard\n'

describe('parseYarnLock on lockfiles without packages', () => {
  it('accepts a classic header alone and a berry file with only workspaces', () => {
    expect(parseYarnLock('yarn.lock', CLASSIC_HEAD).packages).toEqual([])
    const root =
      '"root@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "root@workspace:."\n  languageName: unknown\n  linkType: soft\n'
    expect(parseYarnLock('yarn.lock', `${BERRY_HEAD}${root}`)).toEqual({
      path: 'yarn.lock',
      format: 'yarn-lock',
      lockfileVersion: 8,
      packages: []
    })
  })
})

describe('parseYarnLock fails closed', () => {
  it('on a berry version it does not know, naming it and its line', () => {
    expectLockfileError(
      readFixture('yarn/scenarios/unknown-version.yarn.lock'),
      /__metadata\.version 11 at line 6 is not supported \(supported: 4 to 10\)/,
      6
    )
    expectLockfileError(BERRY_HEAD.replace('8', '3'), /__metadata\.version 3 at line 2/, 2)
    expectLockfileError(BERRY_HEAD.replace('8', 'eight'), /no readable __metadata\.version/, 2)
    expectLockfileError('__metadata:\n  cacheKey: 8\n', /no readable __metadata\.version/, 1)
  })

  it('on a classic header of another version', () => {
    expectLockfileError(
      '# yarn lockfile v2\n\na@1:\n  version "1"\n',
      /yarn lockfile v2 is not supported/
    )
  })

  it('on files that are not yarn lockfiles', () => {
    expectLockfileError(
      readFixture('yarn/scenarios/garbage.yarn.lock'),
      /is not a valid yarn lockfile at line 2: end of the stream/,
      2
    )
    expectLockfileError(
      readFixture('yarn/scenarios/pnpm-shaped.yarn.lock'),
      /is not a yarn lockfile/
    )
    expectLockfileError(readFixture('v3.json'), /is not a yarn lockfile/)
    expectLockfileError('', /is empty/)
    expectLockfileError('- a\n- b\n', /not a valid yarn lockfile: Expected an indexed object/)
    expectLockfileError('just text\n', /got a string instead/)
    expectLockfileError(
      '# only a comment\n',
      /neither a "# yarn lockfile v1" header nor "__metadata"/
    )
  })

  it('on text the yarn parsers reject, with the line', () => {
    expectLockfileError(
      `${CLASSIC_HEAD}a@^1.0.0:\n  version "1.0.0\n`,
      /not a valid yarn lockfile at line 5/,
      5
    )
    expectLockfileError(`${BERRY_HEAD}"a@npm:1": [1,\n`, /not a valid yarn lockfile at line 6/, 6)
  })

  it('on long runs of spaces, which the classic parser reads in quadratic time', () => {
    const spaces = ' '.repeat(100_000)
    expectLockfileError(
      `${CLASSIC_HEAD}a@^1.0.0:\n  version 1.0.0${spaces}x\n`,
      /line 5 has a run of more than 64 spaces/,
      5
    )
  })

  it('on keys merged silently by the data parser', () => {
    expectLockfileError(
      readFixture('yarn/scenarios/classic-duplicate.yarn.lock'),
      /line 9 repeats "ms@\^2\.1\.0", already at line 4/,
      9
    )
    expectLockfileError(`${BERRY_HEAD}${MS_BERRY}\n${MS_BERRY}`, /line 12 repeats/, 12)
  })

  it('on top-level lines that are not plain keys', () => {
    expectLockfileError(
      `${BERRY_HEAD}"a@npm:1.0.0": {version: 1.0.0}\n`,
      /line 5 is not an entry key/,
      5
    )
    expectLockfileError(
      `${BERRY_HEAD}"a@npm:1.0.0": # note\n  version: 1.0.0\n`,
      /not an entry key/,
      5
    )
    expectLockfileError(
      `${BERRY_HEAD}"a@npm:1.0.0":\n`,
      /entry "a@npm:1\.0\.0" at line 5 is not a map/,
      5
    )
  })

  it('on entries with missing or wrong fields', () => {
    expectLockfileError(
      `${CLASSIC_HEAD}a@^1.0.0:\n  resolved "x"\n`,
      /at line 4 has no "version"/,
      4
    )
    expectLockfileError(
      `${CLASSIC_HEAD}a@^1.0.0:\n  version "latest"\n`,
      /invalid version "latest"/,
      4
    )
    expectLockfileError(
      `${CLASSIC_HEAD}a@^1.0.0, b@^1.0.0:\n  version "1.0.0"\n`,
      /different packages/
    )
    expectLockfileError(
      `${CLASSIC_HEAD}nothing:\n  version "1.0.0"\n`,
      /invalid descriptor "nothing"/
    )
    expectLockfileError(
      MS_BERRY.replace('  resolution: "ms@npm:2.1.3"\n', '').replace(/^/, BERRY_HEAD),
      /has no "resolution"/
    )
    const berry = (entry: string) => `${BERRY_HEAD}${entry}`
    expectLockfileError(
      berry(MS_BERRY.replace('hard', 'soft')),
      /soft link to a package that is not local/,
      5
    )
    expectLockfileError(berry(MS_BERRY.replace('hard', 'sideways')), /unknown linkType "sideways"/)
    expectLockfileError(
      berry(MS_BERRY.replace('npm:2.1.3"', 'exotic:2.1.3"')),
      /protocol we do not support/
    )
    expectLockfileError(
      berry(MS_BERRY.replace('version: 2.1.3', 'version: 2.1.4')),
      /has version "2\.1\.4" but resolves to/
    )
    expectLockfileError(berry(MS_BERRY.replaceAll('ms@npm', '../ms@npm')), /invalid/)
    expectLockfileError(
      berry(MS_BERRY.replace('"ms@npm:^', '"other@npm:^')),
      /descriptor "other@npm:\^2\.1\.3" for another package/
    )
    expectLockfileError(
      berry(
        MS_BERRY.replace(
          'resolution: "ms@npm:2.1.3"',
          'resolution: "ms@patch:evil@npm%3A2.1.3#x.patch"'
        )
      ),
      /patches another package than "ms"/
    )
  })
})

/** A lockfile of `count` entries in the shape yarn writes, multi-descriptor and scoped keys included. */
function syntheticLockfile(count: number, berry: boolean): string {
  const parts = [berry ? BERRY_HEAD : CLASSIC_HEAD]
  for (let i = 0; i < count; i++) {
    const name = i % 5 === 0 ? `@scope-${i % 7}/pkg-${i}` : `pkg-${i}`
    const version = `1.${i % 10}.${i}`
    const ranges = i % 3 === 0 ? [`^1.${i % 10}.0`, `~1.${i % 10}.${i}`] : [`^1.${i % 10}.0`]
    const npm = berry ? 'npm:' : ''
    const key = ranges.map((range) => `${name}@${npm}${range}`).join(', ')
    const base = name.slice(name.lastIndexOf('/') + 1)
    if (berry) {
      parts.push(
        `"${key}":\n  version: ${version}\n  resolution: "${name}@npm:${version}"\n  dependencies:\n    dep-a: "npm:^1.0.0"\n  checksum: 10c0/${'ab'.repeat(64)}\n  languageName: node\n  linkType: hard\n\n`
      )
    } else {
      const quoted = ranges.map((range) => `"${name}@${range}"`).join(', ')
      parts.push(
        `${quoted}:\n  version "${version}"\n  resolved "https://registry.example.test/${name}/-/${base}-${version}.tgz#${'ab'.repeat(20)}"\n  integrity sha512-${'A'.repeat(86)}==\n  dependencies:\n    dep-a "^1.0.0"\n\n`
      )
    }
  }
  return parts.join('')
}

describe('parseYarnLock on large lockfiles', () => {
  it.each([
    ['classic', false],
    ['berry', true]
  ])('reads 2,000 %s entries on the line of their key', (_flavour, berry) => {
    const text = syntheticLockfile(2000, berry)
    const parsed = parseYarnLock('yarn.lock', text)
    expect(parsed.packages).toHaveLength(2000)
    const lines = text.split('\n')
    for (const locked of parsed.packages) {
      expect(lines[locked.line - 1].replaceAll('"', '')).toBe(`${locked.path}:`)
    }
  })
})
