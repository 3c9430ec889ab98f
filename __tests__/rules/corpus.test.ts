// The corpus: every content rule fires (at medium or above) on each of its malicious fixture
// packages and stays below medium on each benign one. See __tests__/helpers/corpus.ts for the
// layout. A fixture folder names its rule by path, so the rule is imported from that path.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Rule } from '../../src/rules/types.js'
import { severityRank } from '../../src/types.js'
import { contextFor, CORPUS, listDirs } from '../helpers/corpus.js'

const KINDS = ['malicious', 'benign'] as const
const ALARM = severityRank('medium')
const RULE_CATEGORIES = ['content']

/** `content/new-endpoint` for every folder that holds a malicious/ or benign/ folder. */
function fixtureRuleIds(): string[] {
  return RULE_CATEGORIES.flatMap((category) =>
    listDirs(join(CORPUS, category))
      .filter((name) => KINDS.some((kind) => existsSync(join(CORPUS, category, name, kind))))
      .map((name) => `${category}/${name}`)
  )
}

/** Every rule file of those categories, by id. */
function ruleFileIds(): string[] {
  return RULE_CATEGORIES.flatMap((category) =>
    readdirSync(join('src', 'rules', category))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `${category}/${file.slice(0, -3)}`)
  )
}

async function loadRule(id: string): Promise<Rule> {
  const module = (await import(`../../src/rules/${id}.js`)) as { rule: Rule }
  return module.rule
}

describe('rule corpus', () => {
  it('has fixtures for every content rule and a rule for every fixture folder', () => {
    expect(fixtureRuleIds()).toEqual(ruleFileIds().sort())
  })

  for (const id of fixtureRuleIds()) {
    const ruleDir = join(CORPUS, ...id.split('/'))
    describe(id, () => {
      it('has malicious and benign cases', () => {
        expect(listDirs(join(ruleDir, 'malicious')).length).toBeGreaterThan(0)
        expect(listDirs(join(ruleDir, 'benign')).length).toBeGreaterThan(0)
      })

      it.each(listDirs(join(ruleDir, 'malicious')))('fires on malicious/%s', async (name) => {
        const rule = await loadRule(id)
        const findings = await rule.check(await contextFor(join(ruleDir, 'malicious', name)))
        const alarms = findings.filter(
          (finding) => finding.ruleId === id && severityRank(finding.severity) <= ALARM
        )
        expect(alarms.length).toBeGreaterThan(0)
      })

      it.each(listDirs(join(ruleDir, 'benign')))('stays quiet on benign/%s', async (name) => {
        const rule = await loadRule(id)
        const findings = await rule.check(await contextFor(join(ruleDir, 'benign', name)))
        const alarms = findings.filter((finding) => severityRank(finding.severity) <= ALARM)
        expect(alarms).toEqual([])
      })
    })
  }
})
