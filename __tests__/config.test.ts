import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { buildConfig, splitList } from '../src/config.js'
import { VERSION } from '../src/version.js'

describe('buildConfig', () => {
  it('applies the defaults', () => {
    const config = buildConfig({ workspace: '/repo', tempDir: '/runner-temp' })
    expect(config).toMatchObject({
      workspace: '/repo',
      lockfileGlobs: [],
      full: false,
      failOn: 'high',
      iocFeeds: [],
      reportPath: join('/runner-temp', 'lockgate', 'report.json'),
      concurrency: 8
    })
    expect(config.baseRef).toBeUndefined()
    expect(config.token).toBeUndefined()
  })

  it('reads every input', () => {
    const config = buildConfig({
      workspace: '/repo',
      lockfiles: 'a/package-lock.json,\n b/*.json',
      baseRef: ' main ',
      headRef: 'feature',
      mode: 'FULL',
      failOn: 'Critical',
      iocFeeds: 'feeds/one.json\nhttps://feeds.test/two.json',
      token: 'secret',
      report: 'out/report.json',
      concurrency: '4'
    })
    expect(config).toMatchObject({
      lockfileGlobs: ['a/package-lock.json', 'b/*.json'],
      baseRef: 'main',
      headRef: 'feature',
      full: true,
      failOn: 'critical',
      iocFeeds: ['feeds/one.json', 'https://feeds.test/two.json'],
      token: 'secret',
      reportPath: join('/repo', 'out', 'report.json'),
      concurrency: 4
    })
  })

  it.each([
    [{ failOn: 'severe' }, /fail-on "severe" is not one of: critical, high, medium, low, info/],
    [{ mode: 'diff' }, /mode "diff" is not one of: auto, full/],
    [{ concurrency: '0' }, /concurrency "0" must be a whole number from 1 to 64/],
    [{ concurrency: 'many' }, /concurrency "many"/],
    [
      { analysisWorkers: '-1' },
      /analysis-workers "-1" must be auto or a whole number from 0 to 16/
    ],
    [{ analysisWorkers: 'lots' }, /analysis-workers "lots"/]
  ])('rejects %j with a message naming the input', (raw, message) => {
    expect(() => buildConfig({ workspace: '/repo', ...raw })).toThrow(message)
  })
})

describe('analysis-workers', () => {
  it('is one worker per core by default and for auto, and takes a number from 0 to 16', () => {
    const cores = Math.min(availableParallelism(), 16)
    expect(buildConfig({ workspace: '/repo' }).analysisWorkers).toBe(cores)
    expect(buildConfig({ workspace: '/repo', analysisWorkers: ' AUTO ' }).analysisWorkers).toBe(
      cores
    )
    expect(buildConfig({ workspace: '/repo', analysisWorkers: '0' }).analysisWorkers).toBe(0)
    expect(buildConfig({ workspace: '/repo', analysisWorkers: '16' }).analysisWorkers).toBe(16)
  })
})

describe('splitList', () => {
  it('splits on commas and newlines and drops empty items', () => {
    expect(splitList(' a, b\n\nc ,')).toEqual(['a', 'b', 'c'])
    expect(splitList('')).toEqual([])
    expect(splitList(undefined)).toEqual([])
  })
})

describe('VERSION', () => {
  it('equals the version in package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(VERSION).toBe(pkg.version)
  })
})

describe('cooldown and OSV inputs', () => {
  it.each([
    ['', 0],
    ['0', 0],
    ['3 days', 3 * 86_400_000],
    ['1 day', 86_400_000],
    ['12 hours', 12 * 3_600_000],
    ['90 minutes', 90 * 60_000],
    ['2 weeks', 14 * 86_400_000],
    ['36h', 36 * 3_600_000],
    ['1.5 d', 1.5 * 86_400_000]
  ])('min-release-age %j is %d ms', (value, ms) => {
    expect(buildConfig({ workspace: '/repo', minReleaseAge: value }).minReleaseAgeMs).toBe(ms)
  })

  it.each(['3', 'three days', '3 fortnights', '-1 day'])('rejects min-release-age %j', (value) => {
    expect(() => buildConfig({ workspace: '/repo', minReleaseAge: value })).toThrow(
      /min-release-age ".*" is not a duration: write a number and a unit/
    )
  })

  it('defaults to OSV online, switches to offline with a snapshot, and checks the mode', () => {
    expect(buildConfig({ workspace: '/repo' })).toMatchObject({ osv: 'online' })
    expect(buildConfig({ workspace: '/repo', osvDb: 'osv/npm.zip' })).toMatchObject({
      osv: 'offline',
      osvDb: join('/repo', 'osv', 'npm.zip')
    })
    expect(buildConfig({ workspace: '/repo', osv: 'off' })).toMatchObject({ osv: 'off' })
    expect(() => buildConfig({ workspace: '/repo', osv: 'offline' })).toThrow(/no osv-db/)
    expect(() => buildConfig({ workspace: '/repo', osv: 'sometimes' })).toThrow(
      /osv "sometimes" is not one of: online, offline, off/
    )
  })

  it('splits the cooldown exclusions', () => {
    expect(
      buildConfig({ workspace: '/repo', minReleaseAgeExclude: '@acme/*, internal-*' })
        .minReleaseAgeExclude
    ).toEqual(['@acme/*', 'internal-*'])
  })
})
