import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/out-of-pattern.js'
import type { Packument, Severity } from '../../../src/types.js'
import {
  makeChange,
  makeContext,
  makeManifest,
  makeReleasePackument,
  releaseSeries,
  type ReleaseHistory
} from '../../helpers/factories.js'

const MONTH_HOURS = 720

/** `count` patch releases of `major.minor`, one a month from `start`. */
function monthly(major: number, start: string, count = 6, minor = 0): [string, string][] {
  return releaseSeries({ count, start, everyHours: MONTH_HOURS, major, minor })
}

// `is`: 0.x to 3.3.0 between 2013 and 2018, then nothing until the Scavenger wave (2025)
const IS_HISTORY: ReleaseHistory = [
  ...monthly(0, '2013-01-01T00:00:00Z', 4, 2),
  ...monthly(1, '2014-01-01T00:00:00Z', 4),
  ...monthly(2, '2015-01-01T00:00:00Z', 4),
  ...monthly(3, '2016-01-01T00:00:00Z', 4, 2),
  ['3.3.0', '2018-10-01T00:00:00Z']
]

/** The locked version; `publishers` = [previous version's _npmUser, this version's]. */
function locking(
  name: string,
  version: string,
  packument: Packument,
  publishers?: [string, string]
) {
  const accounts = publishers
    ? {
        previousManifest: makeManifest({ name, _npmUser: { name: publishers[0] } }),
        manifest: makeManifest({ name, version, _npmUser: { name: publishers[1] } })
      }
    : {}
  return makeContext({
    change: makeChange({ name, version, previousVersion: null }),
    packument,
    ...accounts
  })
}

const TAKEOVER: [string, string] = ['maintainer', 'stranger']

async function severities(history: ReleaseHistory, version: string): Promise<Severity[]> {
  const findings = await rule.check(locking('pkg', version, makeReleasePackument('pkg', history)))
  return findings.map((finding) => finding.severity)
}

