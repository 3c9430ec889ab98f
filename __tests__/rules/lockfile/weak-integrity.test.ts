import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/lockfile/weak-integrity.js'
import type { LockedPackage, PackageChange } from '../../../src/types.js'
import { makeChange, makeContext, makeLocked } from '../../helpers/factories.js'

const URL_ = 'https://npm.example.test/example-pkg/-/example-pkg-1.0.1.tgz'
const SHA512 = `sha512-${'A'.repeat(86)}==`
const SHA1 = 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk='

function change(lockfile: string, locked: Partial<LockedPackage>): PackageChange {
  const base = { ...makeChange({ line: 3, previousVersion: null }), lockfile }
  const entry = makeLocked({ line: 3, integrity: undefined, ...locked })
  if (!('integrity' in locked)) delete entry.integrity
  return { ...base, locked: entry }
}

describe('lockfile/weak-integrity', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({ id: 'lockfile/weak-integrity', defaultSeverity: 'medium' })
  })

  it.each<[string, PackageChange, 'medium' | 'low' | null]>([
    [
      'npm: a resolved URL without integrity',
      change('package-lock.json', { resolved: URL_ }),
      'medium'
    ],
    [
      'npm: sha1 only',
      change('apps/a/package-lock.json', { resolved: URL_, integrity: SHA1 }),
      'low'
    ],
    ['npm: sha512', change('package-lock.json', { resolved: URL_, integrity: SHA512 }), null],
    ['npm: sha1 and sha512', change('package-lock.json', { integrity: `${SHA1} ${SHA512}` }), null],
    ['npm: a bundled entry (no resolved, no integrity)', change('package-lock.json', {}), null],
    ['shrinkwrap: no integrity', change('npm-shrinkwrap.json', { resolved: URL_ }), 'medium'],
    ['pnpm: no integrity', change('pnpm-lock.yaml', {}), 'medium'],
    ['pnpm: sha512', change('pnpm-lock.yaml', { integrity: SHA512 }), null],
    ['bun: sha1 only', change('bun.lock', { integrity: SHA1 }), 'low'],
    ['yarn classic: integrity', change('yarn.lock', { resolved: URL_, integrity: SHA512 }), null],
    [
      'yarn classic: only the sha1 fragment',
      change('yarn.lock', { resolved: `${URL_}#${'a'.repeat(40)}` }),
      'low'
    ],
    [
      'yarn classic: sha1 integrity',
      change('yarn.lock', { resolved: URL_, integrity: SHA1 }),
      'low'
    ],
    ['yarn berry: a non-standard archive URL', change('yarn.lock', { resolved: URL_ }), null],
    ['yarn berry: a locator', change('yarn.lock', { resolved: 'example-pkg@npm:1.0.1' }), null],
    ['yarn berry: no resolved', change('yarn.lock', {}), null],
    ['a git source', change('pnpm-lock.yaml', { source: 'git', resolved: 'git+ssh://x' }), null],
    ['a remote tarball', change('bun.lock', { source: 'remote', resolved: URL_ }), null]
  ])('%s', async (_what, input, severity) => {
    const findings = await rule.check(makeContext({ change: input }))
    if (severity === null) {
      expect(findings).toEqual([])
      return
    }
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'lockfile/weak-integrity',
      severity,
      location: { line: 3 }
    })
    expect(findings[0].message).toMatch(severity === 'low' ? /sha1/ : /without an integrity hash/)
  })
})
