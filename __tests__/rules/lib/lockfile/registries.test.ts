import { describe, expect, it } from '@jest/globals'
import {
  configuredRegistries,
  registryOnHost,
  registryPolicy
} from '../../../../src/rules/lib/lockfile/registries.js'
import { fileMatches, tarballRef } from '../../../../src/rules/lib/lockfile/tarball-url.js'

const DEFAULT = 'https://default.example.test/'

describe('configuredRegistries', () => {
  it('lists the registry, every scoped registry and the extra ones, once each', () => {
    const npm = {
      registry: 'https://npm.example.test/',
      '@corp:registry': 'https://corp.example.test/npm/',
      '@other:registry': 'https://npm.example.test/',
      '//npm.example.test/:_authToken': 'secret',
      strictSSL: true
    }
    expect(configuredRegistries(npm, DEFAULT, ['https://mirror.example.test/'])).toEqual([
      'https://npm.example.test/',
      'https://corp.example.test/npm/',
      'https://mirror.example.test/'
    ])
  })

  it("falls back to npm's default registry", () => {
    expect(configuredRegistries({}, DEFAULT)).toEqual([DEFAULT])
  })
})

describe('registryPolicy', () => {
  it('is unconfigured without a list, and ignores values that are not http URLs', () => {
    expect(registryPolicy({})).toEqual({ registries: [], configured: false })
    const policy = registryPolicy({
      allowedRegistries: ['ftp://x.example.test/', 7, 'https://a.example.test']
    })
    expect(policy.registries.map(String)).toEqual(['https://a.example.test/'])
  })

  it('matches hosts with their port', () => {
    const policy = registryPolicy({ allowedRegistries: ['http://127.0.0.1:4873/'] })
    expect(registryOnHost(new URL('http://127.0.0.1:4873/a/-/a-1.0.0.tgz'), policy)).toBeDefined()
    expect(registryOnHost(new URL('http://127.0.0.1:4874/a/-/a-1.0.0.tgz'), policy)).toBeUndefined()
  })
})

describe('tarballRef', () => {
  it.each([
    [
      'https://r.example.test/lodash/-/lodash-4.17.21.tgz',
      { name: 'lodash', file: 'lodash-4.17.21.tgz' }
    ],
    ['https://r.example.test/@s/p/-/p-1.0.0.tgz', { name: '@s/p', file: 'p-1.0.0.tgz' }],
    ['https://r.example.test/@s%2fp/-/p-1.0.0.tgz', { name: '@s/p', file: 'p-1.0.0.tgz' }],
    ['https://r.example.test/a/b/c/-/c-1.0.0.tgz', { name: 'c', file: 'c-1.0.0.tgz' }],
    ['https://r.example.test/download/x.tgz', undefined],
    ['https://r.example.test/x/-/x-1.0.0.zip', undefined],
    ['https://r.example.test/-/x-1.0.0.tgz', undefined],
    ['https://r.example.test/%E0%A4%A/-/x-1.0.0.tgz', undefined]
  ])('%s', (url, expected) => {
    expect(tarballRef(new URL(url))).toEqual(expected)
  })

  it('knows both file names npm registries use for scoped packages', () => {
    expect(fileMatches('p-1.0.0.tgz', '@s/p', '1.0.0')).toBe(true)
    expect(fileMatches('@s/p-1.0.0.tgz', '@s/p', '1.0.0')).toBe(true)
    expect(fileMatches('p-1.0.1.tgz', '@s/p', '1.0.0')).toBe(false)
  })
})
