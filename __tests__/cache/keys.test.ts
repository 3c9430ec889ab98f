import { describe, expect, it } from '@jest/globals'
import { changeKey, feedContentHash, rulesHash } from '../../src/cache/keys.js'
import type { IocEntry, Rule } from '../../src/rules/types.js'
import { makeChange, makeLocked } from '../helpers/factories.js'

const entry = (type: IocEntry['type'], value: string, extra: Partial<IocEntry> = {}): IocEntry => ({
  type,
  value,
  incident: 'test incident',
  source: 'https://example.test/advisory',
  feed: 'bundled',
  ...extra
})

const BASE_FEED = [
  entry('domain', 'evil.example'),
  entry('package', 'left-pad', { versions: '1.0.0' })
]

const rule = (id: string, version = 1): Rule => ({
  meta: { id, title: id, description: id, defaultSeverity: 'high', version },
  check: () => []
})

describe('feedContentHash', () => {
  it('ignores package-version and publisher entries: they are re-checked every run', () => {
    const more = [
      ...BASE_FEED,
      entry('package', 'lg-bad', { versions: '2.0.0' }),
      entry('publisher', 'mallory')
    ]
    expect(feedContentHash(more)).toBe(feedContentHash(BASE_FEED))
  })

  it('changes with any indicator searched inside files', () => {
    const base = feedContentHash(BASE_FEED)
    for (const added of [
      entry('domain', 'other.example'),
      entry('email', 'a@evil.example'),
      entry('url', 'https://evil.example/x'),
      entry('ip', '203.0.113.7'),
      entry('sha256', 'a'.repeat(64))
    ]) {
      expect(feedContentHash([...BASE_FEED, added])).not.toBe(base)
    }
  })

  it('does not depend on order or duplicates', () => {
    const a = entry('domain', 'a.example')
    const b = entry('ip', '203.0.113.7')
    expect(feedContentHash([a, b, a])).toBe(feedContentHash([b, a]))
  })
})

describe('rulesHash', () => {
  const rules = [rule('content/new-endpoint'), rule('metadata/too-new')]

  it('changes when a file-dependent rule changes version or options', () => {
    const base = rulesHash(rules)
    expect(rulesHash([rule('content/new-endpoint', 2), rule('metadata/too-new')])).not.toBe(base)
    expect(
      rulesHash(rules, (id) => (id === 'content/new-endpoint' ? { minBytes: 5 } : {}))
    ).not.toBe(base)
  })

  it('ignores the rules that run every scan, and the order', () => {
    const base = rulesHash(rules)
    expect(rulesHash([rule('metadata/too-new', 7), rule('content/new-endpoint')])).toBe(base)
    expect(
      rulesHash(rules, (id) => (id === 'metadata/too-new' ? { minReleaseAgeMs: 1 } : {}))
    ).toBe(base)
  })
})

describe('changeKey', () => {
  const parts = { rules: 'r', feeds: 'f' }

  it('tells a pull-request comparison from a full scan of the same tarball', () => {
    const compared = makeChange({ version: '1.0.1', previousVersion: '1.0.0' })
    const alone = makeChange({ version: '1.0.1', previousVersion: null })
    expect(changeKey(compared, parts)).toMatch(/^[0-9a-f]{64}$/)
    expect(changeKey(compared, parts)).not.toBe(changeKey(alone, parts))
  })

  it('depends on the integrities, the rules and the feeds, not on the lockfile or the line', () => {
    const change = makeChange({ previousVersion: null })
    const key = changeKey(change, parts)
    expect(changeKey({ ...change, lockfile: 'a/package-lock.json', line: 99 }, parts)).toBe(key)
    const otherBytes = { ...change, locked: { ...change.locked, integrity: 'sha512-BBBB' } }
    expect(changeKey(otherBytes, parts)).not.toBe(key)
    expect(changeKey(change, { ...parts, rules: 'r2' })).not.toBe(key)
    expect(changeKey(change, { ...parts, feeds: 'f2' })).not.toBe(key)
  })

  it('refuses what the lockfile does not pin', () => {
    const unpinned = makeChange({ previousVersion: null })
    unpinned.locked = makeLocked({ integrity: undefined })
    expect(changeKey(unpinned, parts)).toBeUndefined()
    const previousUnpinned = makeChange()
    previousUnpinned.previous = makeLocked({ version: '1.0.0', integrity: undefined })
    expect(changeKey(previousUnpinned, parts)).toBeUndefined()
    const git = makeChange({ previousVersion: null })
    git.locked = makeLocked({ source: 'git' })
    expect(changeKey(git, parts)).toBeUndefined()
  })
})
