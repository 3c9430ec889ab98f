import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/lockfile/integrity-changed.js'
import type { LockedPackage, PackageChange } from '../../../src/types.js'
import { makeChange, makeContext, makeLocked } from '../../helpers/factories.js'

const R = 'https://npm.example.test'
const registry = (version: string) => `${R}/example-pkg/-/example-pkg-${version}.tgz`

function change(before: Partial<LockedPackage>, after: Partial<LockedPackage>): PackageChange {
  const base = makeChange({ version: '1.0.1', previousVersion: '1.0.1', line: 42 })
  return {
    ...base,
    locked: makeLocked({ version: '1.0.1', line: 42, resolved: registry('1.0.1'), ...after }),
    previous: makeLocked({ version: '1.0.1', line: 42, resolved: registry('1.0.1'), ...before })
  }
}

describe('lockfile/integrity-changed', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({
      id: 'lockfile/integrity-changed',
      defaultSeverity: 'critical'
    })
  })

  it.each<[string, PackageChange, RegExp | null]>([
    [
      'a swapped integrity',
      change({}, { integrity: 'sha512-EVIL' }),
      /integrity changed from sha512-AAAA to sha512-EVIL/
    ],
    [
      'a swapped resolved',
      change({}, { resolved: 'https://evil.example.test/x.tgz', source: 'remote' }),
      /resolved changed from https:\/\/npm\.example\.test\/example-pkg\/-\/example-pkg-1\.0\.1\.tgz to https:\/\/evil\.example\.test\/x\.tgz/
    ],
    [
      'both swapped',
      change({}, { integrity: 'sha512-EVIL', resolved: 'https://evil.example.test/x.tgz' }),
      /integrity changed from sha512-AAAA to sha512-EVIL; resolved changed from .* to https:\/\/evil/
    ],
    [
      'a source that became a git repository',
      change(
        { resolved: undefined },
        { resolved: 'git+ssh://git@example.test/o/r.git#abc', source: 'git' }
      ),
      /source changed from registry to git/
    ],
    ['the same entry', change({}, {}), null],
    ['a resolved that only appeared', change({ resolved: undefined }, {}), null],
    [
      'a new version (not tampering)',
      { ...change({}, { version: '1.0.2', integrity: 'sha512-B' }), version: '1.0.2' },
      null
    ],
    ['an added package', makeChange({ previousVersion: null }), null]
  ])('%s', async (_what, input, message) => {
    const findings = await rule.check(makeContext({ change: input }))
    if (message === null) {
      expect(findings).toEqual([])
      return
    }
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'lockfile/integrity-changed',
      severity: 'critical',
      package: { name: 'example-pkg', version: '1.0.1' },
      location: { lockfile: 'package-lock.json', line: 42 }
    })
    expect(findings[0].message).toMatch(message)
  })

  it('clips very long values', async () => {
    const findings = await rule.check(
      makeContext({ change: change({}, { integrity: `sha512-${'x'.repeat(5000)}` }) })
    )
    expect(findings[0].message.length).toBeLessThan(400)
  })
})
