import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { classifyRule, isFileDependent } from '../../src/cache/file-dependent.js'
import { RULES } from '../../src/rules/index.js'

/** Rule ids from the rule files on disk (`src/rules/<kind>/<name>.ts`), registered or not yet. */
function ruleIdsOnDisk(): string[] {
  const root = join('src', 'rules')
  const kinds = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'lib')
    .map((entry) => entry.name)
  return kinds.flatMap((kind) =>
    readdirSync(join(root, kind))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `${kind}/${file.replace(/\.ts$/, '')}`)
  )
}

describe('the file-dependent rule list', () => {
  it('classifies every rule, registered or on disk: a new rule must be put in a group', () => {
    const ids = new Set([...RULES.map((rule) => rule.meta.id), ...ruleIdsOnDisk()])
    const unclassified = [...ids].filter((id) => classifyRule(id) === undefined)
    expect(unclassified).toEqual([])
  })

  it('caches what only the tarball contents decide', () => {
    for (const id of [
      'content/new-endpoint',
      'content/some-future-content-rule',
      'ioc/indicator-in-code',
      'ioc/known-file-hash',
      'registry/unpack-limit',
      'registry/integrity-mismatch'
    ]) {
      expect([id, classifyRule(id)]).toEqual([id, 'file-dependent'])
    }
  })

  it('runs every scan what reads names, versions, feeds of versions, OSV, packument or policy', () => {
    for (const id of [
      'ioc/known-malicious-version',
      'ioc/osv-malicious',
      'ioc/known-publisher',
      'metadata/publisher-changed',
      'lockfile/resolved-host',
      'registry/version-unavailable',
      'registry/fetch-failed',
      'policy/denied'
    ]) {
      expect([id, classifyRule(id)]).toEqual([id, 'always-run'])
      expect(isFileDependent(id)).toBe(false)
    }
  })

  it('treats an unknown rule as file-dependent: replayed, never run blind without the tarball', () => {
    expect(classifyRule('surprise/new-rule')).toBeUndefined()
    expect(isFileDependent('surprise/new-rule')).toBe(true)
  })
})