describe('metadata/out-of-pattern', () => {
  it('flags is 5.0.0, a major that never existed, published by another account, as high', async () => {
    const packument = makeReleasePackument('is', [...IS_HISTORY, ['5.0.0', '2025-07-19T00:00:00Z']])
    const findings = await rule.check(locking('is', '5.0.0', packument, TAKEOVER))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'metadata/out-of-pattern', severity: 'high' })
    expect(findings[0]?.message).toContain('jumps to major 5')
    expect(findings[0]?.message).toContain('up to 3.x')
  })

  it('keeps a skipped major at medium when nothing says another account published it', async () => {
    // react-native 1000.0.0 after 0.x: a placeholder major its own maintainers publish
    const packument = makeReleasePackument('is', [...IS_HISTORY, ['5.0.0', '2025-07-19T00:00:00Z']])
    const findings = await rule.check(locking('is', '5.0.0', packument))
    expect(findings.map((finding) => finding.severity)).toEqual(['medium'])
    const same = await rule.check(locking('is', '5.0.0', packument, ['maintainer', 'maintainer']))
    expect(same.map((finding) => finding.severity)).toEqual(['medium'])
  })

  it('flags a dependency-confusion style 99.0.0 after a 1.x history, by another account', async () => {
    const history: ReleaseHistory = [
      ...monthly(1, '2024-01-01T00:00:00Z', 12),
      ['99.0.0', '2025-03-01T00:00:00Z']
    ]
    const findings = await rule.check(
      locking('pkg', '99.0.0', makeReleasePackument('pkg', history), TAKEOVER)
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
  })

  it.each<[string, ReleaseHistory, string, Severity[]]>([
    [
      'a skipped major after a short history',
      [
        ...releaseSeries({ count: 5, start: '2025-01-01T00:00:00Z', everyHours: 24 }),
        ['3.0.0', '2025-01-10T00:00:00Z']
      ],
      '3.0.0',
      ['medium']
    ],
    [
      'the next major after two dormant years',
      [...monthly(1, '2021-01-01T00:00:00Z', 8), ['2.0.0', '2024-01-01T00:00:00Z']],
      '2.0.0',
      ['medium']
    ],
    [
      'a major below the current one that never existed',
      [
        ...monthly(1, '2021-01-01T00:00:00Z'),
        ...monthly(3, '2022-01-01T00:00:00Z'),
        ['2.0.0', '2023-01-01T00:00:00Z']
      ],
      '2.0.0',
      ['medium']
    ],
    [
      'a late release on a line dormant for two years while newer majors are out (Scavenger)',
      [
        ...monthly(8, '2022-01-01T00:00:00Z', 11),
        ...monthly(9, '2023-08-01T00:00:00Z'),
        ...monthly(10, '2025-01-01T00:00:00Z'),
        ['8.0.11', '2025-07-18T00:00:00Z']
      ],
      '8.0.11',
      ['medium']
    ]
  ])('flags %s', async (_label, history, version, expected) => {
    expect(await severities(history, version)).toEqual(expected)
  })

  it.each<[string, ReleaseHistory, string]>([
    [
      'a normal new major of a package with a regular cadence',
      [...monthly(1, '2024-01-01T00:00:00Z', 10), ['2.0.0', '2024-11-01T00:00:00Z']],
      '2.0.0'
    ],
    [
      'a new major announced by pre-releases',
      [
        ...monthly(1, '2020-01-01T00:00:00Z', 10),
        ['2.0.0-beta.1', '2023-01-01T00:00:00Z'],
        ['2.0.0', '2023-02-01T00:00:00Z']
      ],
      '2.0.0'
    ],
    [
      'a backport to a line released six months ago',
      [
        ...monthly(8, '2024-01-01T00:00:00Z'),
        ...monthly(9, '2024-07-01T00:00:00Z'),
        ['8.0.6', '2024-12-01T00:00:00Z']
      ],
      '8.0.6'
    ],
    [
      'a late patch that is not the highest of its line',
      [
        ...monthly(8, '2020-01-01T00:00:00Z'),
        ...monthly(9, '2021-01-01T00:00:00Z'),
        ['8.0.2', '2024-01-01T00:00:00Z']
      ],
      '8.0.2'
    ],
    [
      'a new 0.x minor',
      [...monthly(0, '2024-01-01T00:00:00Z', 8, 1), ['0.9.0', '2024-12-01T00:00:00Z']],
      '0.9.0'
    ],
    [
      'the first major of a short history',
      [
        ['0.1.0', '2024-01-01T00:00:00Z'],
        ['3.0.0', '2024-02-01T00:00:00Z']
      ],
      '3.0.0'
    ]
  ])('does not flag %s', async (_label, history, version) => {
    expect(await severities(history, version)).toEqual([])
  })

  it('still flags a skipped major by version order when the version has no publish time', async () => {
    const packument = makeReleasePackument('is', IS_HISTORY)
    packument.versions['5.0.0'] = { name: 'is', version: '5.0.0' }
    const findings = await rule.check(locking('is', '5.0.0', packument, TAKEOVER))
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
  })

  it('judges version numbers only when the times look scrambled', async () => {
    const scrambled = IS_HISTORY.map(([version], i): [string, string] => [
      version,
      IS_HISTORY[IS_HISTORY.length - 1 - i]?.[1] as string
    ])
    const dormantButScrambled = makeReleasePackument('pkg', [
      ...scrambled,
      ['4.0.0', '2030-01-01T00:00:00Z']
    ])
    expect(await rule.check(locking('pkg', '4.0.0', dormantButScrambled))).toEqual([])
    const dormant = makeReleasePackument('pkg', [...IS_HISTORY, ['4.0.0', '2030-01-01T00:00:00Z']])
    expect((await rule.check(locking('pkg', '4.0.0', dormant))).map((f) => f.severity)).toEqual([
      'medium'
    ])
    const skipped = makeReleasePackument('is', [...scrambled, ['5.0.0', '2000-01-01T00:00:00Z']])
    const findings = await rule.check(locking('is', '5.0.0', skipped, TAKEOVER))
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
  })

  it('says nothing without a packument or for an invalid version', async () => {
    expect(await rule.check(makeContext())).toEqual([])
    const packument = makeReleasePackument('is', IS_HISTORY)
    expect(await rule.check(locking('is', 'latest', packument))).toEqual([])
  })
})
