import { describe, expect, it } from '@jest/globals'
import {
  firstPublishedAt,
  isEstablished,
  isYoungOrSparse,
  maturityOf,
  publishedAt,
  releaseTimeline,
  versionCount
} from '../../../../src/rules/lib/popularity/timeline.js'
import type { Packument } from '../../../../src/types.js'
import { makeReleasePackument } from '../../../helpers/factories.js'

describe('release timeline', () => {
  const packument: Packument = {
    name: 'pkg',
    versions: { '1.0.0': { name: 'pkg', version: '1.0.0' } },
    time: {
      created: '2020-01-01T00:00:00Z',
      modified: '2024-01-01T00:00:00Z',
      '1.1.0': '2021-01-01T00:00:00Z',
      '1.0.0': '2020-01-02T00:00:00Z',
      'not-a-version': '2020-06-01T00:00:00Z',
      '1.2.0': 'yesterday',
      '1.3.0': 42 as unknown as string
    }
  }

  it('keeps valid versions with readable times, oldest first', () => {
    expect(releaseTimeline(packument).map((release) => release.version)).toEqual(['1.0.0', '1.1.0'])
    expect(publishedAt(packument, '1.1.0')).toBe(Date.parse('2021-01-01T00:00:00Z'))
    expect(publishedAt(packument, '1.2.0')).toBeUndefined()
    expect(publishedAt(packument, 'toString')).toBeUndefined()
  })

  it('reads the first publish from created, else from the earliest version', () => {
    expect(firstPublishedAt(packument)).toBe(Date.parse('2020-01-01T00:00:00Z'))
    const withoutCreated = { ...packument.time }
    delete withoutCreated.created
    expect(firstPublishedAt({ ...packument, time: withoutCreated })).toBe(
      Date.parse('2020-01-02T00:00:00Z')
    )
    expect(firstPublishedAt({ name: 'x', versions: {} })).toBeUndefined()
  })

  it('counts served or timed versions, whichever is more', () => {
    expect(versionCount(packument)).toBe(2)
    expect(versionCount(undefined)).toBe(0)
  })

  it('tells young, sparse and established packages apart', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    const young = maturityOf(makeReleasePackument('a', [['1.0.0', '2025-12-20T00:00:00Z']]), now)
    expect(isYoungOrSparse(young)).toBe(true)
    expect(isEstablished(young)).toBe(false)
    const old = makeReleasePackument(
      'b',
      Array.from({ length: 12 }, (_, i) => [`1.0.${i}`, `20${10 + i}-01-01T00:00:00Z`] as const)
    )
    expect(isEstablished(maturityOf(old, now))).toBe(true)
    expect(isYoungOrSparse(maturityOf(old, now))).toBe(false)
    expect(maturityOf(undefined, now)).toEqual({ versions: 0 })
  })
})
