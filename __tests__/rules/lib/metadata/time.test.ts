import { describe, expect, it } from '@jest/globals'
import { formatDuration, judgeTimes, publishTime } from '../../../../src/rules/lib/metadata/time.js'
import type { Packument } from '../../../../src/types.js'

const DAY = 86_400_000
const base = Date.parse('2025-01-01T00:00:00Z')

function packument(times: Record<string, number>, created?: number): Packument {
  const time: Record<string, string> = {}
  if (created !== undefined) time.created = new Date(created).toISOString()
  const versions: Packument['versions'] = {}
  for (const [version, at] of Object.entries(times)) {
    time[version] = new Date(at).toISOString()
    versions[version] = { name: 'p', version }
  }
  return { name: 'p', versions, time }
}

/** 1.0.0 .. 1.0.(n-1), one a day, then a backport line 0.9.x published after them. */
function realistic(n: number): Record<string, number> {
  const times: Record<string, number> = {}
  for (let i = 0; i < n; i++) times[`1.0.${i}`] = base + i * DAY
  times['0.9.0'] = base - 100 * DAY
  times['0.9.1'] = base + (n + 1) * DAY // a backport: published after newer versions, in its line's order
  return times
}

describe('judgeTimes', () => {
  it('finds real publish times plausible, backports included', () => {
    expect(judgeTimes(packument(realistic(8), base - 200 * DAY))).toBe('plausible')
  })

  it('tolerates one re-publication out of order', () => {
    const times = realistic(10)
    times['1.0.4'] = base + 20 * DAY
    expect(judgeTimes(packument(times))).toBe('plausible')
  })

  it('finds versions of a line in random order scrambled', () => {
    const order = [5, 1, 7, 0, 3, 6, 2, 4]
    const times = Object.fromEntries(order.map((day, i) => [`1.0.${i}`, base + day * DAY]))
    expect(judgeTimes(packument(times))).toBe('scrambled')
  })

  it('finds versions published before the package was created scrambled', () => {
    expect(judgeTimes(packument({ '1.0.0': base, '1.0.1': base + DAY }, base + 10 * DAY))).toBe(
      'scrambled'
    )
  })

  it('finds identical times for every version scrambled', () => {
    expect(judgeTimes(packument({ '1.0.0': base, '1.1.0': base, '2.0.0': base }))).toBe('scrambled')
  })

  it('cannot tell with few versions per line, or without times', () => {
    expect(judgeTimes(packument({ '1.0.0': base, '2.0.0': base - DAY }))).toBe('unknown')
    expect(judgeTimes({ name: 'p', versions: { '1.0.0': { name: 'p', version: '1.0.0' } } })).toBe(
      'unknown'
    )
  })
})

describe('publishTime', () => {
  it('reads ISO times and ignores anything else', () => {
    const doc = {
      name: 'p',
      versions: {},
      time: { '1.0.0': '2026-01-02T00:00:00Z', '1.0.1': 'soon' }
    }
    expect(publishTime(doc, '1.0.0')).toBe(Date.parse('2026-01-02T00:00:00Z'))
    expect(publishTime(doc, '1.0.1')).toBeUndefined()
    expect(publishTime(doc, '9.9.9')).toBeUndefined()
    expect(publishTime(undefined, '1.0.0')).toBeUndefined()
  })
})

describe('formatDuration', () => {
  it.each([
    [30_000, 'less than a minute'],
    [60_000, '1 minute'],
    [2 * 3_600_000 + 120_000, '2 hours'],
    [3 * DAY, '3 days'],
    [10 * DAY, '10 days'],
    [14 * DAY, '2 weeks']
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
