import { describe, expect, it } from '@jest/globals'
import { classifySource, isRegistryTarball } from '../../src/lockfile/source-kind.js'

const R = 'https://npm.example.test'

describe('classifySource', () => {
  it.each([
    ['no resolved', 'a', '1.0.0', undefined, 'registry'],
    ['a registry tarball', 'a', '1.0.0', `${R}/a/-/a-1.0.0.tgz`, 'registry'],
    [
      'a registry tarball under a path',
      'a',
      '1.0.0',
      `${R}/api/npm/npm-remote/a/-/a-1.0.0.tgz`,
      'registry'
    ],
    ['a scoped registry tarball', '@s/a', '1.0.0', `${R}/@s/a/-/a-1.0.0.tgz`, 'registry'],
    ['an encoded scoped tarball', '@s/a', '1.0.0', `${R}/@s%2Fa/-/a-1.0.0.tgz`, 'registry'],
    ['a tarball of another version', 'a', '1.0.0', `${R}/a/-/a-6.6.6.tgz`, 'remote'],
    ['a tarball of another package', 'a', '1.0.0', `${R}/evil/-/a-1.0.0.tgz`, 'remote'],
    ['an arbitrary https tarball', 'a', '1.0.0', 'https://cdn.example.test/a.tgz', 'remote'],
    ['a non-URL resolved', 'a', '1.0.0', 'somewhere/a.tgz', 'remote'],
    ['git+ssh', 'a', '1.0.0', 'git+ssh://git@example.test/o/a.git#abc', 'git'],
    ['git+https', 'a', '1.0.0', 'git+https://example.test/o/a.git#abc', 'git'],
    ['git:', 'a', '1.0.0', 'git://example.test/o/a.git#abc', 'git'],
    ['github: shorthand', 'a', '1.0.0', 'github:o/a#abc', 'git'],
    ['an https URL ending .git#', 'a', '1.0.0', 'https://example.test/o/a.git#abc', 'git'],
    ['a file tarball', 'a', '1.0.0', 'file:vendor/a-1.0.0.tgz', 'file'],
    ['a link', 'a', '1.0.0', 'link:../a', 'link'],
    ['v1: a git version', 'a', 'github:o/a#abc', undefined, 'git'],
    ['v1: a file version', 'a', 'file:../a', undefined, 'file'],
    ['v1: a tarball URL version', 'a', 'https://cdn.example.test/a.tgz', undefined, 'remote'],
    ['v1: an unknown spec', 'a', 'o/a#abc', undefined, 'remote']
  ])('%s', (_what, name, version, resolved, expected) => {
    expect(classifySource(name, version, resolved)).toBe(expected)
  })
})

describe('isRegistryTarball', () => {
  it('rejects what is not an http(s) URL', () => {
    expect(isRegistryTarball('ftp://example.test/a/-/a-1.0.0.tgz', 'a', '1.0.0')).toBe(false)
    expect(isRegistryTarball('http://[bad', 'a', '1.0.0')).toBe(false)
  })
})
