import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import type { ValidateFunction } from 'ajv'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  findingFingerprintKey,
  renderSarif,
  sarifLevel,
  writeSarif,
  type SarifLog
} from '../../src/report/sarif.js'
import type { Rule } from '../../src/rules/types.js'
import { RULES } from '../../src/rules/index.js'
import type { Finding } from '../../src/types.js'
import { loadSarifValidator } from '../helpers/sarif-schema.js'
import { makeError, makeFinding, makeReport } from './report-factory.js'

const loadSchemaValidator = loadSarifValidator

const rule = (id: string, defaultSeverity: Finding['severity'] = 'high'): Rule => ({
  meta: {
    id,
    title: `Title of ${id}`,
    description: `Why ${id} matters.`,
    defaultSeverity,
    version: 1
  },
  check: () => []
})

const TEST_RULES = [rule('content/new-endpoint'), rule('metadata/too-new', 'medium')]

function severalFindings(): Finding[] {
  return [
    makeFinding({ severity: 'critical', location: { lockfile: 'package-lock.json', line: 12 } }),
    makeFinding({
      ruleId: 'metadata/too-new',
      severity: 'medium',
      package: { name: '@scope/pkg', version: '2.0.0' },
      location: { lockfile: 'apps/web app/pnpm-lock.yaml', line: 40 },
      evidence: [{ file: 'packument', snippet: 'time: x' }]
    }),
    makeFinding({ ruleId: 'policy/deny', severity: 'info', evidence: [] }),
    makeFinding({
      severity: 'high',
      suppressed: { reason: 'reviewed by security', expires: '2027-01-31' },
      package: { name: 'allowed', version: '1.0.0' }
    })
  ]
}

