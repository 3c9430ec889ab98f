// pnpm-lock.yaml: every entry of every fixture is checked against expectations built independently
// (plain `yaml` parse for the data, a text search for the line), plus hand-checked samples and
// every way a file can fail.
import { describe, expect, it } from '@jest/globals'
import { parseAllDocuments } from 'yaml'
import { GateError } from '../../src/errors.js'
import { parsePnpmLock } from '../../src/lockfile/pnpm-lock.js'
import type { LockedPackage } from '../../src/types.js'
import { readFixture } from './fixture.js'

type RawResolution = { integrity?: string; tarball?: string; type?: string }
type RawPackage = { resolution: RawResolution; name?: string; version?: string }
type RawDocument = { lockfileVersion: string | number; packages?: Record<string, RawPackage> }

// v5's git entries carry no name: the dependency that points at them names them.
const NAMELESS = new Map([
  [/\/git-lib\/[0-9a-f]{40}$/, 'git-lib'],
  [/\/tiny-lib\/[0-9a-f]{40}$/, 'tiny-lib']
])

/** Name and version from a key, by format, with plain regexes (not the parser's code). */
function fromKey(key: string, version: string | number): { name?: string; spec: string } {
  const major = String(version)[0]
  const shape =
    major === '5'
      ? /^\/((?:@[^/]+\/)?[^/]+)\/([^/]+)$/
      : major === '6'
        ? /^\/((?:@[^/@]+\/)?[^/@]+)@(.+)$/
        : /^((?:@[^/@]+\/)?[^/@]+)@(.+)$/
  const match = shape.exec(key)
  return match ? { name: match[1], spec: match[2] } : { spec: key }
}

function isRegistry(resolution: RawResolution, name: string, version: string): boolean {
  if (resolution.type) return false
  if (!resolution.tarball) return true
  return resolution.tarball.endsWith(`/-/${name.split('/').pop()}-${version}.tgz`)
}

interface Expected {
  path: string
  name: string
  version: string
  integrity?: string
  line: number
}

/** What every entry must look like, read with the `yaml` package and searched in the text. */
function expectedEntries(text: string): Expected[] {
  const documents = parseAllDocuments(text)
  const raw = (Array.isArray(documents) ? documents : [])
    .map((document) => document.toJS() as RawDocument | null)
    .filter((document): document is RawDocument => document?.lockfileVersion !== undefined)
  const expected: Expected[] = []
  let cursor = 0
  raw.forEach((document, index) => {
    const section = text.indexOf('\npackages:\n', cursor)
    cursor = section + 1
    const suffix = index === raw.length - 1 ? '' : ` (document ${index + 1})`
    for (const [key, entry] of Object.entries(document.packages ?? {})) {
      if (entry.resolution.type === 'directory') continue
      expected.push({
        ...expectEntry(key, entry, document),
        path: key + suffix,
        line: lineOfKey(text, key, section)
      })
    }
  })
  return expected
}

