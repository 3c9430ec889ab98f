import { describe, expect, it } from '@jest/globals'
import {
  allowCovers,
  applyPolicy,
  decideVerdict,
  enabledRules,
  isExpired,
  isFailing,
  policyOptions
} from '../../src/analyze/policy.js'
import { runRules, type PackageEvidence } from '../../src/analyze/run-rules.js'
import type { AllowEntry, Policy, RuleSetting } from '../../src/config.js'
import { makeFinding } from '../../src/rules/finding.js'
import { rule as allowExpired } from '../../src/rules/policy/allow-expired.js'
import { rule as denied } from '../../src/rules/policy/denied.js'
import type { Rule } from '../../src/rules/types.js'
import type { Finding, RunError, Severity, Verdict } from '../../src/types.js'
import { EMPTY_IOCS, makeChange, makeManifest } from '../helpers/factories.js'

function finding(severity: Severity, overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'content/new-endpoint',
    severity,
    message: 'm',
    package: { name: 'p', version: '1.0.0' },
    location: { lockfile: 'package-lock.json', line: 3 },
    evidence: [],
    ...overrides
  }
}

const error: RunError = { code: 'ELOCKFILE', message: 'package-lock.json is not valid JSON' }

describe('decideVerdict', () => {
  it.each([
    [[], [], 'high', 'pass'],
    [[finding('info')], [], 'high', 'pass'],
    [[finding('low')], [], 'high', 'warn'],
    [[finding('medium')], [], 'high', 'warn'],
    [[finding('high')], [], 'high', 'fail'],
    [[finding('critical')], [], 'high', 'fail'],
    [[finding('medium')], [], 'medium', 'fail'],
    [[finding('high')], [], 'critical', 'warn'],
    [[], [error], 'high', 'fail'],
    [[finding('info')], [error], 'critical', 'fail'],
    [[finding('critical', { suppressed: { reason: 'reviewed' } })], [], 'high', 'pass'],
    [[finding('critical', { suppressed: { reason: 'r' } }), finding('low')], [], 'high', 'warn']
  ] as [Finding[], RunError[], Severity, string][])(
    'findings %j, errors %j, fail-on %s -> %s',
    (findings, errors, failOn, verdict) => {
      expect(decideVerdict(findings, errors, failOn)).toBe(verdict)
    }
  )

  it('caps the verdict at warn with warn-only, errors included', () => {
    expect(decideVerdict([finding('critical')], [], 'high', { warnOnly: true })).toBe('warn')
    expect(decideVerdict([], [error], 'high', { warnOnly: true })).toBe('warn')
    expect(decideVerdict([], [], 'high', { warnOnly: true })).toBe('pass')
  })
})

describe('isFailing', () => {
  it('compares against the threshold inclusively', () => {
    expect(isFailing('high', 'high')).toBe(true)
    expect(isFailing('medium', 'high')).toBe(false)
    expect(isFailing('info', 'info')).toBe(true)
  })
})

// ---- the whole policy stage: rules (enabled, options) -> applyPolicy -> verdict ----

const CONFIG_FILE = '.github/lockgate.yml'
const NOW = new Date('2026-03-10T12:00:00Z')

/** A stand-in for any rule: one high finding on every package. */
const flagRule: Rule = {
  meta: {
    id: 'content/new-endpoint',
    title: 'flag',
    description: 'flags every package it sees, for policy tests',
    defaultSeverity: 'high',
    version: 1
  },
  check: (ctx) => [makeFinding(ctx, flagRule.meta, 'sends data to a new host')]
}

interface Scenario {
  rules?: Record<string, RuleSetting>
  allow?: Omit<AllowEntry, 'line'>[]
  deny?: Policy['deny']
  failOn?: Severity
  warnOnly?: boolean
  now?: Date
}

function evidence(name: string, version: string, publisher = 'alice'): PackageEvidence {
  return {
    change: makeChange({ name, version, previousVersion: null, line: 42 }),
    manifest: makeManifest({ name, version, _npmUser: { name: publisher } }),
    problems: []
  }
}

