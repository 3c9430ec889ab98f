import { describe, it, expect } from '@jest/globals'
import { affectedShape, coversEveryVersion, rangeIncludes } from '../../src/osv/range.js'
import type { OsvAffected, OsvEvent, OsvRange } from '../../src/osv/record.js'

function semverRange(...events: OsvEvent[]): OsvRange {
  return { type: 'SEMVER', events }
}

describe('rangeIncludes (the OSV schema evaluation)', () => {
  const introducedFixed = semverRange({ introduced: '1.0.0' }, { fixed: '1.0.2' })
  const introducedLast = semverRange({ introduced: '2.0.0' }, { last_affected: '2.1.0' })
  // postmark-mcp's record: introduced 1.0.16, no end
  const noEnd = semverRange({ introduced: '1.0.16' })
  const fromZero = semverRange({ introduced: '0' })
  const zeroFixed = semverRange({ introduced: '0' }, { fixed: '1.0.2' })
  // two lines in one range, written out of order on purpose: events are sorted before the walk
  const twoLines = semverRange(
    { introduced: '3.0.0' },
    { fixed: '3.2.5' },
    { introduced: '1.0.0' },
    { fixed: '1.0.2' }
  )
  const limited = semverRange({ introduced: '0' }, { limit: '2.0.0' })
  const starLimit = semverRange({ introduced: '1.0.0' }, { limit: '*' })

  it.each<[string, string, boolean, OsvRange]>([
    ['introduced/fixed', '0.9.9', false, introducedFixed],
    ['introduced/fixed', '1.0.0', true, introducedFixed],
    ['introduced/fixed', '1.0.1', true, introducedFixed],
    ['introduced/fixed', '1.0.2', false, introducedFixed],
    ['introduced/last_affected', '1.9.9', false, introducedLast],
    ['introduced/last_affected', '2.1.0', true, introducedLast],
    ['introduced/last_affected', '2.1.1', false, introducedLast],
    ['introduced, no end', '1.0.15', false, noEnd],
    ['introduced, no end', '1.0.16', true, noEnd],
    ['introduced, no end', '1.0.18', true, noEnd],
    ['introduced, no end', '99.0.0', true, noEnd],
    ['introduced 0', '0.0.1', true, fromZero],
    ['introduced 0', '0.0.0-alpha', true, fromZero],
    ['introduced 0, fixed', '1.0.1', true, zeroFixed],
    ['introduced 0, fixed', '1.0.2', false, zeroFixed],
    ['two lines', '1.0.1', true, twoLines],
    ['two lines', '2.0.0', false, twoLines],
    ['two lines', '3.1.0', true, twoLines],
    ['two lines', '3.2.5', false, twoLines],
    ['limit', '1.9.9', true, limited],
    ['limit', '2.0.0', false, limited],
    ['limit "*"', '9.0.0', true, starLimit],
    // prereleases sort before their release
    ['introduced, no end', '1.0.16-beta.1', false, noEnd],
    ['introduced, no end', '1.0.17-rc.0', true, noEnd],
    ['introduced/fixed', '1.0.2-rc.1', true, introducedFixed],
    ['introduced/last_affected', '2.0.0-alpha', false, introducedLast],
    ['introduced/last_affected', '2.1.1-beta', false, introducedLast],
    ['introduced 0, fixed', '1.0.2-0', true, zeroFixed]
  ])('%s range: %s -> %s', (_label, version, expected, range) => {
    expect(rangeIncludes(range, version)).toBe(expected)
  })

  it('treats ECOSYSTEM ranges of npm with semver order, and ignores GIT ranges', () => {
    expect(rangeIncludes({ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }] }, '1.2.0')).toBe(
      true
    )
    expect(rangeIncludes({ type: 'GIT', events: [{ introduced: '0' }] }, '1.2.0')).toBe(false)
  })

  it('never hides a match behind an unreadable bound', () => {
    expect(rangeIncludes(semverRange({ introduced: 'garbage' }), '1.0.0')).toBe(true)
    expect(rangeIncludes(semverRange({ introduced: '1.0.0' }, { fixed: 'x' }), '5.0.0')).toBe(true)
  })

  it('does not match a version that is not semver', () => {
    expect(rangeIncludes(fromZero, 'not-a-version')).toBe(false)
  })
})

describe('affectedShape', () => {
  function affected(versions: string[], ranges: OsvRange[] = []): OsvAffected {
    return { ecosystem: 'npm', name: 'pkg', versions, ranges }
  }

  it.each([
    ['an explicit list', affected(['4.1.1', '4.1.2']), '4.1.2', 'versions'],
    ['an explicit list, another version', affected(['4.1.1']), '4.1.3', undefined],
    ['a range', affected([], [semverRange({ introduced: '1.0.16' })]), '1.0.18', 'range'],
    ['every version', affected([], [semverRange({ introduced: '0' })]), '7.0.0', 'all'],
    // an enumerated list next to a range (OSV's export fills `versions` from the ranges)
    [
      'list and range',
      affected(['1.0.16'], [semverRange({ introduced: '1.0.16' })]),
      '1.0.16',
      'range'
    ],
    // the @ctrl/tinycolor trap: a short list plus an extra "every version" range
    [
      'list and every version',
      affected(['4.1.1'], [semverRange({ introduced: '0' })]),
      '4.1.1',
      'all'
    ],
    ['a list, loosely written', affected(['v2.0.0']), '2.0.0', 'versions']
  ])('%s', (_label, entry, version, expected) => {
    expect(affectedShape(entry, version)).toBe(expected)
  })

  it('calls "every version" only a range from 0 with no end', () => {
    expect(coversEveryVersion(semverRange({ introduced: '0' }))).toBe(true)
    expect(coversEveryVersion(semverRange({ introduced: '0' }, { limit: '*' }))).toBe(true)
    expect(coversEveryVersion(semverRange({ introduced: '0' }, { fixed: '1.0.0' }))).toBe(false)
    expect(coversEveryVersion(semverRange({ introduced: '0.0.1' }))).toBe(false)
  })
})
