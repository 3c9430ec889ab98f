import { describe, expect, it } from '@jest/globals'
import {
  normalizeRepository,
  repositoryOf
} from '../../../../src/rules/lib/metadata/repository-url.js'

describe('normalizeRepository', () => {
  it.each([
    'git+https://github.com/a/b.git',
    'github:a/b',
    'a/b',
    'https://github.com/a/b',
    'https://github.com/A/B/',
    'http://www.github.com/a/b.git#main',
    'git@github.com:a/b.git',
    'git+ssh://git@github.com/a/b.git',
    'git://github.com/a/b',
    'https://github.com/a/b/tree/main/packages/c'
  ])('reads %s as github.com/a/b', (text) => {
    expect(normalizeRepository(text)).toEqual({
      host: 'github.com',
      owner: 'a',
      path: 'a/b',
      key: 'github.com/a/b'
    })
  })

  it.each([
    ['gitlab:group/sub/project', 'gitlab.com/group/sub/project'],
    ['https://gitlab.com/group/sub/project/-/tree/main', 'gitlab.com/group/sub/project'],
    ['bitbucket:team/repo', 'bitbucket.org/team/repo'],
    ['https://git.example.org/Team/Repo.git', 'git.example.org/Team/Repo']
  ])('reads %s as %s', (text, key) => {
    expect(normalizeRepository(text)?.key).toBe(key)
  })

  it.each([undefined, '', 'not a url', 'https://github.com/', 'x'.repeat(600)])(
    'gives up on %p',
    (text) => {
      expect(normalizeRepository(text)).toBeUndefined()
    }
  )

  it('reads a manifest field given as a string or an object', () => {
    expect(repositoryOf({ name: 'x', version: '1.0.0', repository: 'github:a/b' })?.key).toBe(
      'github.com/a/b'
    )
    expect(
      repositoryOf({
        name: 'x',
        version: '1.0.0',
        repository: { url: 'git+https://github.com/a/b.git' }
      })?.key
    ).toBe('github.com/a/b')
  })

  it('stays fast on hostile input', () => {
    const started = performance.now()
    for (const text of [
      'git@' + 'a'.repeat(490),
      'a@'.repeat(240),
      ':'.repeat(499),
      'github:' + '/'.repeat(490)
    ]) {
      normalizeRepository(text)
    }
    expect(performance.now() - started).toBeLessThan(100)
  })
})
