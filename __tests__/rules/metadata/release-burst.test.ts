import { describe, expect, it } from '@jest/globals'
import { busiestWindow, rule } from '../../../src/rules/metadata/release-burst.js'
import type { Packument, Severity } from '../../../src/types.js'
import {
  makeChange,
  makeContext,
  makeReleasePackument,
  releaseSeries,
  type ReleaseHistory
} from '../../helpers/factories.js'

const HOUR = 3_600_000

/** Ten releases, one every 30 days, then whatever `tail` adds. */
function withCalmHistory(tail: ReleaseHistory): Packument {
  const calm = releaseSeries({ count: 10, start: '2024-01-01T00:00:00Z', everyHours: 720 })
  return makeReleasePackument('postmark-mcp', [...calm, ...tail])
}

function locking(version: string, packument: Packument) {
  return makeContext({
    change: makeChange({ name: 'postmark-mcp', version, previousVersion: '1.0.0' }),
    packument
  })
}

describe('metadata/release-burst', () => {
  // postmark-mcp: about 18 releases in a few days
  const eighteenInThreeDays = releaseSeries({
    count: 18,
    start: '2025-09-10T00:00:00Z',
    everyHours: 4,
    major: 2
  })

  it.each<[string, ReleaseHistory, string, Severity]>([
    ['18 versions in 3 days', eighteenInThreeDays, '2.0.16', 'high'],
    [
      '10 versions in 45 hours',
      releaseSeries({ count: 10, start: '2025-09-10T00:00:00Z', everyHours: 5, major: 2 }),
      '2.0.9',
      'high'
    ],
    [
      '5 versions in 20 hours',
      releaseSeries({ count: 5, start: '2025-09-10T00:00:00Z', everyHours: 5, major: 2 }),
      '2.0.2',
      'medium'
    ],
    [
      '9 versions in 40 hours',
      releaseSeries({ count: 9, start: '2025-09-10T00:00:00Z', everyHours: 5, major: 2 }),
      '2.0.0',
      'medium'
    ]
  ])('flags %s', async (_label, tail, version, severity) => {
    const findings = await rule.check(locking(version, withCalmHistory(tail)))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'metadata/release-burst', severity })
    expect(findings[0]?.evidence[0]?.snippet).toContain(version)
  })

  it('counts the releases around the locked version, not elsewhere in the history', async () => {
    const findings = await rule.check(locking('1.0.9', withCalmHistory(eighteenInThreeDays)))
    expect(findings).toEqual([])
  })

  it.each<[string, ReleaseHistory]>([
    [
      '4 versions in a day',
      releaseSeries({ count: 4, start: '2025-09-10T00:00:00Z', everyHours: 5, major: 2 })
    ],
    [
      'weekly releases',
      releaseSeries({ count: 12, start: '2025-09-10T00:00:00Z', everyHours: 168, major: 2 })
    ],
    [
      '5 versions spread over 30 hours',
      releaseSeries({ count: 5, start: '2025-09-10T00:00:00Z', everyHours: 7.5, major: 2 })
    ]
  ])('does not flag %s', async (_label, tail) => {
    const version = tail.at(-1)?.[0] as string
    expect(await rule.check(locking(version, withCalmHistory(tail)))).toEqual([])
  })

  it('does not count a busy pre-release channel against a stable release', async () => {
    const canaries = Array.from({ length: 15 }, (_, i): [string, string] => [
      `3.0.0-canary.${i}`,
      new Date(Date.parse('2025-09-10T00:00:00Z') + i * 2 * HOUR).toISOString()
    ])
    const tail: ReleaseHistory = [...canaries, ['2.9.0', '2025-09-10T12:00:00Z']]
    expect(await rule.check(locking('2.9.0', withCalmHistory(tail)))).toEqual([])
    const findings = await rule.check(locking('3.0.0-canary.7', withCalmHistory(tail)))
    expect(findings.map((finding) => finding.severity)).toEqual(['medium'])
  })

  it('says nothing when the locked version has no publish time', async () => {
    const packument = withCalmHistory(eighteenInThreeDays)
    delete packument.time?.['2.0.16']
    expect(await rule.check(locking('2.0.16', packument))).toEqual([])
  })

  it('says nothing when the times look scrambled (a mirror rewrote them)', async () => {
    // every patch of the burst line "published" before its predecessor
    const reversed = eighteenInThreeDays.map(([version], i): [string, string] => [
      version,
      eighteenInThreeDays[eighteenInThreeDays.length - 1 - i]?.[1] as string
    ])
    expect(await rule.check(locking('2.0.16', withCalmHistory(reversed)))).toEqual([])
  })
})

describe('busiestWindow', () => {
  const at = (hours: number) => ({ version: `1.0.${hours}`, at: hours * HOUR })

  it('finds the fullest window that contains the given time', () => {
    const releases = [at(0), at(1), at(2), at(30), at(31), at(32), at(33)]
    expect(busiestWindow(releases, 2 * HOUR, 24 * HOUR).map((r) => r.version)).toEqual([
      '1.0.0',
      '1.0.1',
      '1.0.2'
    ])
    expect(busiestWindow(releases, 30 * HOUR, 24 * HOUR)).toHaveLength(4)
    expect(busiestWindow(releases, 20 * HOUR, 24 * HOUR)).toHaveLength(4)
    expect(busiestWindow([], 0, HOUR)).toEqual([])
  })
})
