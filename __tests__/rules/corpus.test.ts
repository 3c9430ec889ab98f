// The corpus: every rule fires (at medium or above) on each of its malicious fixture packages and
// stays below medium on each benign one. Fixtures live in
// `__tests__/fixtures/packages/<rule id>/{malicious,benign}/<case>/{old,new}/`, where `old/` is
// optional (absent = an added package). To cover another rule, import it and add it to RULES.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { rule as installScriptChanged } from '../../src/rules/content/install-script-changed.js'
import { rule as newEmailRecipient } from '../../src/rules/content/new-email-recipient.js'
import { rule as newEndpoint } from '../../src/rules/content/new-endpoint.js'
import type { Rule, RuleContext } from '../../src/rules/types.js'
import { severityRank, type Manifest, type PackageFiles } from '../../src/types.js'
import { makeChange, makeContext, makeFiles } from '../helpers/factories.js'

const RULES: Rule[] = [newEmailRecipient, newEndpoint, installScriptChanged]

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'packages')
const KINDS = ['malicious', 'benign'] as const
const ALARM = severityRank('medium')

function listDirs(path: string): string[] {
  if (!existsSync(path)) return []
  return readdirSync(path)
    .filter((name) => statSync(join(path, name)).isDirectory())
    .sort()
}

/** `content/new-endpoint` for every folder that holds a malicious/ or benign/ folder. */
function fixtureRuleIds(): string[] {
  return listDirs(CORPUS).flatMap((category) =>
    listDirs(join(CORPUS, category))
      .filter((name) => KINDS.some((kind) => existsSync(join(CORPUS, category, name, kind))))
      .map((name) => `${category}/${name}`)
  )
}

function readTree(root: string): Record<string, string | Buffer> {
  const contents: Record<string, string | Buffer> = {}
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else contents[relative(root, path).split(sep).join('/')] = textOrBytes(readFileSync(path))
    }
  }
  walk(root)
  return contents
}

function textOrBytes(bytes: Buffer): string | Buffer {
  return bytes.includes(0) ? bytes : bytes.toString('utf8')
}

function readSide(caseDir: string, side: 'old' | 'new') {
  const dir = join(caseDir, side)
  if (!existsSync(dir)) return undefined
  const contents = readTree(dir)
  const packageJson = contents['package.json']
  if (typeof packageJson !== 'string') throw new Error(`${dir} has no package.json`)
  return { files: makeFiles(contents), manifest: JSON.parse(packageJson) as Manifest }
}

function contextFor(caseDir: string): RuleContext {
  const next = readSide(caseDir, 'new')
  if (!next) throw new Error(`${caseDir} has no new/ folder`)
  const previous = readSide(caseDir, 'old')
  const change = makeChange({
    name: next.manifest.name,
    version: next.manifest.version,
    previousVersion: previous ? previous.manifest.version : null
  })
  const context: Partial<RuleContext> = { change, files: next.files, manifest: next.manifest }
  if (previous) {
    context.previousFiles = previous.files satisfies PackageFiles
    context.previousManifest = previous.manifest
  }
  return makeContext(context)
}

const ruleIds = fixtureRuleIds()

describe('rule corpus', () => {
  it('has a rule for every fixture folder and fixtures for every rule', () => {
    expect(ruleIds).toEqual(expect.arrayContaining(RULES.map((rule) => rule.meta.id)))
    const known = new Set(RULES.map((rule) => rule.meta.id))
    expect(ruleIds.filter((id) => !known.has(id))).toEqual([])
  })

  for (const rule of RULES) {
    const ruleDir = join(CORPUS, ...rule.meta.id.split('/'))
    describe(rule.meta.id, () => {
      it('has malicious and benign cases', () => {
        expect(listDirs(join(ruleDir, 'malicious')).length).toBeGreaterThan(0)
        expect(listDirs(join(ruleDir, 'benign')).length).toBeGreaterThan(0)
      })

      it.each(listDirs(join(ruleDir, 'malicious')))('fires on malicious/%s', async (name) => {
        const findings = await rule.check(contextFor(join(ruleDir, 'malicious', name)))
        const alarms = findings.filter(
          (finding) => finding.ruleId === rule.meta.id && severityRank(finding.severity) <= ALARM
        )
        expect(alarms.length).toBeGreaterThan(0)
      })

      it.each(listDirs(join(ruleDir, 'benign')))('stays quiet on benign/%s', async (name) => {
        const findings = await rule.check(contextFor(join(ruleDir, 'benign', name)))
        const alarms = findings.filter((finding) => severityRank(finding.severity) <= ALARM)
        expect(alarms).toEqual([])
      })
    })
  }
})
