import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/lockfile/non-registry-source.js'
import type { LockedPackage, PackageChange } from '../../../src/types.js'
import { makeChange, makeContext, makeLocked } from '../../helpers/factories.js'

function change(
  locked: Partial<LockedPackage>,
  previousVersion: string | null = null
): PackageChange {
  return { ...makeChange({ previousVersion, line: 7 }), locked: makeLocked({ line: 7, ...locked }) }
}

describe('lockfile/non-registry-source', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({ id: 'lockfile/non-registry-source', defaultSeverity: 'high' })
  })

  it.each<[string, PackageChange, RegExp | null]>([
    [
      'a git dependency',
      change({ source: 'git', resolved: 'git+ssh://git@example.test/o/r.git#0123abc' }),
      /installed from a git repository \(git\+ssh:\/\/git@example\.test\/o\/r\.git#0123abc\)/
    ],
    [
      'a file tarball',
      change({ source: 'file', resolved: 'file:vendor/x-1.0.0.tgz' }),
      /from a local file \(file:vendor\/x-1\.0\.0\.tgz\)/
    ],
    [
      'a remote tarball',
      change({ source: 'remote', resolved: 'https://cdn.example.test/x.tgz' }),
      /from a tarball URL \(https:\/\/cdn\.example\.test\/x\.tgz\)/
    ],
    [
      'a v1 git version without resolved',
      change({ source: 'git', version: 'github:o/r#abc', resolved: undefined }),
      /\(github:o\/r#abc\)/
    ],
    [
      'a changed package that moved to git',
      change({ source: 'git', resolved: 'git+https://example.test/o/r.git#1' }, '1.0.0'),
      /git repository/
    ],
    ['a registry package', change({ source: 'registry' }), null],
    ['a link', change({ source: 'link', resolved: 'link:../x' }), null]
  ])('%s', async (_what, input, message) => {
    const findings = await rule.check(makeContext({ change: input }))
    if (message === null) {
      expect(findings).toEqual([])
      return
    }
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'lockfile/non-registry-source',
      severity: 'high',
      location: { lockfile: 'package-lock.json', line: 7 }
    })
    expect(findings[0].message).toMatch(message)
    expect(findings[0].message).toMatch(/does not fetch or analyse/)
  })
})
