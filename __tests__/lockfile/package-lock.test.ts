import { describe, expect, it } from '@jest/globals'
import { parseLockfile } from '../../src/lockfile/index.js'
import type { LockedPackage } from '../../src/types.js'
import { lineOfKey, lineText, rawLegacyEntries, rawPackages, readFixture } from './fixture.js'

function parseFixture(fixture: string, as = 'package-lock.json') {
  return parseLockfile(as, readFixture(fixture))
}

function byPath(packages: LockedPackage[]): Map<string, LockedPackage> {
  return new Map(packages.map((locked) => [locked.path, locked]))
}

/** Every v2/v3 entry must match what JSON.parse sees and sit on the line of its key. */
function expectMatchesText(fixture: string, packages: LockedPackage[]) {
  const text = readFixture(fixture)
  const raw = rawPackages(text)
  for (const locked of packages) {
    const entry = raw[locked.path]
    expect(locked.version).toBe(entry.version)
    expect(locked.integrity).toBe(entry.integrity)
    expect(locked.resolved).toBe(entry.resolved)
    expect(locked.line).toBe(lineOfKey(text, locked.path))
  }
}

describe('parseLockfile: lockfileVersion 3', () => {
  const parsed = parseFixture('v3.json')

  it('reads every entry but the root, with name, version and line', () => {
    expect(parsed).toMatchObject({
      path: 'package-lock.json',
      format: 'package-lock',
      lockfileVersion: 3
    })
    expect(parsed.packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['accepts', '1.3.8', 22],
      ['esbuild', '0.25.0', 35],
      ['express', '4.21.2', 46],
      ['fsevents', '2.3.3', 52],
      ['jest', '29.7.0', 63],
      ['postmark-mcp', '1.0.15', 70]
    ])
    expectMatchesText('v3.json', parsed.packages)
  })

  it('keeps dev, optional and install-script flags, and only when set', () => {
    const packages = byPath(parsed.packages)
    expect(packages.get('node_modules/esbuild')).toMatchObject({
      dev: true,
      hasInstallScript: true
    })
    expect(packages.get('node_modules/fsevents')).toMatchObject({
      optional: true,
      hasInstallScript: true
    })
    const express = packages.get('node_modules/express')
    expect(express).toEqual({
      name: 'express',
      version: '4.21.2',
      path: 'node_modules/express',
      resolved: 'https://npm.example.test/express/-/express-4.21.2.tgz',
      integrity: expect.stringMatching(/^sha512-/),
      line: 46,
      source: 'registry'
    })
  })

  it('names the format after the file', () => {
    const shrinkwrap = parseFixture('v3.json', 'sub/dir/npm-shrinkwrap.json')
    expect(shrinkwrap.format).toBe('npm-shrinkwrap')
    expect(shrinkwrap.path).toBe('sub/dir/npm-shrinkwrap.json')
  })

  it('normalises Windows separators in the path', () => {
    expect(parseFixture('v3.json', 'apps\\web\\package-lock.json').path).toBe(
      'apps/web/package-lock.json'
    )
  })
})

describe('parseLockfile: lockfileVersion 2', () => {
  it('reads `packages` (not the v1 compatibility section), nested copies included', () => {
    const parsed = parseFixture('v2.json')
    expect(parsed.lockfileVersion).toBe(2)
    expect(parsed.packages.map((p) => [p.path, p.name, p.version, p.line])).toEqual([
      ['node_modules/debug', 'debug', '4.3.4', 15],
      ['node_modules/debug/node_modules/ms', 'ms', '2.1.2', 25],
      ['node_modules/ms', 'ms', '2.1.3', 29]
    ])
    expectMatchesText('v2.json', parsed.packages)
    expect(parsed.packages.every((p) => p.source === 'registry' && p.resolved === undefined)).toBe(
      true
    )
  })
})

describe('parseLockfile: lockfileVersion 1', () => {
  const text = readFixture('v1.json')
  const parsed = parseLockfile('package-lock.json', text)

  it('recurses nested dependencies and builds node_modules paths', () => {
    expect(parsed.lockfileVersion).toBe(1)
    expect(parsed.packages.map((p) => [p.path, p.version, p.line])).toEqual([
      ['node_modules/@babel/code-frame', '7.0.0', 7],
      ['node_modules/chalk', '2.4.2', 16],
      ['node_modules/chalk/node_modules/supports-color', '5.5.0', 24],
      ['node_modules/chalk/node_modules/supports-color/node_modules/has-flag', '3.0.0', 29],
      ['node_modules/fsevents', '1.2.13', 38],
      ['node_modules/supports-color', '7.2.0', 47]
    ])
  })

  it('puts each entry on the line of its own key, with its own integrity', () => {
    const raw = rawLegacyEntries(text)
    for (const locked of parsed.packages) {
      expect(locked.integrity).toBe(raw.get(locked.path)?.integrity)
      expect(locked.resolved).toBe(raw.get(locked.path)?.resolved)
      expect(lineText(text, locked.line).trim()).toBe(`"${locked.name}": {`)
    }
  })

  it('keeps dev and optional, and skips a local folder dependency', () => {
    const packages = byPath(parsed.packages)
    expect(packages.get('node_modules/@babel/code-frame')?.dev).toBe(true)
    expect(packages.get('node_modules/fsevents')?.optional).toBe(true)
    expect(packages.has('node_modules/local-lib')).toBe(false)
    expect(
      packages.get('node_modules/chalk/node_modules/supports-color/node_modules/has-flag')
        ?.integrity
    ).toMatch(/^sha1-/)
  })
})

