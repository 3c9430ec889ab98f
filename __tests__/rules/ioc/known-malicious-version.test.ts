import { describe, it, expect } from '@jest/globals'
import { buildIocIndex } from '../../../src/ioc/index.js'
import { loadBundledFeed } from '../../../src/ioc/load-feeds.js'
import { rule } from '../../../src/rules/ioc/known-malicious-version.js'
import type { Manifest, Packument } from '../../../src/types.js'
import { makeChange, makeContext } from '../../helpers/factories.js'

const userFeed = {
  type: 'package' as const,
  value: 'typo-express',
  incident: 'typosquat loader',
  source: 'MAL-TEST-1',
  feed: 'feeds/team.json'
}
const iocs = buildIocIndex([...loadBundledFeed(), userFeed])

function packumentWith(versionCount: number): Packument {
  const versions: Record<string, Manifest> = {}
  for (let i = 0; i < versionCount; i += 1) {
    versions[`1.0.${i}`] = { name: 'typo-express', version: `1.0.${i}` }
  }
  return { name: 'typo-express', versions }
}

describe('ioc/known-malicious-version', () => {
  it('has an id matching its path', () => {
    expect(rule.meta.id).toBe('ioc/known-malicious-version')
  })

  it.each([
    [
      'postmark-mcp',
      '1.0.16',
      /range >=1\.0\.16 \(postmark-mcp backdoor \(2025-09\), source MAL-2025-47604\)/
    ],
    ['postmark-mcp', '1.0.18', /range >=1\.0\.16/],
    ['chalk', '5.6.1', /exact version listed \(5\.6\.1\) .*MAL-2025-46969/],
    ['@ctrl/tinycolor', '4.1.2', /exact version listed \(4\.1\.1 \|\| 4\.1\.2\)/],
    [
      'typo-express',
      '0.0.3',
      /all versions \(typosquat loader, source MAL-TEST-1, feed feeds\/team\.json\)/
    ]
  ])('flags %s@%s with no manifest or files', async (name, version, message) => {
    const ctx = makeContext({ change: makeChange({ name, version, line: 42 }), iocs })
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'ioc/known-malicious-version',
      severity: 'critical',
      package: { name, version },
      location: { lockfile: 'package-lock.json', line: 42 },
      evidence: [{ file: 'lockfile', line: 42, snippet: `${name}@${version}` }]
    })
    expect(findings[0].message).toMatch(message)
  })

  it.each([
    ['postmark-mcp', '1.0.15'],
    ['chalk', '5.6.0'],
    ['nx', '21.4.1'],
    ['left-pad', '1.3.0']
  ])('passes %s@%s', async (name, version) => {
    const ctx = makeContext({ change: makeChange({ name, version }), iocs })
    expect(await rule.check(ctx)).toEqual([])
  })

  it.each([
    [3, 'critical'],
    [25, 'high']
  ])(
    'an all-versions match on a name with %i published versions is %s',
    async (count, severity) => {
      const ctx = makeContext({
        change: makeChange({ name: 'typo-express', version: '1.0.1' }),
        packument: packumentWith(count),
        iocs
      })
      const findings = await rule.check(ctx)
      expect(findings.map((f) => f.severity)).toEqual([severity])
    }
  )

  it('reports an indicator present in two feeds once', async () => {
    const twice = buildIocIndex([userFeed, { ...userFeed, feed: 'https://feeds.example/f.json' }])
    const ctx = makeContext({ change: makeChange({ name: 'typo-express' }), iocs: twice })
    expect(await rule.check(ctx)).toHaveLength(1)
  })
})
