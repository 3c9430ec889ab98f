import { describe, it, expect } from '@jest/globals'
import { buildIocIndex } from '../../../src/ioc/index.js'
import { loadBundledFeed } from '../../../src/ioc/load-feeds.js'
import { rule } from '../../../src/rules/ioc/known-publisher.js'
import type { RuleContext } from '../../../src/rules/types.js'
import { makeChange, makeContext, makeManifest } from '../../helpers/factories.js'

const iocs = buildIocIndex(loadBundledFeed())
const change = makeChange({ name: 'some-mcp', version: '1.0.3', line: 7 })

describe('ioc/known-publisher', () => {
  it.each<[string, Partial<RuleContext>, string]>([
    [
      'the publisher',
      { manifest: makeManifest({ _npmUser: { name: 'phanpak' } }) },
      'registry metadata, publisher (_npmUser): phanpak'
    ],
    [
      'a version maintainer, in capitals',
      { manifest: makeManifest({ maintainers: [{ name: 'someone' }, { name: 'PhanPak' }] }) },
      'registry metadata, version maintainer: PhanPak'
    ],
    [
      'a package maintainer',
      { packument: { name: 'some-mcp', versions: {}, maintainers: [{ name: 'phanpak' }] } },
      'registry metadata, package maintainer: phanpak'
    ]
  ])('flags %s', async (_label, overrides, snippet) => {
    const findings = await rule.check(makeContext({ change, iocs, ...overrides }))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'ioc/known-publisher',
      severity: 'critical',
      location: { line: 7 },
      evidence: [{ snippet }]
    })
    expect(findings[0].message).toMatch(
      /known malicious npm account phanpak \(postmark-mcp backdoor/
    )
  })

  it('gives one finding with all the evidence when the account appears several times', async () => {
    const manifest = makeManifest({
      _npmUser: { name: 'phanpak' },
      maintainers: [{ name: 'phanpak' }]
    })
    const findings = await rule.check(makeContext({ change, iocs, manifest }))
    expect(findings).toHaveLength(1)
    expect(findings[0].evidence).toHaveLength(2)
  })

  it.each<[string, Partial<RuleContext>]>([
    ['no metadata', {}],
    ['another publisher', { manifest: makeManifest({ _npmUser: { name: 'phanpak2' } }) }],
    ['malformed maintainers', { manifest: makeManifest({ maintainers: 'phanpak' as never }) }]
  ])('passes with %s', async (_label, overrides) => {
    expect(await rule.check(makeContext({ change, iocs, ...overrides }))).toEqual([])
  })
})
