import { describe, expect, it } from '@jest/globals'
import { allAsAdded, diffLockfiles } from '../../src/diff/diff-lockfiles.js'
import { parseLockfile } from '../../src/lockfile/index.js'
import type { LockedPackage, ParsedLockfile } from '../../src/types.js'
import { makeLocked } from '../helpers/factories.js'

const R = 'https://npm.example.test'

function lockfile(...packages: LockedPackage[]): ParsedLockfile {
  return {
    path: 'apps/web/package-lock.json',
    format: 'package-lock',
    lockfileVersion: 3,
    packages
  }
}

function entry(name: string, version: string, line: number, extra: Partial<LockedPackage> = {}) {
  return makeLocked({
    name,
    version,
    line,
    integrity: `sha512-${name}-${version}`,
    resolved: `${R}/${name}/-/${name}-${version}.tgz`,
    ...extra
  })
}

/** [kind, name, version, previous version, line] for compact expectations. */
function summary(base: ParsedLockfile | undefined, head: ParsedLockfile) {
  return diffLockfiles(base, head).map((c) => [
    c.kind,
    c.name,
    c.version,
    c.previous?.version,
    c.line
  ])
}

describe('diffLockfiles', () => {
  const ms = entry('ms', '2.1.2', 20)
  const debug = entry('debug', '4.3.4', 10)

  it('reports an added package with the head lockfile and line', () => {
    const [change] = diffLockfiles(lockfile(debug), lockfile(debug, ms))
    expect(change).toEqual({
      kind: 'added',
      name: 'ms',
      version: '2.1.2',
      lockfile: 'apps/web/package-lock.json',
      line: 20,
      locked: ms
    })
  })

  it('reports a new version at the same path as changed, with the previous entry', () => {
    const upgraded = entry('ms', '2.1.3', 21)
    const [change] = diffLockfiles(lockfile(debug, ms), lockfile(debug, upgraded))
    expect(change).toMatchObject({ kind: 'changed', version: '2.1.3', line: 21, previous: ms })
  })

  it('ignores unchanged entries, even when their line moved', () => {
    expect(diffLockfiles(lockfile(debug, ms), lockfile(debug, { ...ms, line: 99 }))).toEqual([])
  })

  it('ignores removed packages', () => {
    expect(diffLockfiles(lockfile(debug, ms), lockfile(debug))).toEqual([])
  })

  it('treats every entry as added when there is no base, sorted by line', () => {
    expect(summary(undefined, lockfile(ms, debug))).toEqual([
      ['added', 'debug', '4.3.4', undefined, 10],
      ['added', 'ms', '2.1.2', undefined, 20]
    ])
    expect(allAsAdded(lockfile(ms, debug))).toEqual(diffLockfiles(undefined, lockfile(ms, debug)))
  })

  it('sorts changes by line', () => {
    const head = lockfile(entry('z', '1.0.0', 30), entry('a', '1.0.0', 5), entry('m', '1.0.0', 12))
    expect(diffLockfiles(lockfile(), head).map((c) => c.line)).toEqual([5, 12, 30])
  })
})

describe('diffLockfiles: copies at several paths', () => {
  const top = entry('ms', '2.1.3', 10)

  it('sees a second copy of a package at a nested path', () => {
    const nested = entry('ms', '2.0.0', 30, { path: 'node_modules/debug/node_modules/ms' })
    const changes = diffLockfiles(lockfile(top), lockfile(top, nested))
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({
      kind: 'added',
      version: '2.0.0',
      locked: { path: nested.path }
    })
  })

  it('sees a change to one copy while the other stays', () => {
    const nested = entry('ms', '2.0.0', 30, { path: 'node_modules/debug/node_modules/ms' })
    const bumped = entry('ms', '2.1.0', 30, { path: nested.path })
    expect(summary(lockfile(top, nested), lockfile(top, bumped))).toEqual([
      ['changed', 'ms', '2.1.0', '2.0.0', 30]
    ])
  })

  it('does not report a version npm merely moved to another path', () => {
    const nested = entry('ms', '2.0.0', 30, { path: 'node_modules/debug/node_modules/ms' })
    const hoisted = entry('ms', '2.0.0', 10)
    expect(diffLockfiles(lockfile(top, nested), lockfile(hoisted))).toEqual([])
  })

  it('reports a moved version whose integrity differs from the base copy', () => {
    const nested = entry('ms', '2.0.0', 30, { path: 'node_modules/debug/node_modules/ms' })
    const swapped = entry('ms', '2.0.0', 10, { integrity: 'sha512-evil' })
    expect(summary(lockfile(nested), lockfile(swapped))).toEqual([
      ['changed', 'ms', '2.0.0', '2.0.0', 10]
    ])
  })
})

