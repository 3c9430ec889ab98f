import { describe, it, expect, jest, afterEach } from '@jest/globals'
import * as realCore from '@actions/core'
import type { AnnotationProperties } from '@actions/core'
import { emitAnnotations, type AnnotationSink } from '../../src/report/annotations.js'
import type { Severity } from '../../src/types.js'
import { makeError, makeFinding, makeReport } from './report-factory.js'

type Call = {
  level: 'error' | 'warning' | 'notice'
  message: string
  properties?: AnnotationProperties
}

function recordingSink(): { sink: AnnotationSink; calls: Call[] } {
  const calls: Call[] = []
  const record = (level: Call['level']) => (message: string, properties?: AnnotationProperties) => {
    calls.push({ level, message, ...(properties ? { properties } : {}) })
  }
  return {
    sink: { error: record('error'), warning: record('warning'), notice: record('notice') },
    calls
  }
}

function findings(count: number, severity: Severity) {
  return Array.from({ length: count }, (_, i) =>
    makeFinding({ severity, location: { lockfile: 'package-lock.json', line: i + 1 } })
  )
}

describe('emitAnnotations', () => {
  it('uses error at or above failOn and warning below it', () => {
    const { sink, calls } = recordingSink()
    const report = makeReport({
      failOn: 'high',
      findings: [
        makeFinding({ severity: 'medium' }),
        makeFinding({ severity: 'high' }),
        makeFinding({ severity: 'critical' })
      ]
    })
    emitAnnotations(report, sink)
    expect(calls.map((c) => c.level)).toEqual(['error', 'error', 'warning'])
  })

  it('points each finding at its lockfile line with the rule id as title', () => {
    const { sink, calls } = recordingSink()
    const finding = makeFinding({
      ruleId: 'ioc/known-malicious-version',
      severity: 'critical',
      package: { name: 'debug', version: '4.4.2', previous: '4.4.1' },
      location: { lockfile: 'apps/web/package-lock.json', line: 184 },
      message: 'Matches an IOC feed entry.',
      evidence: [{ snippet: 'no file' }, { file: 'index.js', line: 12 }]
    })
    emitAnnotations(makeReport({ findings: [finding] }), sink)
    expect(calls).toEqual([
      {
        level: 'error',
        message: 'debug@4.4.2 (4.4.1 -> 4.4.2): Matches an IOC feed entry. (evidence: index.js:12)',
        properties: {
          title: 'ioc/known-malicious-version',
          file: 'apps/web/package-lock.json',
          startLine: 184
        }
      }
    ])
  })

  it('leaves out the version change for an added package', () => {
    const { sink, calls } = recordingSink()
    const finding = makeFinding({ package: { name: 'new-pkg', version: '1.0.0' }, evidence: [] })
    emitAnnotations(makeReport({ findings: [finding] }), sink)
    expect(calls[0]?.message).toBe(`new-pkg@1.0.0: ${finding.message}`)
  })

  it('caps at 10 errors and 10 warnings, most severe first, then one notice with the rest', () => {
    const { sink, calls } = recordingSink()
    const report = makeReport({
      failOn: 'high',
      findings: [...findings(3, 'low'), ...findings(12, 'critical'), ...findings(14, 'medium')]
    })
    emitAnnotations(report, sink)

    const errors = calls.filter((c) => c.level === 'error')
    const warnings = calls.filter((c) => c.level === 'warning')
    const notices = calls.filter((c) => c.level === 'notice')
    expect(errors).toHaveLength(10)
    expect(warnings).toHaveLength(10)
    expect(notices).toHaveLength(1)
    // the 10 warnings shown are the medium ones (more severe than low), in line order
    expect(warnings.map((w) => w.properties?.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    // hidden: 2 critical + 4 medium + 3 low
    expect(notices[0]?.message).toMatch(/^9 more annotations not shown/)
    expect(notices[0]?.message).toContain('job summary')
    expect(notices[0]?.message).toContain('JSON report')
    expect(calls[calls.length - 1]?.level).toBe('notice')
  })

  it('never annotates a suppressed finding as an error or a warning; one notice counts them', () => {
    const { sink, calls } = recordingSink()
    const suppressed = { reason: 'reviewed' }
    const report = makeReport({
      failOn: 'high',
      findings: [
        ...findings(12, 'critical').map((f) => ({ ...f, suppressed })),
        makeFinding({ severity: 'medium', suppressed }),
        makeFinding({ severity: 'high', location: { lockfile: 'package-lock.json', line: 99 } })
      ]
    })
    emitAnnotations(report, sink)
    expect(calls.filter((c) => c.level === 'error').map((c) => c.properties?.startLine)).toEqual([
      99
    ])
    expect(calls.filter((c) => c.level === 'warning')).toHaveLength(0)
    const notices = calls.filter((c) => c.level === 'notice')
    expect(notices).toHaveLength(1)
    expect(notices[0]?.message).toMatch(/^13 findings suppressed by allow entries/)
    expect(notices[0]?.message).toContain('job summary')
  })

  it('emits no notice when everything fits', () => {
    const { sink, calls } = recordingSink()
    emitAnnotations(makeReport({ findings: findings(10, 'critical') }), sink)
    expect(calls.filter((c) => c.level === 'notice')).toHaveLength(0)
  })

  it('emits run errors first, and they count toward the 10 errors', () => {
    const { sink, calls } = recordingSink()
    const report = makeReport({
      errors: [makeError(), makeError({ code: 'EREGISTRY', lockfile: undefined, line: undefined })],
      findings: findings(10, 'critical')
    })
    emitAnnotations(report, sink)
    expect(calls[0]).toEqual({
      level: 'error',
      message: 'Incomplete analysis: Unexpected token at line 7',
      properties: { title: 'ELOCKFILE', file: 'apps/web/package-lock.json', startLine: 7 }
    })
    expect(calls[1]?.properties).toEqual({ title: 'EREGISTRY' })
    expect(calls.filter((c) => c.level === 'error')).toHaveLength(10)
    expect(calls[calls.length - 1]?.message).toMatch(/^2 more annotations/)
  })

  it('keeps attacker text on one line, without ANSI sequences', () => {
    const { sink, calls } = recordingSink()
    const finding = makeFinding({
      package: { name: 'evil\n::error::x', version: '1.0.0' },
      message: '\u001b[31mred\r\nforged',
      evidence: []
    })
    emitAnnotations(makeReport({ findings: [finding] }), sink)
    expect(calls[0]?.message).not.toMatch(/[\r\n]/)
    expect(calls[0]?.message).not.toContain('\u001b')
    expect(calls[0]?.message).toContain('red\\r\\nforged')
  })
})

describe('emitAnnotations with the real @actions/core', () => {
  afterEach(() => {
    jest.restoreAllMocks()
  })

  function captureStdout(fn: () => void): string {
    const chunks: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk))
      return true
    })
    fn()
    jest.restoreAllMocks()
    return chunks.join('')
  }

  it('escapes `,` and `:` in properties and newlines in the message', () => {
    const output = captureStdout(() =>
      realCore.error('line one\nline two', {
        title: 'a,b:c',
        file: 'x/package-lock.json',
        startLine: 3
      })
    )
    expect(output).toBe(
      '::error title=a%2Cb%3Ac,file=x/package-lock.json,line=3::line one%0Aline two\n'
    )
  })

  it('produces one command line per annotation for a hostile finding', () => {
    const finding = makeFinding({
      ruleId: 'rule,with:colon',
      package: { name: 'evil', version: '1.0.0' },
      location: { lockfile: 'a,b:c/package-lock.json', line: 2 },
      message: 'x\n::warning::forged',
      evidence: []
    })
    const output = captureStdout(() =>
      emitAnnotations(makeReport({ findings: [finding] }), realCore)
    )
    const lines = output.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(
      '::error title=rule%2Cwith%3Acolon,file=a%2Cb%3Ac/package-lock.json,line=2::evil@1.0.0: x\\n::warning::forged'
    )
  })
})
