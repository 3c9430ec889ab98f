// The gate over the incident replays, with the IOC feed disabled: every attack in INCIDENTS.md,
// replayed as a defanged version pair, must fail the gate from its code alone and be caught by the
// rules its expect.json names (at `high` or above); every honest pair, built to look alarming to a
// naive scanner, must not fail. All registered rules run, as in a real scan. Layout and cases:
// __tests__/fixtures/packages/README.md.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decideVerdict, isFailing } from '../../src/analyze/policy.js'
import { runRules, type PackageEvidence } from '../../src/analyze/run-rules.js'
import { RULES } from '../../src/rules/index.js'
import type { Finding, RunError, Severity, Verdict } from '../../src/types.js'
import { contextFor, CORPUS, listDirs } from '../helpers/corpus.js'
import { EMPTY_IOCS } from '../helpers/factories.js'

const FAIL_ON: Severity = 'high'
const NOW = new Date('2026-04-01T00:00:00Z')
const INCIDENTS = join(CORPUS, 'incidents')
const HONEST = join(CORPUS, 'honest')
const REGISTERED = new Set(RULES.map((rule) => rule.meta.id))

/** Every incident of INCIDENTS.md that has a replay; a missing folder must fail loudly. */
const INCIDENT_CASES = [
  'axios-2026',
  'nx-s1ngularity',
  'plain-crypto-js',
  'postmark-mcp',
  'qix-chalk',
  'scavenger',
  'shai-hulud-1',
  'shai-hulud-2',
  'typosquat-postinstall',
  'xrpl'
]

interface Expectation {
  incident: string
  /** Rule ids that must report the replay at `high` or above. */
  rules: string[]
  /** Why these rules and not others, when that is a decision. */
  note?: string
}

interface GateOutcome {
  verdict: Verdict
  findings: Finding[]
  errors: RunError[]
}

/** Runs every registered rule on one fixture case, the feed off, and decides as the gate does. */
async function gate(caseDir: string): Promise<GateOutcome> {
  // a RuleContext is PackageEvidence plus the run-wide parts, which runRules sets itself
  const packages: PackageEvidence[] = [await contextFor(caseDir)]
  const { findings, errors } = await runRules({
    rules: RULES,
    packages,
    iocs: EMPTY_IOCS,
    now: NOW
  })
  return { verdict: decideVerdict(findings, errors, FAIL_ON), findings, errors }
}

function failing(findings: Finding[]): Finding[] {
  return findings.filter((finding) => isFailing(finding.severity, FAIL_ON))
}

/** What a failed assertion shows: enough to tell which rule said what. */
function summary(findings: Finding[]): string[] {
  return findings.map((finding) => `${finding.ruleId} [${finding.severity}] ${finding.message}`)
}

function describeAll(findings: Finding[]): string {
  return findings.length === 0
    ? ' none'
    : summary(findings)
        .map((line) => `\n  ${line}`)
        .join('')
}

function readExpectation(caseDir: string): Expectation {
  const path = join(caseDir, 'expect.json')
  if (!existsSync(path)) throw new Error(`${caseDir} has no expect.json`)
  return JSON.parse(readFileSync(path, 'utf8')) as Expectation
}

function honestCases(): string[] {
  return listDirs(HONEST)
}

describe('incident replays fail the gate with the feed disabled', () => {
  it('has a replay for every incident', () => {
    expect(listDirs(INCIDENTS)).toEqual(INCIDENT_CASES)
  })

  describe.each(INCIDENT_CASES)('%s', (name) => {
    const caseDir = join(INCIDENTS, name)
    const expectation = readExpectation(caseDir)
    let outcome: GateOutcome

    beforeAll(async () => {
      outcome = await gate(caseDir)
    })

    it('has a well-formed expect.json', () => {
      expect(expectation.incident).toEqual(expect.any(String))
      expect(expectation.rules.length).toBeGreaterThan(0)
      for (const id of expectation.rules) expect(id).toMatch(/^content\/[a-z]+(?:-[a-z]+)*$/)
    })

    it('runs every rule without error', () => {
      expect(outcome.errors).toEqual([])
    })

    it('fails the gate', () => {
      if (outcome.verdict !== 'fail') {
        throw new Error(`verdict ${outcome.verdict}; findings:${describeAll(outcome.findings)}`)
      }
    })

    it.each(expectation.rules)('is reported by %s at high or above', (id) => {
      if (!REGISTERED.has(id)) {
        throw new Error(`rule ${id} is not registered in src/rules/index.ts (not written yet?)`)
      }
      if (!failing(outcome.findings).some((finding) => finding.ruleId === id)) {
        throw new Error(
          `${id} did not report at ${FAIL_ON} or above; findings:${describeAll(outcome.findings)}`
        )
      }
    })
  })
})

describe('honest version pairs pass the gate with the feed disabled', () => {
  it('has honest pairs', () => {
    expect(honestCases().length).toBeGreaterThanOrEqual(9)
  })

  it.each(honestCases())('%s does not fail', async (name) => {
    const outcome = await gate(join(HONEST, name))
    expect(outcome.errors).toEqual([])
    expect(summary(failing(outcome.findings))).toEqual([])
    expect(outcome.verdict).not.toBe('fail')
  })
})