describe('parseLockfile: aliases', () => {
  it('v3: the key is the alias and `name` the real package', () => {
    const parsed = parseFixture('alias.v3.json')
    expect(parsed.packages.map((p) => [p.name, p.alias, p.version, p.line])).toEqual([
      ['chalk', '@my/colors', '5.3.0', 16],
      ['string-width', undefined, '5.1.2', 22],
      ['string-width', 'sw-cjs', '4.2.3', 27]
    ])
    expectMatchesText('alias.v3.json', parsed.packages)
    expect(parsed.packages.every((p) => p.source === 'registry')).toBe(true)
  })

  it('v1: `npm:<name>@<version>` gives the real name and version, scoped names too', () => {
    const parsed = parseFixture('alias.v1.json')
    expect(parsed.packages.map((p) => [p.path, p.name, p.alias, p.version, p.line])).toEqual([
      ['node_modules/string-width', 'string-width', undefined, '5.1.2', 7],
      ['node_modules/sw-cjs', 'string-width', 'sw-cjs', '4.2.3', 12],
      ['node_modules/types-node', '@types/node', 'types-node', '20.11.0', 17]
    ])
    expect(parsed.packages.every((p) => p.source === 'registry')).toBe(true)
  })
})

describe('parseLockfile: scoped and nested', () => {
  it('takes the name after the last node_modules/, scope included', () => {
    const parsed = parseFixture('scoped-nested.v3.json')
    expect(parsed.packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['@babel/core', '7.26.0', 15],
      ['semver', '6.3.1', 20],
      ['@jridgewell/gen-mapping', '0.3.5', 25],
      ['@types/node', '22.10.2', 30],
      ['semver', '7.6.3', 36],
      ['ansi-styles', '4.3.0', 41]
    ])
    expectMatchesText('scoped-nested.v3.json', parsed.packages)
    expect(parsed.packages.every((p) => p.source === 'registry' && p.alias === undefined)).toBe(
      true
    )
  })
})

describe('parseLockfile: workspaces', () => {
  it('skips link entries and workspace folders, keeps what is installed inside a workspace', () => {
    const parsed = parseFixture('workspaces.v3.json')
    expect(parsed.packages.map((p) => [p.path, p.name, p.version, p.line])).toEqual([
      ['node_modules/left-pad', 'left-pad', '1.3.0', 18],
      ['packages/server/node_modules/ms', 'ms', '2.0.0', 34]
    ])
    expectMatchesText('workspaces.v3.json', parsed.packages)
  })
})

describe('parseLockfile: sources', () => {
  it('classifies git, file, remote tarballs and registry tarballs (encoded scope too)', () => {
    const parsed = parseFixture('git-file-remote.v3.json')
    expect(parsed.packages.map((p) => [p.name, p.source, p.line])).toEqual([
      ['from-file', 'file', 11],
      ['from-git', 'git', 16],
      ['from-registry', 'registry', 21],
      ['from-remote', 'remote', 26],
      ['@scope/encoded', 'registry', 35]
    ])
    expectMatchesText('git-file-remote.v3.json', parsed.packages)
  })
})

describe('parseLockfile: a real npm 11 lockfile', () => {
  const text = readFixture('real-small.v3.json')
  const parsed = parseLockfile('package-lock.json', text)

  it('reads every entry with its version, integrity and the line of its key', () => {
    const raw = rawPackages(text)
    expect(parsed.packages).toHaveLength(Object.keys(raw).length - 1)
    expectMatchesText('real-small.v3.json', parsed.packages)
    expect(byPath(parsed.packages).get('node_modules/accepts')?.line).toBe(20)
  })

  it('has no resolved fields (this npm config omits them): every entry is a registry entry', () => {
    expect(
      parsed.packages.every((p) => p.source === 'registry' && p.integrity?.startsWith('sha512-'))
    ).toBe(true)
  })
})
