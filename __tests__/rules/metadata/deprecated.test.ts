import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/deprecated.js'
import { bumpContext, makePackument } from '../lib/metadata/factories.js'

function check(deprecated: string | undefined) {
  const packument = makePackument({
    '1.0.0': {},
    '1.0.1': deprecated === undefined ? {} : { deprecated }
  })
  return rule.check(bumpContext(packument, '1.0.0', '1.0.1'))
}

describe('metadata/deprecated', () => {
  it.each([
    ['Use version 3 instead', 'low'],
    ['This version was published from a compromised account, do not use', 'medium'],
    ['Contains MALICIOUS code', 'medium'],
    ['Critical security issue, upgrade to 1.0.2', 'medium']
  ])('flags "%s" at %s', async (message, severity) => {
    const findings = await check(message)
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'metadata/deprecated',
        severity,
        evidence: [{ file: 'packument', snippet: `deprecated: ${message}` }]
      })
    ])
    expect(findings[0].message).toContain(message)
  })

  it.each([undefined, '', '   '])('is quiet when not deprecated (%p)', async (deprecated) => {
    expect(await check(deprecated)).toEqual([])
  })

  it('clips a long deprecation message', async () => {
    const findings = await check('x'.repeat(10_000))
    expect(findings[0].message.length).toBeLessThan(500)
  })
})
