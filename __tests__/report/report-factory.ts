// Builders for ScanReport and Finding in reporter tests.
import type { Finding, RunError, ScanReport } from '../../src/types.js'

export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'content/new-endpoint',
    severity: 'high',
    message: 'The new version contacts an endpoint the previous one did not.',
    package: { name: 'example-pkg', version: '1.0.1', previous: '1.0.0' },
    location: { lockfile: 'package-lock.json', line: 10 },
    evidence: [{ file: 'index.js', line: 3, snippet: 'fetch(url)' }],
    ...overrides
  }
}

export function makeError(overrides: Partial<RunError> = {}): RunError {
  return {
    code: 'ELOCKFILE',
    message: 'Unexpected token at line 7',
    lockfile: 'apps/web/package-lock.json',
    line: 7,
    ...overrides
  }
}

export function makeReport(overrides: Partial<ScanReport> = {}): ScanReport {
  return {
    tool: { name: 'lockgate', version: '0.1.0' },
    verdict: 'fail',
    failOn: 'high',
    mode: 'pull-request',
    base: 'aaaaaaa',
    head: 'bbbbbbb',
    lockfiles: [{ path: 'package-lock.json', packages: 100, changes: 2 }],
    findings: [],
    errors: [],
    notices: [],
    generatedAt: '2026-11-21T00:00:00.000Z',
    ...overrides
  }
}
