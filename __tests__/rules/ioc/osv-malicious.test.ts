import { describe, it, expect } from '@jest/globals'
import { rule } from '../../../src/rules/ioc/osv-malicious.js'
import type { Manifest, OsvMatch, Packument } from '../../../src/types.js'
import { makeChange, makeContext } from '../../helpers/factories.js'

function packumentWith(versionCount: number): Packument {
  const versions: Record<string, Manifest> = {}
  for (let i = 0; i < versionCount; i += 1) {
    versions[`1.0.${i}`] = { name: 'some-pkg', version: `1.0.${i}` }
  }
  return { name: 'some-pkg', versions }
}

const exact: OsvMatch = {
  id: 'MAL-2099-0002',
  summary: 'Malicious code in some-pkg (npm)',
  shape: 'versions',
  source: 'offline'
}
const range: OsvMatch = { id: 'MAL-2099-0003', shape: 'range', source: 'online' }
const every: OsvMatch = {
  id: 'MAL-2099-0001',
  summary: 'Malicious code in some-pkg (npm)',
  shape: 'all',
  source: 'online'
}

describe('ioc/osv-malicious', () => {
  it('has an id matching its path', () => {
    expect(rule.meta.id).toBe('ioc/osv-malicious')
    expect(rule.meta.defaultSeverity).toBe('critical')
  })

  it.each([
    [
      'an exact version, offline',
      exact,
      undefined,
      'critical',
      /^some-pkg@1\.0\.1 is known malicious: OSV record MAL-2099-0002 lists this exact version \(from the offline OSV snapshot\)$/
    ],
    [
      'a range, online',
      range,
      packumentWith(40),
      'critical',
      /OSV record MAL-2099-0003 covers it with a range of versions \(from OSV's online API\)$/
    ],
    [
      'every version, short history',
      every,
      packumentWith(3),
      'critical',
      /OSV record MAL-2099-0001 marks every version of the package \(from OSV's online API\)$/
    ],
    [
      'every version, no registry metadata',
      every,
      undefined,
      'critical',
      /marks every version of the package \(from OSV's online API\)$/
    ],
    [
      'every version, long history',
      every,
      packumentWith(25),
      'high',
      /marks every version .*; the registry shows 25 published versions, and "every version" records are sometimes wrong on hijacked packages/
    ]
  ])('%s', async (_label, match, packument, severity, message) => {
    const ctx = makeContext({
      change: makeChange({ name: 'some-pkg', version: '1.0.1', line: 42 }),
      osv: [match],
      ...(packument ? { packument } : {})
    })
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'ioc/osv-malicious',
      severity,
      package: { name: 'some-pkg', version: '1.0.1', previous: '1.0.0' },
      location: { lockfile: 'package-lock.json', line: 42 }
    })
    expect(findings[0].message).toMatch(message)
  })

  it('cites the record id and summary as evidence', async () => {
    const findings = await rule.check(makeContext({ osv: [exact, range] }))
    expect(findings.map((f) => f.evidence)).toEqual([
      [{ file: 'osv', snippet: 'MAL-2099-0002: Malicious code in some-pkg (npm)' }],
      [{ file: 'osv', snippet: 'MAL-2099-0003' }]
    ])
  })

  it('reports a record once, and nothing without a match', async () => {
    expect(await rule.check(makeContext({ osv: [exact, exact] }))).toHaveLength(1)
    expect(await rule.check(makeContext({ osv: [] }))).toEqual([])
    expect(await rule.check(makeContext())).toEqual([])
  })
})
