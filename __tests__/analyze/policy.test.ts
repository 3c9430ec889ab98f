import { describe, expect, it } from '@jest/globals'
import { decideVerdict, isFailing } from '../../src/analyze/policy.js'
import type { Finding, RunError, Severity } from '../../src/types.js'

function finding(severity: Severity): Finding {
  return {
    ruleId: 'content/new-endpoint',
    severity,
    message: 'm',
    package: { name: 'p', version: '1.0.0' },
    location: { lockfile: 'package-lock.json', line: 3 },
    evidence: []
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
    [[finding('info')], [error], 'critical', 'fail']
  ] as [Finding[], RunError[], Severity, string][])(
    'findings %j, errors %j, fail-on %s -> %s',
    (findings, errors, failOn, verdict) => {
      expect(decideVerdict(findings, errors, failOn)).toBe(verdict)
    }
  )
})

describe('isFailing', () => {
  it('compares against the threshold inclusively', () => {
    expect(isFailing('high', 'high')).toBe(true)
    expect(isFailing('medium', 'high')).toBe(false)
    expect(isFailing('info', 'info')).toBe(true)
  })
})
