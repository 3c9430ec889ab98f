import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
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
    [{ concurrency: 'many' }, /concurrency "many"/]
  ])('rejects %j with a message naming the input', (raw, message) => {
    expect(() => buildConfig({ workspace: '/repo', ...raw })).toThrow(message)
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
