import { describe, expect, it } from '@jest/globals'
import { npmHighImpact } from 'npm-high-impact'
import { PopularNameIndex } from '../../../../src/rules/lib/popularity/name-index.js'
import { popularNames } from '../../../../src/rules/lib/popularity/popular.js'

const SMALL = [
  'express',
  'lodash',
  'react',
  'react-dom',
  'react-redux',
  'react-router',
  'react-select',
  'react-is',
  'node-fetch',
  'postmark',
  '@types/node',
  '@activecampaign/core',
  'babel-preset-fbjs'
]

describe('PopularNameIndex (small list)', () => {
  const index = new PopularNameIndex(SMALL, { hubThreshold: 3 })

  it('knows popular names and their rank', () => {
    expect(index.isPopular('Express')).toBe(true)
    expect(index.rankOf('lodash')).toBe(1)
    expect(index.rankOf('expresss')).toBeUndefined()
  })

  it.each([
    ['expresss', 'express', 1],
    ['lodahs', 'lodash', 1],
    ['node_fetch', 'node-fetch', 0],
    ['nodefetch', 'node-fetch', 0],
    ['@typse/node', '@types/node', 1]
  ])('finds %s near %s at distance %i', (name, popular, distance) => {
    expect(index.nearest(name, 2)[0]).toMatchObject({ popular, distance })
  })

  it('never matches a name with itself or within its own scope', () => {
    expect(index.nearest('express', 2)).toEqual([])
    expect(index.nearest('@types/nodes', 2)).toEqual([])
  })

  it('does not count two edits in a short word of a long name', () => {
    expect(index.nearest('babel-preset-foo', 2)).toEqual([])
  })

  it('finds distinctive embedded package and organisation names', () => {
    expect(index.embedded('postmark-mcp')).toMatchObject({ kind: 'package', popular: 'postmark' })
    expect(index.embedded('mcp-node-fetch-server')).toMatchObject({ popular: 'node-fetch' })
    expect(index.embedded('activecampaign-tools')).toMatchObject({
      kind: 'organisation',
      popular: 'activecampaign'
    })
  })

  it('ignores ecosystem words, short words and scoped names', () => {
    expect(index.isEcosystemWord('react')).toBe(true)
    expect(index.embedded('react-fancy-widget')).toBeUndefined()
    expect(index.embedded('is-odd-thing')).toBeUndefined()
    expect(index.embedded('@acme/postmark-mcp')).toBeUndefined()
  })

  it('only counts a name that leads the package name or makes up half of it', () => {
    expect(index.embedded('mcp-postmark')).toMatchObject({ popular: 'postmark' })
    expect(index.embedded('read-only-postmark-stream')).toBeUndefined()
  })
})

describe('the shared index of npm-high-impact names', () => {
  it('holds every listed name, and top names from both rankings', () => {
    const index = popularNames()
    expect(index.size).toBe(new Set(npmHighImpact.map((name) => name.toLowerCase())).size)
    expect(index.nearest('expresss', 1)[0]).toMatchObject({ popular: 'express', top: true })
    // request is outside the top 1,000 by downloads but in the top 100 by dependents
    expect(index.nearest('reqeust', 1)[0]).toMatchObject({ popular: 'request', top: true })
  })

  it('checks 1,000 names quickly (timing reported, not asserted)', () => {
    const index = popularNames()
    const names = Array.from({ length: 1000 }, (_, i) => {
      const popular = npmHighImpact[(i * 17) % npmHighImpact.length] as string
      return i % 2 === 0 ? `${popular}x` : `${popular.slice(1)}-helper`
    })
    const started = performance.now()
    let found = 0
    for (const name of names) {
      if (index.nearest(name, 2).length > 0 || index.embedded(name)) found++
    }
    const ms = performance.now() - started
    process.stdout.write(
      `popularity index: 1,000 names checked in ${ms.toFixed(1)} ms (${found} hits)\n`
    )
    expect(found).toBeGreaterThan(0)
  })
})
