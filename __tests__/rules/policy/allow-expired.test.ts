import { describe, expect, it } from '@jest/globals'
import { expiredAllowFinding, rule } from '../../../src/rules/policy/allow-expired.js'
import { makeContext } from '../../helpers/factories.js'

describe('policy/allow-expired', () => {
  it('finds nothing per package: the policy stage reports expired entries once per run', async () => {
    expect(await rule.check(makeContext())).toEqual([])
  })

  it('builds a warning located at the entry in the configuration file', () => {
    const finding = expiredAllowFinding(
      {
        package: 'left-pad',
        versions: '^1.3.0',
        rules: ['content/new-endpoint'],
        reason: 'reviewed\nby security',
        expires: '2026-01-31',
        line: 14
      },
      '.github/lockgate.yml',
      2
    )
    expect(finding).toEqual({
      ruleId: 'policy/allow-expired',
      severity: 'low',
      message:
        'the allow entry for left-pad@^1.3.0 for content/new-endpoint ("reviewed by security") ' +
        'expired on 2026-01-31: it no longer suppresses findings (2 in this run); renew the ' +
        'date or remove the entry',
      package: { name: 'left-pad', version: '^1.3.0' },
      location: { lockfile: '.github/lockgate.yml', line: 14 },
      evidence: [{ file: '.github/lockgate.yml', line: 14, snippet: 'expires: 2026-01-31' }]
    })
  })
})
