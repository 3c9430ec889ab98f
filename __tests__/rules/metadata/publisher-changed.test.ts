import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/publisher-changed.js'
import type { NpmUser, Severity } from '../../../src/types.js'
import { bumpContext, makePackument } from '../lib/metadata/factories.js'

const trusted: NpmUser = {
  name: 'GitHub Actions',
  email: 'npm-oidc-no-reply@github.com',
  trustedPublisher: { id: 'github', oidcConfigId: 'oidc:1' }
}
const user = (name: string): NpmUser => ({ name, email: `${name}@example.org` })

/** Versions 1.0.0 .. 1.0.(n-1) published by `history`, then `previous` and `current`. */
function packument(history: NpmUser[], previous?: NpmUser, current?: NpmUser) {
  const versions: Record<string, { _npmUser?: NpmUser }> = {}
  history.forEach((who, i) => (versions[`1.0.${i}`] = { _npmUser: who }))
  versions['1.1.0'] = previous ? { _npmUser: previous } : {}
  versions['1.2.0'] = current ? { _npmUser: current } : {}
  return makePackument(versions)
}

describe('metadata/publisher-changed', () => {
  it.each<[string, NpmUser[], NpmUser, NpmUser, Severity]>([
    ['a new account', [user('alice')], user('alice'), user('mallory'), 'high'],
    ['trusted publishing lost, new account', [trusted], trusted, user('mallory'), 'critical'],
    [
      'trusted publishing lost, same account name',
      [],
      trusted,
      { name: 'GitHub Actions' },
      'critical'
    ],
    ['a move to trusted publishing', [user('alice')], user('alice'), trusted, 'medium']
  ])('flags %s', (_label, history, previous, current, severity) => {
    const findings = rule.check(
      bumpContext(packument(history, previous, current), '1.1.0', '1.2.0')
    )
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'metadata/publisher-changed',
        severity,
        package: { name: 'meta-pkg', version: '1.2.0', previous: '1.1.0' },
        location: { lockfile: 'package-lock.json', line: 12 }
      })
    ])
  })

  it('says who published before and now, in the message and the evidence', async () => {
    const [finding] = await rule.check(
      bumpContext(packument([user('alice')], user('alice'), user('mallory')), '1.1.0', '1.2.0')
    )
    expect(finding.message).toMatch(/published by mallory, who published neither 1\.1\.0 \(alice\)/)
    expect(finding.evidence[0]).toEqual({
      file: 'packument',
      snippet: '_npmUser: alice -> mallory'
    })
  })

  it.each<[string, NpmUser[], NpmUser | undefined, NpmUser | undefined]>([
    ['the same publisher', [user('alice')], user('alice'), user('Alice')],
    ['a publisher of a recent version', [user('bob'), user('alice')], user('alice'), user('bob')],
    ['no _npmUser on the new version', [], user('alice'), undefined],
    ['no _npmUser on the previous version', [], undefined, user('mallory')],
    ['both through trusted publishing', [trusted], trusted, trusted]
  ])('is quiet for %s', (_label, history, previous, current) => {
    const ctx = bumpContext(packument(history, previous, current), '1.1.0', '1.2.0')
    expect(rule.check(ctx)).toEqual([])
  })

  it('only looks at the 10 versions before the new one, not at every earlier version', () => {
    const history = [user('mallory'), ...Array.from({ length: 10 }, () => user('alice'))]
    const ctx = bumpContext(packument(history, user('alice'), user('mallory')), '1.1.0', '1.2.0')
    expect(rule.check(ctx)).toHaveLength(1)
  })

  it('is quiet for an added package', () => {
    const ctx = bumpContext(packument([], user('alice'), user('mallory')), null, '1.2.0')
    expect(rule.check(ctx)).toEqual([])
  })
})