function expectEntry(key: string, entry: RawPackage, document: RawDocument) {
  const parsed = fromKey(key, document.lockfileVersion)
  const nameless = [...NAMELESS].find(([pattern]) => pattern.test(key))?.[1]
  const name = entry.name ?? parsed.name ?? nameless ?? 'unknown'
  const registryVersion = parsed.spec.replace(
    String(document.lockfileVersion)[0] === '5' ? /_.*$/ : /\(.*$/,
    ''
  )
  const registry = isRegistry(entry.resolution, name, registryVersion)
  const version = registry ? registryVersion : (entry.version ?? key)
  return { name, version, integrity: entry.resolution.integrity }
}

/** 1-based line of `  <key>:` (quoted or not) at or after `from`: the entry under `packages:`. */
function lineOfKey(text: string, key: string, from: number): number {
  const forms = [`\n  ${key}:`, `\n  '${key}':`]
  const at = Math.min(
    ...forms.map((form) => text.indexOf(form, from)).filter((index) => index !== -1)
  )
  if (!Number.isFinite(at)) throw new Error(`key ${key} not found`)
  return text.slice(0, at + 1).split('\n').length
}

function expectMatchesText(name: string): LockedPackage[] {
  const text = readFixture(name)
  const parsed = parsePnpmLock('pnpm-lock.yaml', text)
  const expected = expectedEntries(text)
  expect(parsed.packages.map((locked) => locked.path).sort()).toEqual(
    expected.map((entry) => entry.path).sort()
  )
  const byPath = new Map(parsed.packages.map((locked) => [locked.path, locked]))
  for (const entry of expected) {
    const locked = byPath.get(entry.path)
    expect([entry.path, locked?.name, locked?.version, locked?.integrity, locked?.line]).toEqual([
      entry.path,
      entry.name,
      entry.version,
      entry.integrity,
      entry.line
    ])
  }
  return parsed.packages
}

function parseFixture(name: string) {
  return parsePnpmLock('pnpm-lock.yaml', readFixture(name))
}

function lineText(name: string, line: number): string {
  return readFixture(name).split('\n')[line - 1]
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
  'pnpm/v9.pnpm10.yaml',
  'pnpm/v9.pnpm9.yaml',
  'pnpm/v6.pnpm8.yaml',
  'pnpm/v5.4.pnpm7.yaml',
  'pnpm/workspace.v9.yaml',
  'pnpm/sources.v9.yaml',
  'pnpm/sources.v6.yaml',
  'pnpm/sources.v5.4.yaml',
  'pnpm/hand/peers.v5.3.yaml',
  'pnpm/hand/peers.v6.yaml',
  'pnpm/hand/peers.v9.yaml',
  'pnpm/hand/git.v6.yaml',
  'pnpm/hand/git.v9.yaml',
  'pnpm/hand/multi-document.v9.yaml'
]

describe('parsePnpmLock: every entry of every fixture', () => {
  it.each(FIXTURES)('%s: name, version, integrity and line match the text', (name) => {
    expect(expectMatchesText(name).length).toBeGreaterThan(0)
  })
})

describe('parsePnpmLock: real lockfiles of the same project (pnpm 10, 9, 8, 7)', () => {
  const versions = {
    'pnpm/v9.pnpm10.yaml': 9,
    'pnpm/v9.pnpm9.yaml': 9,
    'pnpm/v6.pnpm8.yaml': 6,
    'pnpm/v5.4.pnpm7.yaml': 5.4
  }

  it('reads the same 81 packages from every format', () => {
    const sets = Object.entries(versions).map(([name, version]) => {
      const parsed = parseFixture(name)
      expect(parsed).toMatchObject({ format: 'pnpm-lock', lockfileVersion: version })
      return parsed.packages.map((locked) => `${locked.name}@${locked.version}`).sort()
    })
    expect(sets[0]).toHaveLength(81)
    for (const set of sets) expect(set).toEqual(sets[0])
  })

  it('v9: scoped, aliased and plain entries on the line of their key', () => {
    const packages = parseFixture('pnpm/v9.pnpm10.yaml').packages
    const express = packages.find((locked) => locked.name === 'express')
    expect(express).toEqual({
      name: 'express',
      version: '4.21.2',
      path: 'express@4.21.2',
      integrity: expect.stringMatching(/^sha512-/),
      line: expect.any(Number),
      source: 'registry'
    })
    expect(lineText('pnpm/v9.pnpm10.yaml', express!.line)).toBe('  express@4.21.2:')
    const frame = packages.find((locked) => locked.name === '@babel/code-frame')!
    expect(lineText('pnpm/v9.pnpm10.yaml', frame.line)).toBe("  '@babel/code-frame@7.26.2':")
    // `sw-cjs: npm:string-width@^4.2.0` is listed under the real package's key.
    const alias = packages.find((locked) => locked.name === 'string-width')
    expect(alias).toMatchObject({ version: '4.2.3', path: 'string-width@4.2.3' })
    expect(alias?.alias).toBeUndefined()
  })

  it('v6 and v5 strip the leading slash; `dev: false` (a package used by both) is not dev', () => {
    const v6 = parseFixture('pnpm/v6.pnpm8.yaml').packages
    expect(v6.find((locked) => locked.name === 'picocolors')).toMatchObject({
      path: '/picocolors@1.1.1',
      line: expect.any(Number)
    })
    expect(v6.some((locked) => locked.dev)).toBe(false)
    const v5 = parseFixture('pnpm/v5.4.pnpm7.yaml').packages
    const frame = v5.find((locked) => locked.name === '@babel/code-frame')!
    expect(frame.path).toBe('/@babel/code-frame/7.26.2')
    expect(lineText('pnpm/v5.4.pnpm7.yaml', frame.line)).toBe('  /@babel/code-frame/7.26.2:')
  })

  it('a workspace: importers link each other, only registry packages are listed', () => {
    const parsed = parseFixture('pnpm/workspace.v9.yaml')
    expect(parsed.packages.map((locked) => locked.path)).toEqual([
      'ansi-regex@5.0.1',
      'debug@2.6.9',
      'emoji-regex@8.0.0',
      'is-fullwidth-code-point@3.0.0',
      'ms@2.0.0',
      'ms@2.1.3',
      'string-width@4.2.3',
      'strip-ansi@6.0.1'
    ])
  })
})

describe('parsePnpmLock: sources', () => {
  const summary = (name: string) =>
    parseFixture(name).packages.map((locked) => [locked.name, locked.version, locked.source])

  it('v9: registry, git, remote tarball and local tarball; local folders and links are left out', () => {
    expect(summary('pnpm/sources.v9.yaml')).toEqual([
      ['debug', '4.3.4', 'registry'],
      ['git-lib', '3.0.0', 'git'],
      ['ms', '2.1.2', 'registry'],
      ['ms', '2.1.3', 'registry'],
      ['remote-lib', '4.0.0', 'remote'],
      ['tar-lib', '2.0.0', 'file']
    ])
    const packages = parseFixture('pnpm/sources.v9.yaml').packages
    expect(packages.find((locked) => locked.name === 'remote-lib')?.resolved).toBe(
      'http://tarballs.example.test/remote-lib-4.0.0.tgz'
    )
    expect(packages.find((locked) => locked.name === 'git-lib')?.resolved).toMatch(
      /^file:\/\/\/fixture\/src\/git-lib#[0-9a-f]{40}$/
    )
  })

  it('v5.4: a git entry without a name is named by the dependency that points at it', () => {
    const packages = parseFixture('pnpm/sources.v5.4.yaml').packages
    const git = packages.find((locked) => locked.source === 'git')!
    expect(git.name).toBe('git-lib')
    expect(git.path).toMatch(/^\/fixture\/src\/git-lib\/[0-9a-f]{40}$/)
    expect(summary('pnpm/sources.v5.4.yaml').map(([name, , source]) => [name, source])).toEqual([
      ['debug', 'registry'],
      ['ms', 'registry'],
      ['ms', 'registry'],
      ['git-lib', 'git'],
      ['remote-lib', 'remote'],
      ['tar-lib', 'file']
    ])
  })

  it('a patched package keeps its registry version in every format', () => {
    for (const [name, path] of [
      ['pnpm/sources.v9.yaml', 'ms@2.1.3'],
      ['pnpm/sources.v6.yaml', '/ms@2.1.3(patch_hash=qeeeh4m4uuakebifezd37oujne)'],
      ['pnpm/sources.v5.4.yaml', '/ms/2.1.3_qeeeh4m4uuakebifezd37oujne']
    ]) {
      const ms = parseFixture(name).packages.find((locked) => locked.path === path)
      expect(ms).toMatchObject({ name: 'ms', version: '2.1.3', source: 'registry' })
    }
  })

  it('hosted git: a codeload tarball is a remote source, a git resolution a git one', () => {
    expect(summary('pnpm/hand/git.v9.yaml')).toEqual([
      ['left-pad', '1.3.0', 'remote'],
      ['tiny-lib', '2.0.0', 'git']
    ])
    const v6 = parseFixture('pnpm/hand/git.v6.yaml').packages
    expect(v6.map((locked) => [locked.name, locked.source])).toEqual([
      ['left-pad', 'remote'],
      ['tiny-lib', 'git']
    ])
    expect(v6[1].resolved).toBe(
      'https://git.example.test/team/tiny-lib.git#1f2e3d4c5b6a79880f1e2d3c4b5a69788f0e1d2c'
    )
  })
})

describe('parsePnpmLock: peer-suffixed keys', () => {
  it('v5.3: `_peer@x+other@y` suffixes are not part of the version', () => {
    const parsed = parseFixture('pnpm/hand/peers.v5.3.yaml')
    expect(parsed.lockfileVersion).toBe(5.3)
    expect(parsed.packages.map((locked) => [locked.name, locked.version, locked.line])).toEqual([
      ['@testing-library/react', '12.1.5', 15],
      ['js-tokens', '4.0.0', 26],
      ['react-dom', '17.0.2', 30],
      ['loose-envify', '1.4.0', 39],
      ['react', '17.0.2', 46],
      ['fsevents', '2.3.2', 53]
    ])
    expect(parsed.packages[0]).toMatchObject({ dev: true })
    expect(parsed.packages[5]).toMatchObject({ dev: true, optional: true, hasInstallScript: true })
  })

  it('v6: `(peer@x)` suffixes are not part of the version; the key is the path', () => {
    const packages = parseFixture('pnpm/hand/peers.v6.yaml').packages
    expect(packages.find((locked) => locked.name === 'react-dom')).toMatchObject({
      version: '18.3.1',
      path: '/react-dom@18.3.1(react@18.3.1)',
      line: 44
    })
  })

  it('v9: one entry per `packages` key, none from `snapshots`', () => {
    const packages = parseFixture('pnpm/hand/peers.v9.yaml').packages
    expect(packages).toHaveLength(10)
    expect(packages.filter((locked) => locked.name === 'react-dom').map((p) => p.version)).toEqual([
      '17.0.2',
      '18.3.1'
    ])
    const text = readFixture('pnpm/hand/peers.v9.yaml')
    const snapshots = text.indexOf('\nsnapshots:')
    for (const locked of packages) {
      expect(text.split('\n').slice(0, locked.line).join('\n').length).toBeLessThan(snapshots)
    }
  })
})

describe('parsePnpmLock: multi-document files', () => {
  it('reads every lockfile document; the last is the project, the others keep a distinct path', () => {
    const parsed = parsePnpmLock('pnpm-lock.yaml', readFixture('pnpm/hand/multi-document.v9.yaml'))
    expect(parsed.lockfileVersion).toBe(9)
    expect(parsed.packages.map((locked) => [locked.path, locked.line])).toEqual([
      ['is-number@7.0.0 (document 1)', 18],
      ['pnpm@10.34.9 (document 1)', 22],
      ['is-number@7.0.0', 53],
      ['ms@2.1.3', 57]
    ])
  })

  it('a document that is not a pnpm lockfile is an error, not skipped', () => {
    const error = lockfileError(() =>
      parsePnpmLock('a/pnpm-lock.yaml', readFixture('pnpm/hand/multi-document-unknown.yaml'))
    )
    expect(error.message).toBe(
      'a/pnpm-lock.yaml: YAML document 1 at line 2 is not a pnpm lockfile (a map without "lockfileVersion")'
    )
    expect(error).toMatchObject({ file: 'a/pnpm-lock.yaml', line: 2 })
  })

  it('empty documents (a stray `---`) hold nothing and are fine', () => {
    const text = `---\n${readFixture('pnpm/workspace.v9.yaml')}---\n`
    expect(parsePnpmLock('pnpm-lock.yaml', text).packages).toHaveLength(8)
  })
})

describe('parsePnpmLock: failures', () => {
  const MS = '  ms@2.1.3:\n    resolution: {integrity: sha512-AAAA}\n'
  const v9 = (packages: string, extra = '') =>
    `lockfileVersion: '9.0'\n\npackages:\n\n${packages}${extra}`

  it('an unknown lockfileVersion names the version and the supported ones', () => {
    const error = lockfileError(() =>
      parsePnpmLock('pnpm-lock.yaml', readFixture('pnpm/hand/unknown-version.yaml'))
    )
    expect(error.message).toBe(
      'pnpm-lock.yaml: pnpm lockfileVersion "10.0" is not supported (supported: 5.0, 5.1, 5.2, 5.3, 5.4, 6.0, 9.0) at line 1'
    )
    expect(error).toMatchObject({ file: 'pnpm-lock.yaml', line: 1 })
  })

  it('text that is not YAML: the YAML error and its line', () => {
    const error = lockfileError(() =>
      parsePnpmLock('pnpm-lock.yaml', readFixture('pnpm/hand/not-yaml.txt'))
    )
    expect(error.message).toMatch(
      /^pnpm-lock\.yaml is not valid YAML: .+ \([A-Z_]+\) at line \d+ column \d+$/
    )
    expect(error.line).toBeGreaterThanOrEqual(4)
  })

  it('YAML that is not a lockfile, a bare scalar, an empty file', () => {
    expect(
      lockfileError(() =>
        parsePnpmLock('pnpm-lock.yaml', readFixture('pnpm/hand/not-a-lockfile.yaml'))
      ).message
    ).toMatch(/document 1 at line 1 is not a pnpm lockfile \(a map without "lockfileVersion"\)/)
    expect(lockfileError(() => parsePnpmLock('pnpm-lock.yaml', 'hello')).message).toMatch(
      /is not a pnpm lockfile \(not a map\)/
    )
    expect(lockfileError(() => parsePnpmLock('pnpm-lock.yaml', ' \n')).message).toBe(
      'pnpm-lock.yaml is empty'
    )
    expect(lockfileError(() => parsePnpmLock('pnpm-lock.yaml', '# nothing\n')).message).toMatch(
      /has no content/
    )
  })

  it('duplicate keys, YAML aliases and unknown tags are refused', () => {
    expect(lockfileError(() => parsePnpmLock('pnpm-lock.yaml', v9(MS + MS))).message).toMatch(
      /^pnpm-lock\.yaml: duplicate key "ms@2\.1\.3" in "packages" \(first at line 5\) at line 7$/
    )
    const aliased = v9('  ms@2.1.3: &a\n    resolution: {integrity: sha512-AAAA}\n  ms@2.1.2: *a\n')
    expect(lockfileError(() => parsePnpmLock('pnpm-lock.yaml', aliased)).message).toMatch(
      /"ms@2.1.2" must be a map at line 7/
    )
    const tagged = v9('  ms@2.1.3:\n    resolution: !evil {integrity: sha512-AAAA}\n')
    expect(lockfileError(() => parsePnpmLock('pnpm-lock.yaml', tagged)).message).toMatch(
      /TAG_RESOLVE_FAILED/
    )
  })

  it('entries that cannot be read are errors on their own line', () => {
    const cases: [string, RegExp][] = [
      ['  ms@2.1.3:\n    engines: {}\n', /entry "ms@2.1.3" at line 5 has no "resolution"/],
      ['  ms@2.1.3:\n    resolution: {}\n', /has a resolution with no integrity, tarball or git/],
      [
        '  node@runtime:22.0.0:\n    resolution: {type: variations}\n',
        /has an unsupported resolution type "variations"/
      ],
      ['  ms@latest:\n    resolution: {integrity: sha512-A}\n', /has an invalid version "latest"/],
      ['  ../x@1.0.0:\n    resolution: {integrity: sha512-A}\n', /has an invalid package name/],
      ['  ms:\n    resolution: {integrity: sha512-A}\n', /has a key without "@<version>"/],
      ['  ms@2.1.3:\n    resolution: {integrity: [a]}\n', /has a "integrity" that is not a string/],
      [
        '  ms@2.1.3:\n    resolution: {integrity: a}\n    dev: maybe\n',
        /"dev" that is not a boolean/
      ]
    ]
    for (const [packages, pattern] of cases) {
      const error = lockfileError(() => parsePnpmLock('pnpm-lock.yaml', v9(packages)))
      expect(error.message).toMatch(pattern)
      expect(error.line).toBe(5)
    }
  })

  it('a v9 snapshot with no `packages` entry is something we cannot account for', () => {
    const text = v9(MS, '\nsnapshots:\n\n  ms@2.1.3: {}\n\n  evil@1.0.0(ms@2.1.3): {}\n')
    const error = lockfileError(() => parsePnpmLock('pnpm-lock.yaml', text))
    expect(error.message).toBe(
      'pnpm-lock.yaml: snapshot "evil@1.0.0(ms@2.1.3)" has no entry "evil@1.0.0" in "packages" at line 12'
    )
  })

  it('absurd nesting is a lockfile error, not a crash', () => {
    const text = `lockfileVersion: '9.0'\npackages: ${'['.repeat(20_000)}`
    expect(lockfileError(() => parsePnpmLock('pnpm-lock.yaml', text)).file).toBe('pnpm-lock.yaml')
  })

  it('normalises Windows separators in the path', () => {
    const parsed = parsePnpmLock('apps\\web\\pnpm-lock.yaml', v9(MS))
    expect(parsed.path).toBe('apps/web/pnpm-lock.yaml')
    expect(lockfileError(() => parsePnpmLock('apps\\web\\pnpm-lock.yaml', 'x')).file).toBe(
      'apps/web/pnpm-lock.yaml'
    )
  })
})

describe('parsePnpmLock on a 2,000-entry lockfile', () => {
  it('reads every entry on the line of its key', () => {
    const count = 2000
    const lines = ["lockfileVersion: '9.0'", '', 'packages:', '']
    const snapshots = ['snapshots:', '']
    for (let i = 0; i < count; i++) {
      const key = i % 5 === 0 ? `'@scope-${i % 7}/pkg-${i}@1.${i % 10}.${i}'` : `pkg-${i}@1.0.${i}`
      lines.push(
        `  ${key}:`,
        `    resolution: {integrity: sha512-${'A'.repeat(86)}==}`,
        "    engines: {node: '>=18'}",
        ''
      )
      snapshots.push(`  ${key}:`, '    dependencies:', '      dep-a: 1.0.0', '')
    }
    const text = [...lines, ...snapshots].join('\n')
    const parsed = parsePnpmLock('pnpm-lock.yaml', text)
    expect(parsed.packages).toHaveLength(count)
    const textLines = text.split('\n')
    for (const locked of parsed.packages) {
      expect(textLines[locked.line - 1].replaceAll("'", '')).toBe(`  ${locked.path}:`)
    }
    expect(parsed.packages[0]).toMatchObject({ name: '@scope-0/pkg-0', version: '1.0.0', line: 5 })
  })
})
