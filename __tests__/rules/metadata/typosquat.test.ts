import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/typosquat.js'
import type { Packument, Severity } from '../../../src/types.js'
import {
  makeChange,
  makeContext,
  makeManifest,
  makeReleasePackument,
  releaseSeries
} from '../../helpers/factories.js'

const NOW = '2026-11-21T00:00:00Z'

/** A young package: `count` versions published daily, ending a few days before NOW. */
function young(name: string, count = 2, extra: Partial<Packument> = {}): Packument {
  return makeReleasePackument(
    name,
    releaseSeries({ count, start: '2026-11-10T00:00:00Z', everyHours: 12 }),
    extra
  )
}

/** Ten years of releases: an established package. */
function established(name: string, extra: Partial<Packument> = {}): Packument {
  return makeReleasePackument(
    name,
    releaseSeries({ count: 20, start: '2016-01-01T00:00:00Z', everyHours: 24 * 180 }),
    extra
  )
}

function added(name: string, packument?: Packument, publisher?: string) {
  return makeContext({
    change: makeChange({ name, version: '1.0.0', previousVersion: null }),
    ...(packument ? { packument } : {}),
    ...(publisher
      ? { manifest: makeManifest({ name, version: '1.0.0', _npmUser: { name: publisher } }) }
      : {}),
    now: new Date(NOW)
  })
}

const stranger = { maintainers: [{ name: 'phanpak', email: 'phan@example.test' }] }

describe('metadata/typosquat', () => {
  it('flags postmark-mcp published by an unrelated user as high, naming the embedded package', async () => {
    const packument = young('postmark-mcp', 18, stranger)
    const findings = await rule.check(added('postmark-mcp', packument, 'phanpak'))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'metadata/typosquat', severity: 'high' })
    expect(findings[0]?.message).toContain('"postmark"')
    expect(findings[0]?.location).toEqual({ lockfile: 'package-lock.json', line: 10 })
  })

  it.each([
    ['expresss', 'express'],
    ['lodahs', 'lodash'],
    ['reqeust', 'request'],
    ['node_fetch', 'node-fetch'],
    ['expressjs', 'express'],
    ['@typse/node', '@types/node'],
    ['electorn', 'electron']
  ])('flags %s (a lookalike of the top name %s) as high', async (name, popular) => {
    const findings = await rule.check(added(name, young(name)))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.message).toContain(`"${popular}"`)
  })

  it.each([
    ['expres-sesion', 'two edits of the long express-session'],
    ['postmrak', 'one edit of postmark, outside the top 1,000']
  ])('flags %s at medium (%s)', async (name) => {
    const findings = await rule.check(added(name, young(name)))
    expect(findings.map((finding) => finding.severity)).toEqual(['medium'])
  })

  it.each([
    ['express', 'popular itself'],
    ['@types/express', 'popular itself (scoped)'],
    ['express-session', 'popular itself, though it contains express'],
    ['react-dom', 'popular itself'],
    ['lodash', 'popular itself'],
    ['chalk', 'popular itself'],
    ['react-fancy-widget', 'react is an ecosystem prefix'],
    ['eslint-plugin-acme', 'eslint is an ecosystem prefix'],
    ['babel-preset-foo', 'two edits of babel-preset-fbjs, but in a short word'],
    ['@acme/lodash', 'a scope belongs to its owner'],
    ['@types/nodee', 'same scope as @types/node'],
    ['acme-widget-kit', 'no popular word inside'],
    ['is-zz', 'too short to judge by edits']
  ])('does not flag %s (%s)', async (name) => {
    expect(await rule.check(added(name, young(name)))).toEqual([])
  })

  it('never flags a changed package, only an added one', async () => {
    const ctx = makeContext({
      change: makeChange({ name: 'expresss', version: '1.0.1' }),
      packument: young('expresss')
    })
    expect(await rule.check(ctx)).toEqual([])
  })

  it('does not raise a scoped name like @acme/lodash-utils to high', async () => {
    const findings = await rule.check(added('@acme/lodash-utils', young('@acme/lodash-utils')))
    expect(findings.filter((finding) => finding.severity === 'high')).toEqual([])
  })

  it.each<[string, Packument, Severity]>([
    ['publisher known, unrelated, young', young('postmark-mcp', 3, stranger), 'high'],
    [
      'no maintainer or publisher in the metadata (stripped by a mirror)',
      young('postmark-mcp', 3),
      'medium'
    ],
    [
      'publisher unrelated but the package has a long history',
      established('postmark-mcp', stranger),
      'low'
    ]
  ])('postmark-mcp with %s', async (_label, packument, severity) => {
    const findings = await rule.check(added('postmark-mcp', packument))
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  it.each([
    ['a maintainer e-mail at the project', { name: 'ops', email: 'ops@postmarkapp.test' }],
    ['a maintainer account named after it', { name: 'postmark-bot' }]
  ])('does not flag postmark-mcp when %s', async (_label, maintainer) => {
    const packument = young('postmark-mcp', 2, { maintainers: [maintainer] })
    expect(await rule.check(added('postmark-mcp', packument))).toEqual([])
  })

  it('does not flag an embedding when only the publisher (_npmUser) mentions the name', async () => {
    expect(await rule.check(added('postmark-mcp', young('postmark-mcp'), 'postmarkapp'))).toEqual(
      []
    )
  })

  it('lowers a lookalike with a long release history by one level', async () => {
    const findings = await rule.check(added('lodahs', established('lodahs', stranger)))
    expect(findings.map((finding) => finding.severity)).toEqual(['medium'])
  })

  it('still judges the name when the packument is missing', async () => {
    const findings = await rule.check(added('expresss'))
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
  })
})
