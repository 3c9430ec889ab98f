import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/new-package.js'
import type { Packument, Severity } from '../../../src/types.js'
import {
  makeChange,
  makeContext,
  makeReleasePackument,
  releaseSeries
} from '../../helpers/factories.js'

const NOW = new Date('2026-11-21T00:00:00Z')
const DAY = 86_400_000

/** `count` versions, the first published `daysAgo` days before NOW, one every 6 hours. */
function history(name: string, daysAgo: number, count: number): Packument {
  const start = new Date(NOW.getTime() - daysAgo * DAY).toISOString()
  return makeReleasePackument(name, releaseSeries({ count, start, everyHours: 6 }))
}

function added(name: string, packument?: Packument) {
  return makeContext({
    change: makeChange({ name, version: '1.0.0', previousVersion: null }),
    ...(packument ? { packument } : {}),
    now: NOW
  })
}

describe('metadata/new-package', () => {
  it.each<[string, string, number, number, Severity]>([
    ['a 10-day-old package with 2 versions', 'acme-widget-kit', 10, 2, 'medium'],
    ['a 2-day-old package with 1 version', 'acme-widget-kit', 2, 1, 'medium'],
    ['a 2-day-old lookalike of express', 'expresss', 2, 1, 'high'],
    ['a 3-day-old unscoped name built on postmark', 'postmark-mcp', 3, 3, 'high'],
    ['a 20-day-old lookalike (not very recent)', 'expresss', 20, 2, 'medium'],
    ['a 2-day-old scoped lookalike', '@acme/expresss', 2, 1, 'medium']
  ])('flags %s', async (_label, name, daysAgo, count, severity) => {
    const findings = await rule.check(added(name, history(name, daysAgo, count)))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'metadata/new-package', severity })
    expect(findings[0]?.message).toContain(`${count} version`)
  })

  it.each<[string, string, number, number]>([
    ['older than 30 days', 'acme-widget-kit', 45, 2],
    ['more than 3 versions', 'acme-widget-kit', 5, 4]
  ])('does not flag a package %s', async (_label, name, daysAgo, count) => {
    expect(await rule.check(added(name, history(name, daysAgo, count)))).toEqual([])
  })

  it('says how old the package is, in hours when under two days', async () => {
    const packument = makeReleasePackument('acme-widget-kit', [['1.0.0', '2026-11-20T19:00:00Z']])
    const [finding] = await rule.check(added('acme-widget-kit', packument))
    expect(finding?.message).toContain('5 hours ago')
  })

  it('counts unpublished versions still listed in time', async () => {
    const packument = history('acme-widget-kit', 3, 4)
    delete packument.versions['1.0.3']
    expect(await rule.check(added('acme-widget-kit', packument))).toEqual([])
  })

  it('reads time.created when present, even if it is older than every listed version', async () => {
    const packument = history('acme-widget-kit', 3, 1)
    packument.time = { ...packument.time, created: '2020-01-01T00:00:00Z' }
    expect(await rule.check(added('acme-widget-kit', packument))).toEqual([])
  })

  it('treats a publish time in the future (skewed mirror) as just published', async () => {
    const packument = makeReleasePackument('acme-widget-kit', [['1.0.0', '2026-12-01T00:00:00Z']])
    const [finding] = await rule.check(added('acme-widget-kit', packument))
    expect(finding?.message).toContain('0 hours ago')
  })

  it.each<[string, Packument | undefined]>([
    ['no packument', undefined],
    ['no time field', { name: 'acme-widget-kit', versions: {} }],
    ['unreadable times', { name: 'acme-widget-kit', versions: {}, time: { '1.0.0': 'soon' } }]
  ])('says nothing with %s', async (_label, packument) => {
    expect(await rule.check(added('acme-widget-kit', packument))).toEqual([])
  })

  it('only looks at packages added in this change', async () => {
    const ctx = makeContext({
      change: makeChange({ name: 'acme-widget-kit', version: '1.0.1' }),
      packument: history('acme-widget-kit', 2, 2),
      now: NOW
    })
    expect(await rule.check(ctx)).toEqual([])
  })
})