describe('diffLockfiles: aliases', () => {
  it('sees an alias pointed at another package as a new package', () => {
    const alias = entry('string-width', '4.2.3', 12, {
      path: 'node_modules/sw-cjs',
      alias: 'sw-cjs'
    })
    const retargeted = entry('evil-width', '4.2.3', 12, {
      path: 'node_modules/sw-cjs',
      alias: 'sw-cjs'
    })
    expect(summary(lockfile(alias), lockfile(retargeted))).toEqual([
      ['added', 'evil-width', '4.2.3', undefined, 12]
    ])
  })

  it('compares an alias with the real package name', () => {
    const alias = entry('string-width', '4.2.3', 12, {
      path: 'node_modules/sw-cjs',
      alias: 'sw-cjs'
    })
    const bumped = entry('string-width', '4.2.4', 12, {
      path: 'node_modules/sw-cjs',
      alias: 'sw-cjs'
    })
    expect(summary(lockfile(alias), lockfile(bumped))).toEqual([
      ['changed', 'string-width', '4.2.4', '4.2.3', 12]
    ])
  })
})

describe('diffLockfiles: tampering with the same version', () => {
  const base = entry('postmark-mcp', '1.0.15', 40)
  const sha1 = 'sha1-aGVsbG8gd29ybGQgaGVsbG8gd28='

  it.each<[string, Partial<LockedPackage>, Partial<LockedPackage>, boolean]>([
    ['a different integrity', {}, { integrity: 'sha512-evil' }, true],
    [
      'a different resolved',
      {},
      { resolved: 'https://evil.example.test/p.tgz', source: 'remote' },
      true
    ],
    [
      'a registry-shaped resolved on another host',
      {},
      { resolved: `https://evil.example.test/postmark-mcp/-/postmark-mcp-1.0.15.tgz` },
      true
    ],
    [
      'integrity dropped and resolved pointed elsewhere',
      { resolved: undefined },
      { integrity: undefined, resolved: 'https://evil.example.test/x.tgz', source: 'remote' },
      true
    ],
    [
      'a resolved appearing without a hash change, but not the registry',
      { resolved: undefined },
      { resolved: 'https://evil.example.test/x.tgz', source: 'remote' },
      true
    ],
    ['a downgrade from sha512 to sha1', {}, { integrity: sha1 }, true],
    ['resolved appearing (npm config)', { resolved: undefined }, {}, false],
    ['resolved disappearing (npm config)', {}, { resolved: undefined }, false],
    ['integrity appearing', { integrity: undefined }, {}, false],
    [
      'integrity and resolved both dropped (an npm bug, not a new origin)',
      {},
      { integrity: undefined, resolved: undefined },
      false
    ],
    ['an upgrade from sha1 to sha512', { integrity: sha1 }, {}, false],
    [
      'an extra hash next to the same one',
      {},
      { integrity: `sha512-postmark-mcp-1.0.15 ${sha1}` },
      false
    ]
  ])('%s -> reported: %s', (_what, before, after, reported) => {
    const changes = diffLockfiles(lockfile({ ...base, ...before }), lockfile({ ...base, ...after }))
    expect(changes.length).toBe(reported ? 1 : 0)
    if (reported)
      expect(changes[0]).toMatchObject({
        kind: 'changed',
        version: '1.0.15',
        previous: { version: '1.0.15' }
      })
  })
})

describe('diffLockfiles on parsed fixtures', () => {
  const text = (packages: Record<string, unknown>) =>
    JSON.stringify(
      { name: 'x', lockfileVersion: 3, packages: { '': { name: 'x' }, ...packages } },
      null,
      2
    )

  it('diffs a v1 base against a v3 head by path', () => {
    const base = parseLockfile(
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: { a: { version: '1.0.0', integrity: 'sha512-a1' } }
      })
    )
    const head = parseLockfile(
      'package-lock.json',
      text({
        'node_modules/a': { version: '1.0.0', integrity: 'sha512-a1' },
        'node_modules/b': { version: '2.0.0', integrity: 'sha512-b2' }
      })
    )
    expect(summary(base, head)).toEqual([['added', 'b', '2.0.0', undefined, 12]])
  })
})
