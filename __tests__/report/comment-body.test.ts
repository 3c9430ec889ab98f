import { describe, it, expect } from '@jest/globals'
import {
  COMMENT_MARKER,
  COMMENT_MAX_CHARS,
  renderCommentBody
} from '../../src/report/comment-body.js'
import { makeError, makeFinding, makeReport } from './report-factory.js'

describe('renderCommentBody', () => {
  it('starts with the marker, then the verdict, then the findings table', () => {
    const report = makeReport({
      findings: [
        makeFinding({
          severity: 'critical',
          ruleId: 'ioc/known-malicious-version',
          package: { name: 'debug', version: '4.4.2', previous: '4.4.1' },
          location: { lockfile: 'package-lock.json', line: 184 },
          message: 'Known malicious version.'
        })
      ]
    })
    const body = renderCommentBody(report)
    const lines = body.split('\n')
    expect(lines[0]).toBe(COMMENT_MARKER)
    expect(lines[2]).toBe('### ❌ lockgate: FAIL (1 critical)')
    expect(body).toContain(
      '| **critical** | `debug` `4.4.1 → 4.4.2` | `package-lock.json:184` | `ioc/known-malicious-version` | Known malicious version\\. |'
    )
  })

  it('escapes attacker text so it cannot add rows, links, images or HTML', () => {
    const finding = makeFinding({
      package: { name: 'evil|`x`', version: '1.0.0\n| forged | row |' },
      message: '![img](http://127.0.0.1/x.png) <script> [link](javascript:x) | cell'
    })
    const body = renderCommentBody(makeReport({ findings: [finding] }))
    const row = body.split('\n').find((line) => line.startsWith('| **high**')) ?? ''
    expect(body.split('\n').filter((line) => line.startsWith('|'))).toHaveLength(3)
    expect(row).not.toContain('<script>')
    expect(row).toContain('&lt;script&gt;')
    expect(row).toContain('\\!\\[img\\]\\(http://127\\.0\\.0\\.1/x\\.png\\)')
    // five cells: six unescaped pipes, whatever the name, version and message hold
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6)
  })

  it('stays within the 65,536-character limit with 20,000 findings and counts the rest', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      makeFinding({ package: { name: `pkg-${i}`, version: '1.0.0' }, message: 'm'.repeat(400) })
    )
    const body = renderCommentBody(makeReport({ findings: many }))
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
    expect(body).toMatch(/…and \d+ more findings: see the job summary\./)
    expect(body).toContain('the job summary')
  })

  it('counts suppressed findings apart and leaves them out of the table', () => {
    const report = makeReport({
      verdict: 'pass',
      findings: [makeFinding({ suppressed: { reason: 'reviewed' } })]
    })
    const body = renderCommentBody(report)
    expect(body).toContain('lockgate: PASS (no findings)')
    expect(body).toContain('0 findings · 1 suppressed')
    expect(body).not.toContain('| Severity |')
    expect(body).toContain('1 finding suppressed by allow entries')
  })

  it('lists run errors and links the run', () => {
    const report = makeReport({ errors: [makeError({ message: 'bad [x](y)' })] })
    const body = renderCommentBody(report, {
      runUrl: 'https://github.example/acme/app/actions/runs/1 (x)'
    })
    expect(body).toContain('- `ELOCKFILE` `apps/web/package-lock.json:7`: bad \\[x\\]\\(y\\)')
    expect(body).toContain(
      '[the job summary](https://github.example/acme/app/actions/runs/1%20%28x%29)'
    )
  })
})