async function judge(scenario: Scenario, pkg = evidence('left-pad', '1.3.0')) {
  const policy: Policy = {
    file: CONFIG_FILE,
    rules: scenario.rules ?? {},
    allow: (scenario.allow ?? []).map((entry, i) => ({ ...entry, line: 20 + i * 4 })),
    deny: scenario.deny ?? []
  }
  const now = scenario.now ?? NOW
  const { findings } = await runRules({
    rules: enabledRules([flagRule, allowExpired, denied], policy),
    packages: [pkg],
    iocs: EMPTY_IOCS,
    now,
    optionsFor: (id) => policyOptions(policy, id)
  })
  const judged = applyPolicy(findings, policy, now)
  const verdict = decideVerdict(judged, [], scenario.failOn ?? 'high', {
    warnOnly: scenario.warnOnly ?? false
  })
  return { findings: judged, verdict }
}

function summary(findings: Finding[]) {
  return findings.map((f) => [f.ruleId, f.severity, f.suppressed?.reason ?? null])
}

const allowLeftPad = { package: 'left-pad', versions: '^1.3.0', reason: 'reviewed (SEC-12)' }

describe('the policy stage', () => {
  it.each<[string, Scenario, Verdict, (string | null)[][]]>([
    ['no policy', {}, 'fail', [['content/new-endpoint', 'high', null]]],
    [
      'an allow entry suppresses the finding, which stays listed',
      { allow: [allowLeftPad] },
      'pass',
      [['content/new-endpoint', 'high', 'reviewed (SEC-12)']]
    ],
    [
      'an allow entry before its expiry day ends',
      { allow: [{ ...allowLeftPad, expires: '2026-03-10' }] },
      'pass',
      [['content/new-endpoint', 'high', 'reviewed (SEC-12)']]
    ],
    [
      'the same entry after its expiry: no suppression, a warning of its own',
      { allow: [{ ...allowLeftPad, expires: '2026-03-09' }] },
      'fail',
      [
        ['content/new-endpoint', 'high', null],
        ['policy/allow-expired', 'low', null]
      ]
    ],
    [
      'an allow entry for other versions',
      { allow: [{ ...allowLeftPad, versions: '<1.3.0' }] },
      'fail',
      [['content/new-endpoint', 'high', null]]
    ],
    [
      'an allow entry for other rules',
      { allow: [{ ...allowLeftPad, rules: ['content/process-spawn'] }] },
      'fail',
      [['content/new-endpoint', 'high', null]]
    ],
    [
      'an allow entry by glob for every version',
      { allow: [{ package: 'left-*', versions: '*', reason: 'ours' }] },
      'pass',
      [['content/new-endpoint', 'high', 'ours']]
    ],
    [
      'a deny range covering the version',
      {
        rules: { 'content/new-endpoint': { enabled: false } },
        deny: [{ package: 'left-pad', versions: '>=1.2.0 <1.4.0', reason: 'bad', line: 30 }]
      },
      'fail',
      [['policy/denied', 'critical', null]]
    ],
    [
      'a deny range missing the version',
      {
        rules: { 'content/new-endpoint': { enabled: false } },
        deny: [{ package: 'left-pad', versions: '<1.3.0', reason: 'bad', line: 30 }]
      },
      'pass',
      []
    ],
    [
      'a deny by publisher',
      {
        rules: { 'content/new-endpoint': { enabled: false } },
        deny: [{ publisher: 'ALICE', reason: 'untrusted account', line: 30 }]
      },
      'fail',
      [['policy/denied', 'critical', null]]
    ],
    [
      'a deny is not suppressed by an allow entry',
      {
        allow: [allowLeftPad],
        deny: [{ package: 'left-pad', versions: '*', reason: 'bad', line: 30 }]
      },
      'fail',
      [
        ['content/new-endpoint', 'high', 'reviewed (SEC-12)'],
        ['policy/denied', 'critical', null]
      ]
    ],
    [
      'a threshold change flips fail to warn',
      { failOn: 'critical' },
      'warn',
      [['content/new-endpoint', 'high', null]]
    ],
    ['warn-only', { warnOnly: true }, 'warn', [['content/new-endpoint', 'high', null]]],
    [
      'warn-only caps a deny too',
      { warnOnly: true, deny: [{ publisher: 'alice', reason: 'r', line: 30 }] },
      'warn',
      [
        ['content/new-endpoint', 'high', null],
        ['policy/denied', 'critical', null]
      ]
    ],
    [
      'a severity override',
      { rules: { 'content/new-endpoint': { severity: 'medium' } } },
      'warn',
      [['content/new-endpoint', 'medium', null]]
    ],
    [
      'a severity override cannot lower a deny',
      {
        rules: { 'policy/denied': { severity: 'info' } },
        deny: [{ publisher: 'alice', reason: 'r', line: 30 }]
      },
      'fail',
      [
        ['content/new-endpoint', 'high', null],
        ['policy/denied', 'critical', null]
      ]
    ],
    ['a disabled rule', { rules: { 'content/new-endpoint': { enabled: false } } }, 'pass', []],
    [
      'a disabled expiry warning',
      {
        allow: [{ ...allowLeftPad, expires: '2026-01-01' }],
        rules: { 'policy/allow-expired': { enabled: false } }
      },
      'fail',
      [['content/new-endpoint', 'high', null]]
    ]
  ])('%s -> %s', async (_name, scenario, verdict, expected) => {
    const result = await judge(scenario)
    expect(summary(result.findings)).toEqual(expected)
    expect(result.verdict).toBe(verdict)
  })

  it('keeps the expiry date on a suppressed finding', async () => {
    const { findings } = await judge({ allow: [{ ...allowLeftPad, expires: '2099-01-01' }] })
    expect(findings[0]?.suppressed).toEqual({ reason: 'reviewed (SEC-12)', expires: '2099-01-01' })
  })

  it('points the expiry warning at the entry in the configuration file', async () => {
    const { findings } = await judge({
      allow: [
        { package: 'other', versions: '*', reason: 'old' },
        { ...allowLeftPad, expires: '2026-01-01' }
      ]
    })
    const warning = findings.find((f) => f.ruleId === 'policy/allow-expired')
    expect(warning).toMatchObject({
      severity: 'low',
      location: { lockfile: CONFIG_FILE, line: 24 },
      package: { name: 'left-pad', version: '^1.3.0' }
    })
    expect(warning?.message).toContain('expired on 2026-01-01')
    expect(warning?.message).toContain('(1 in this run)')
  })

  it('points a deny finding at the lockfile, with the entry as evidence', async () => {
    const { findings } = await judge({
      deny: [{ package: 'left-pad', versions: '1.x', reason: 'compromised release', line: 31 }]
    })
    const deny = findings.find((f) => f.ruleId === 'policy/denied')
    expect(deny).toMatchObject({
      location: { lockfile: 'package-lock.json', line: 42 },
      evidence: [{ file: CONFIG_FILE, line: 31, snippet: 'reason: compromised release' }]
    })
    expect(deny?.message).toContain('compromised release')
  })

  it('passes rule options from the configuration', () => {
    const policy: Policy = {
      file: CONFIG_FILE,
      rules: { 'content/minified-blob-added': { options: { minBytes: 10 } } },
      allow: [],
      deny: [{ publisher: 'x', reason: 'r', line: 1 }]
    }
    expect(policyOptions(policy, 'content/minified-blob-added')).toEqual({ minBytes: 10 })
    expect(policyOptions(policy, 'policy/denied')).toEqual({ deny: policy.deny, file: CONFIG_FILE })
    expect(policyOptions(policy, 'content/new-endpoint')).toEqual({})
  })
})

describe('allow entries', () => {
  const entry: AllowEntry = { package: '@acme/*', versions: '*', reason: 'r', line: 1 }

  it('match scoped globs and prereleases', () => {
    const pkg = (name: string, version: string) => finding('high', { package: { name, version } })
    expect(allowCovers(entry, pkg('@acme/tools', '2.0.0-beta.1'))).toBe(true)
    expect(allowCovers(entry, pkg('@other/tools', '1.0.0'))).toBe(false)
    expect(allowCovers({ ...entry, package: '**' }, pkg('@other/tools', '1.0.0'))).toBe(true)
  })

  it('expire at the end of their day, UTC', () => {
    const expiring = { ...entry, expires: '2026-03-10' }
    expect(isExpired(expiring, new Date('2026-03-10T23:59:59Z'))).toBe(false)
    expect(isExpired(expiring, new Date('2026-03-11T00:00:00Z'))).toBe(true)
    expect(isExpired(entry, new Date('2999-01-01'))).toBe(false)
  })
})
