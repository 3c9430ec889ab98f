// Keeps the registry honest: every rule file is registered once, under the id of its path, and the
// README's rule table lists every rule.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RULES } from '../../src/rules/index.js'

const RULE_KINDS = ['content', 'ioc', 'lockfile', 'metadata', 'policy', 'registry']

function ruleFileIds(): string[] {
  return RULE_KINDS.flatMap((kind) =>
    readdirSync(join('src', 'rules', kind))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `${kind}/${file.slice(0, -3)}`)
  ).sort()
}

describe('the rule registry', () => {
  it('registers every rule file exactly once, sorted by id', () => {
    const ids = RULES.map((rule) => rule.meta.id)
    expect(ids).toEqual(ruleFileIds())
    expect([...ids].sort()).toEqual(ids)
  })

  it('gives every rule a title, a description and a version', () => {
    for (const { meta } of RULES) {
      expect(meta.title.length).toBeGreaterThan(3)
      expect(meta.description.length).toBeGreaterThan(20)
      expect(meta.version).toBeGreaterThanOrEqual(1)
    }
  })

  it('lists every rule in the README', () => {
    const readme = readFileSync('README.md', 'utf8')
    const table = readme.slice(
      readme.indexOf('<!-- BEGIN_RULE_LIST -->'),
      readme.indexOf('<!-- END_RULE_LIST -->')
    )
    for (const { meta } of RULES) expect(table).toContain(`\`${meta.id}\``)
  })
})
