import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/lockfile/tarball-name-mismatch.js'
import type { LockedPackage, PackageChange } from '../../../src/types.js'
import { makeChange, makeContext, makeLocked } from '../../helpers/factories.js'

const R = 'https://npm.example.test/'

function change(locked: Partial<LockedPackage>): PackageChange {
  const name = locked.name ?? 'lodash'
  const version = locked.version ?? '4.17.21'
  return {
    ...makeChange({ name, version, line: 5, previousVersion: null }),
    locked: makeLocked({ name, version, line: 5, path: `node_modules/${name}`, ...locked })
  }
}

describe('lockfile/tarball-name-mismatch', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({
      id: 'lockfile/tarball-name-mismatch',
      defaultSeverity: 'high'
    })
  })

  it.each<[string, Partial<LockedPackage>, RegExp | null]>([
    [
      'another package behind a trusted name',
      { resolved: `${R}evil-pkg/-/evil-pkg-1.0.0.tgz`, source: 'remote' },
      /lodash@4\.17\.21 is locked to a tarball URL that serves the package evil-pkg \(evil-pkg-1\.0\.0\.tgz\), not lodash@4\.17\.21/
    ],
    [
      'another version of the same package',
      { resolved: `${R}lodash/-/lodash-4.17.20.tgz`, source: 'remote' },
      /serves the file lodash-4\.17\.20\.tgz, not lodash@4\.17\.21/
    ],
    [
      'a file name that differs from its folder',
      { resolved: `${R}lodash/-/evil-4.17.21.tgz`, source: 'remote' },
      /serves the file evil-4\.17\.21\.tgz/
    ],
    ['the matching tarball', { resolved: `${R}lodash/-/lodash-4.17.21.tgz` }, null],
    [
      'a yarn classic URL with its sha1 fragment',
      { resolved: `${R}lodash/-/lodash-4.17.21.tgz#${'a'.repeat(40)}` },
      null
    ],
    [
      'a scoped package',
      { name: '@scope/pkg', version: '1.0.0', resolved: `${R}@scope/pkg/-/pkg-1.0.0.tgz` },
      null
    ],
    [
      'a percent-encoded scoped package',
      { name: '@scope/pkg', version: '1.0.0', resolved: `${R}@scope%2fpkg/-/pkg-1.0.0.tgz` },
      null
    ],
    [
      'a scoped package under another scope',
      { name: '@scope/pkg', version: '1.0.0', resolved: `${R}@evil/pkg/-/pkg-1.0.0.tgz` },
      /serves the package @evil\/pkg/
    ],
    [
      'a registry behind a path prefix',
      { resolved: `https://corp.example.test/api/npm/npm/lodash/-/lodash-4.17.21.tgz` },
      null
    ],
    [
      'an npm alias pointing at its real package',
      {
        name: 'evil-pkg',
        version: '1.0.0',
        alias: 'lodash',
        resolved: `${R}evil-pkg/-/evil-pkg-1.0.0.tgz`
      },
      null
    ],
    [
      'an alias whose tarball is yet another package',
      {
        name: 'real-pkg',
        version: '1.0.0',
        alias: 'lodash',
        resolved: `${R}evil-pkg/-/evil-pkg-1.0.0.tgz`
      },
      /real-pkg@1\.0\.0 \(installed as lodash\) is locked to a tarball URL that serves the package evil-pkg/
    ],
    ['a non-registry URL', { resolved: 'https://example.test/download/x.tgz' }, null],
    ['a git source', { resolved: 'git+ssh://git@example.test/o/r.git#abc', source: 'git' }, null],
    ['no resolved', {}, null]
  ])('%s', async (_what, locked, message) => {
    const findings = await rule.check(makeContext({ change: change(locked) }))
    if (message === null) {
      expect(findings).toEqual([])
      return
    }
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ severity: 'high', location: { line: 5 } })
    expect(findings[0].message).toMatch(message)
  })
})
