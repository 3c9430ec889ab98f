import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/maintainers-changed.js'
import type { Packument } from '../../../src/types.js'
import { bumpContext, makePackument, type VersionSpec } from '../lib/metadata/factories.js'

const people = (...names: string[]) => names.map((name) => ({ name, email: `${name}@example.org` }))

function bump(previous: VersionSpec, current: VersionSpec, extra: Partial<Packument> = {}) {
  const packument = makePackument({ '1.0.0': previous, '1.1.0': current }, extra)
  return rule.check(bumpContext(packument, '1.0.0', '1.1.0'))
}

describe('metadata/maintainers-changed', () => {
  it('flags an account added to the version maintainers (medium)', async () => {
    const findings = await bump(
      { maintainers: people('alice') },
      { maintainers: people('alice', 'mallory') }
    )
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'metadata/maintainers-changed',
        severity: 'medium',
        evidence: [{ file: 'packument', snippet: 'maintainers: alice -> alice, mallory' }]
      })
    ])
    expect(findings[0].message).toMatch(/lists maintainer mallory that 1\.0\.0 did not/)
  })

  it('ranks high when the new account also published the version', async () => {
    const findings = await bump(
      { maintainers: people('alice'), _npmUser: { name: 'alice' } },
      { maintainers: people('alice', 'mallory'), _npmUser: { name: 'mallory' } }
    )
    expect(findings).toEqual([expect.objectContaining({ severity: 'high' })])
    expect(findings[0].message).toMatch(/published by an account new to the package/)
  })

  it("uses the package's list when the new version is the latest and has none of its own", async () => {
    const findings = await bump(
      { maintainers: people('alice') },
      {},
      {
        'dist-tags': { latest: '1.1.0' },
        maintainers: people('alice', 'mallory')
      }
    )
    expect(findings).toHaveLength(1)
  })

  it.each<[string, VersionSpec, VersionSpec, Partial<Packument>]>([
    [
      'the same accounts, in other case and order',
      { maintainers: people('bob', 'alice') },
      { maintainers: people('Alice', 'bob') },
      {}
    ],
    [
      'an account removed',
      { maintainers: people('alice', 'bob') },
      { maintainers: people('alice') },
      {}
    ],
    ['no list on the previous version', {}, { maintainers: people('mallory') }, {}],
    ['no list anywhere for the new version', { maintainers: people('alice') }, {}, {}],
    [
      "the package's list when the new version is not the latest",
      { maintainers: people('alice') },
      {},
      {
        'dist-tags': { latest: '2.0.0' },
        maintainers: people('alice', 'mallory')
      }
    ]
  ])('is quiet for %s', async (_label, previous, current, extra) => {
    expect(await bump(previous, current, extra)).toEqual([])
  })
})