describe('renderSarif', () => {
  let validate: ValidateFunction

  beforeAll(() => {
    validate = loadSchemaValidator()
  })

  it('validates against the SARIF 2.1.0 schema, with errors and notices', () => {
    const report = makeReport({
      findings: severalFindings(),
      errors: [makeError(), makeError({ code: 'EREGISTRY', lockfile: undefined, line: undefined })],
      notices: ['OSV could not be reached']
    })
    const log = renderSarif(report, TEST_RULES)
    expect(validate(log)).toBe(true)
    expect(validate.errors ?? []).toEqual([])
  })

  it('is checked by a validator that does reject an invalid log', () => {
    const log = renderSarif(makeReport({ findings: severalFindings() }), TEST_RULES)
    const broken = JSON.parse(JSON.stringify(log)) as { runs: { results: { level: string }[] }[] }
    const first = broken.runs[0]?.results[0]
    if (first) first.level = 'fatal'
    expect(validate(broken)).toBe(false)
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false)
  })

  it('validates with every real rule of the registry and no findings', () => {
    const log = renderSarif(makeReport({ verdict: 'pass' }), RULES)
    expect(validate(log)).toBe(true)
    expect(log.runs[0]?.tool.driver.rules).toHaveLength(RULES.length)
  })

  it('describes each rule with help, tags, security-severity and a default level', () => {
    const log = renderSarif(makeReport(), TEST_RULES)
    const [endpoint, tooNew] = log.runs[0]?.tool.driver.rules ?? []
    expect(endpoint).toMatchObject({
      id: 'content/new-endpoint',
      shortDescription: { text: 'Title of content/new-endpoint' },
      fullDescription: { text: 'Why content/new-endpoint matters.' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'supply-chain', 'content'], 'security-severity': '8.0' }
    })
    expect(endpoint?.help?.text).toContain('Why content/new-endpoint matters.')
    expect(endpoint?.help?.markdown).toContain('**Title of content/new-endpoint**')
    expect(tooNew).toMatchObject({
      defaultConfiguration: { level: 'warning' },
      properties: { 'security-severity': '5.5' }
    })
  })

  it('applies severity overrides from the configuration to the rule descriptors', () => {
    const log = renderSarif(makeReport(), TEST_RULES, {
      severities: { 'metadata/too-new': 'critical' }
    })
    expect(log.runs[0]?.tool.driver.rules?.[1]?.properties?.['security-severity']).toBe('9.5')
  })

  it('adds a descriptor for a finding whose rule is not in the list (policy findings)', () => {
    const log = renderSarif(makeReport({ findings: severalFindings() }), TEST_RULES)
    const run = log.runs[0]
    const ids = run?.tool.driver.rules?.map((r) => r.id)
    expect(ids).toEqual(['content/new-endpoint', 'metadata/too-new', 'policy/deny'])
    const deny = run?.results?.find((r) => r.ruleId === 'policy/deny')
    expect(deny?.ruleIndex).toBe(2)
    expect(deny?.level).toBe('note')
  })

  it('locates each result at the repository-relative lockfile path and line', () => {
    const log = renderSarif(makeReport({ findings: severalFindings() }), TEST_RULES)
    const results = log.runs[0]?.results ?? []
    expect(results).toHaveLength(4)
    expect(results[0]).toMatchObject({
      ruleId: 'content/new-endpoint',
      ruleIndex: 0,
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'package-lock.json', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12 }
          }
        }
      ]
    })
    expect(results[0]?.message.text).toContain('example-pkg@1.0.1 (1.0.0 -> 1.0.1)')
    const tooNew = results.find((r) => r.ruleId === 'metadata/too-new')
    expect(tooNew?.level).toBe('warning')
    expect(tooNew?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      'apps/web%20app/pnpm-lock.yaml'
    )
  })

  it('keeps a suppressed finding, last, with an external suppression and its reason', () => {
    const log = renderSarif(makeReport({ findings: severalFindings() }), TEST_RULES)
    const results = log.runs[0]?.results ?? []
    const last = results[results.length - 1]
    expect(last?.properties?.package).toBe('allowed')
    expect(last?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'reviewed by security (until 2027-01-31)'
      }
    ])
    expect(results.filter((r) => r.suppressions !== undefined)).toHaveLength(1)
  })

  it('gives the same fingerprints for equivalent reports, whatever the order and lines', () => {
    const first = renderSarif(makeReport({ findings: severalFindings() }), TEST_RULES)
    const moved = severalFindings()
      .reverse()
      .map((f) => ({ ...f, location: { ...f.location, line: f.location.line + 100 } }))
    const second = renderSarif(
      makeReport({ findings: moved, generatedAt: '2027-01-01T00:00:00.000Z' }),
      TEST_RULES
    )
    const prints = (log: SarifLog) =>
      (log.runs[0]?.results ?? [])
        .map((r) => `${r.ruleId} ${r.partialFingerprints?.primaryLocationLineHash}`)
        .sort()
    expect(prints(second)).toEqual(prints(first))
    expect(new Set(prints(first)).size).toBe(4)
  })

  it('derives the fingerprint from rule, lockfile and name@version, counting repeats', () => {
    const finding = makeFinding()
    expect(findingFingerprintKey(finding)).toMatch(/^[0-9a-f]{64}$/)
    const twice = [finding, { ...finding, message: 'another endpoint' }]
    const results = renderSarif(makeReport({ findings: twice }), TEST_RULES).runs[0]?.results ?? []
    const hashes = results.map((r) => r.partialFingerprints?.primaryLocationLineHash)
    const key = findingFingerprintKey(finding)
    expect(hashes.sort()).toEqual([`${key}:1`, `${key}:2`])
  })

  it('reports run errors as failed execution, with notifications', () => {
    const failed = renderSarif(makeReport({ errors: [makeError()] }), TEST_RULES)
    const invocation = failed.runs[0]?.invocations?.[0]
    expect(invocation?.executionSuccessful).toBe(false)
    expect(invocation?.toolExecutionNotifications?.[0]).toMatchObject({
      level: 'error',
      descriptor: { id: 'ELOCKFILE' },
      message: { text: 'Unexpected token at line 7' }
    })
    const clean = renderSarif(makeReport({ verdict: 'pass' }), TEST_RULES)
    expect(clean.runs[0]?.invocations?.[0]?.executionSuccessful).toBe(true)
  })

  it('sets a category per mode, or the one given', () => {
    expect(renderSarif(makeReport(), TEST_RULES).runs[0]?.automationDetails?.id).toBe(
      'lockgate/pull-request/'
    )
    const full = renderSarif(makeReport({ mode: 'full' }), TEST_RULES, { category: 'nightly' })
    expect(full.runs[0]?.automationDetails?.id).toBe('nightly/')
  })

  it('maps levels by fail-on', () => {
    expect(sarifLevel('critical', 'high')).toBe('error')
    expect(sarifLevel('medium', 'medium')).toBe('error')
    expect(sarifLevel('low', 'high')).toBe('warning')
    expect(sarifLevel('info', 'high')).toBe('note')
  })
})

describe('writeSarif', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockgate-sarif-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the log as JSON, creating the folder', async () => {
    const path = join(dir, 'nested', 'results.sarif')
    const report = makeReport({ findings: severalFindings() })
    await writeSarif(report, TEST_RULES, path)
    const written = JSON.parse(await readFile(path, 'utf8')) as SarifLog
    expect(written).toEqual(renderSarif(report, TEST_RULES))
    expect(loadSchemaValidator()(written)).toBe(true)
  })
})
