import { describe, it, expect } from '@jest/globals'
import { renderText } from '../../src/report/text.js'
import { makeError, makeFinding, makeReport } from './report-factory.js'

const startsACommand = (line: string) => /^\s*(::|##\[)/.test(line)

describe('renderText', () => {
  it('renders the verdict, one block per finding, errors and a count line', () => {
    const report = makeReport({
      findings: [
        makeFinding({
          ruleId: 'ioc/known-malicious-version',
          severity: 'critical',
          package: { name: 'debug', version: '4.4.2', previous: '4.4.1' },
          location: { lockfile: 'package-lock.json', line: 184 },
          message: 'Matches an IOC feed entry.',
          evidence: [{ file: 'index.js', line: 12, snippet: 'const x = 1' }]
        })
      ],
      errors: [makeError()]
    })
    expect(renderText(report)).toBe(
      [
        'lockgate: FAIL (1 critical) · fail-on high · pull-request · aaaaaaa..bbbbbbb',
        '',
        'package-lock.json:184  debug 4.4.1 -> 4.4.2  [critical] ioc/known-malicious-version',
        '  Matches an IOC feed entry.',
        '    index.js:12  const x = 1',
        '',
        'Incomplete analysis (these fail the gate):',
        '  ELOCKFILE  apps/web/package-lock.json:7: Unexpected token at line 7',
        '',
        '2 added or changed packages analysed (of 100 locked), in 1 lockfile.',
        '1 finding (1 critical), 1 error. Verdict: FAIL',
        ''
      ].join('\n')
    )
  })

  it('uses no color by default and colors only when asked', () => {
    const report = makeReport({ findings: [makeFinding()] })
    expect(renderText(report)).not.toContain('\u001b')
    expect(renderText(report, { color: true })).toContain('\u001b[31m[high]\u001b[0m')
  })

  it('strips ANSI sequences and makes CR and LF visible', () => {
    const finding = makeFinding({
      package: { name: '\u001b[31mred\u001b[0m', version: '1.0.0' },
      message: 'done\rOK: no findings\nfake line',
      evidence: [{ file: 'a.js', line: 1, snippet: '\u001b]0;title\u0007x\u001b[2Ky' }]
    })
    const text = renderText(makeReport({ findings: [finding] }))
    expect(text).not.toContain('\u001b')
    expect(text).not.toContain('\r')
    expect(text).toContain('  done\\rOK: no findings\\nfake line\n')
    expect(text).toContain('red 1.0.0')
    expect(text).toContain('    a.js:1  xy\n')
  })

  it('never lets attacker text start a line with :: or ##[', () => {
    const finding = makeFinding({
      package: { name: 'x', version: '1.0.0' },
      location: { lockfile: '::warning file=a::forged', line: 1 },
      message: '::error::owned',
      evidence: [
        { file: '::error::file', line: 2 },
        { snippet: '::error::snippet\n::set-output name=a::b' },
        { snippet: '  ##[error]legacy' }
      ]
    })
    const joined = makeFinding({ location: { lockfile: ':', line: 3 } })
    const error = makeError({ code: 'ERULE', lockfile: undefined, message: '\n::error::x' })
    const text = renderText(makeReport({ findings: [finding, joined], errors: [error] }))
    const offending = text.split('\n').filter(startsACommand)
    expect(offending).toEqual([])
    expect(text).toContain('\\::error::snippet\\n::set-output name=a::b')
  })

  it('lists suppressed findings apart, as suppressed with the reason, outside the counts', () => {
    const report = makeReport({
      verdict: 'warn',
      findings: [
        makeFinding({
          severity: 'critical',
          package: { name: 'allowed', version: '2.0.0', previous: '1.0.0' },
          location: { lockfile: 'package-lock.json', line: 5 },
          suppressed: { reason: 'vendored\n::error::x', expires: '2027-01-31' }
        }),
        makeFinding({ severity: 'medium', evidence: [] })
      ]
    })
    const text = renderText(report)
    expect(text.split('\n')[0]).toBe(
      'lockgate: WARN (1 medium) · fail-on high · pull-request · aaaaaaa..bbbbbbb'
    )
    expect(text).toContain(
      [
        'Suppressed by allow entries (not counted in the verdict):',
        '  package-lock.json:5  allowed 1.0.0 -> 2.0.0  [critical, suppressed] content/new-endpoint',
        '    allowed: vendored\\n::error::x (until 2027-01-31)'
      ].join('\n')
    )
    expect(text).toContain('1 finding (1 medium), 1 suppressed, 0 errors. Verdict: WARN')
    expect(text).not.toContain('[critical] content/new-endpoint')
  })
})
