import { describe, it, expect, jest, afterEach, beforeEach } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as fakeCore from '../../__fixtures__/core.js'
import {
  diffSnippet,
  renderSummary,
  writeSummary,
  SUMMARY_BUDGET_BYTES
} from '../../src/report/summary.js'
import type { Finding } from '../../src/types.js'
import { makeError, makeFinding, makeReport } from './report-factory.js'

const MALICIOUS_NAME = '<img src=x onerror=alert(1)>'

describe('renderSummary', () => {
  it('puts the verdict and the counts per severity in the heading', () => {
    const report = makeReport({
      verdict: 'fail',
      findings: [
        makeFinding({ severity: 'critical' }),
        makeFinding({ severity: 'high' }),
        makeFinding({ severity: 'high' })
      ]
    })
    const html = renderSummary(report)
    expect(html.split('\n')[0]).toBe('<h2>❌ lockgate: FAIL (1 critical, 2 high)</h2>')
  })

  it('says pass with no findings and shows no table', () => {
    const html = renderSummary(makeReport({ verdict: 'pass' }))
    expect(html).toContain('lockgate: PASS (no findings)')
    expect(html).not.toContain('<table>')
    expect(html).not.toContain('Incomplete analysis')
  })

  it('lists run errors under "Incomplete analysis"', () => {
    const html = renderSummary(makeReport({ errors: [makeError({ message: 'bad <json>' })] }))
    expect(html).toContain('<h3>Incomplete analysis</h3>')
    expect(html).toContain(
      '<li><code>ELOCKFILE</code> <code>apps/web/package-lock.json:7</code>: bad &lt;json&gt;</li>'
    )
  })

  it('shows a table row per finding with the version change and the lockfile line', () => {
    const finding = makeFinding({
      package: { name: 'debug', version: '4.4.2', previous: '4.4.1' },
      location: { lockfile: 'package-lock.json', line: 184 }
    })
    const html = renderSummary(makeReport({ findings: [finding] }))
    expect(html).toContain('<td><code>debug</code> <code>4.4.1 → 4.4.2</code></td>')
    expect(html).toContain('<td><code>package-lock.json:184</code></td>')
    expect(html).toContain(
      '<details><summary><code>debug@4.4.2</code> (4.4.1 → 4.4.2) · 1 finding</summary>'
    )
  })

  it('escapes a malicious package name, snippet and message', () => {
    const finding = makeFinding({
      package: { name: MALICIOUS_NAME, version: '1.0.0' },
      message: 'a | b `code` [x](javascript:alert(1))',
      evidence: [
        { file: 'x.js', line: 1, snippet: 'a</details><script>x</script>\n\n# heading | cell' }
      ]
    })
    const html = renderSummary(makeReport({ findings: [finding] }))
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<script')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    // only the one </details> we wrote ourselves
    expect(html.match(/<\/details>/g)).toHaveLength(1)
    expect(html).toContain(
      '<pre>+a&lt;/details&gt;&lt;script&gt;x&lt;/script&gt;&#10;+&#10;+# heading &#124; cell</pre>'
    )
    expect(html).not.toMatch(/\|/)
    expect(html).not.toContain('`')
  })

  it('never lets attacker text create a blank line (which would end the HTML block)', () => {
    const finding = makeFinding({
      message: 'one\n\ntwo\r\n\r\nthree',
      evidence: [{ file: 'a\n\nb.js', snippet: 'x\n\n\n[click](http://127.0.0.1/)' }]
    })
    const html = renderSummary(
      makeReport({ findings: [finding], errors: [makeError({ message: 'e\n\nf' })] })
    )
    for (const block of html.split('\n\n')) {
      expect(block.trimStart().startsWith('<') || block.trim() === '').toBe(true)
    }
  })

  it('stays under the 1 MiB cap with 20,000 findings and says it was truncated', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      makeFinding({
        package: { name: `pkg-${i}`, version: '1.0.0', previous: '0.9.0' },
        location: { lockfile: 'package-lock.json', line: i + 1 },
        evidence: [{ file: 'index.js', line: i, snippet: 'x'.repeat(300) }]
      })
    )
    const html = renderSummary(makeReport({ findings: many }))
    const bytes = Buffer.byteLength(html)
    expect(bytes).toBeLessThan(1024 * 1024)
    expect(bytes).toBeGreaterThan(SUMMARY_BUDGET_BYTES - 10_000)
    expect(html).toContain('This summary was truncated')
    expect(html).toContain('JSON report')
    expect(html).toMatch(/\(\d+ of 20000 findings in the table\)/)
    expect(html).toContain('</tbody>\n</table>')
  })

  it('stays under the 1 MiB cap with 500 findings carrying large evidence', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      makeFinding({
        package: { name: `pkg-${i}`, version: '2.0.0', previous: '1.0.0' },
        location: { lockfile: 'package-lock.json', line: i + 1 },
        message: 'm'.repeat(2000),
        evidence: Array.from({ length: 5 }, (_, j) => ({
          file: `lib/f${j}.js`,
          line: j + 1,
          snippet: '<'.repeat(5000)
        }))
      })
    )
    const html = renderSummary(makeReport({ findings: many }))
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024)
    expect(html).toContain('This summary was truncated')
    expect(html).toContain('(500 of 500 findings in the table)')
    // every block that was opened is closed
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length)
  })

  it('keeps 500 ordinary findings whole, well under the cap', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      makeFinding({
        package: { name: `pkg-${i}`, version: '2.0.0', previous: '1.0.0' },
        location: { lockfile: 'package-lock.json', line: i + 1 }
      })
    )
    const html = renderSummary(makeReport({ findings: many }))
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024)
    expect(html).not.toContain('truncated')
    expect(html.match(/<details>/g)).toHaveLength(500)
  })

  it('does not truncate a small report', () => {
    const html = renderSummary(makeReport({ findings: [makeFinding()] }))
    expect(html).not.toContain('truncated')
  })
})

const SUPPRESSED: Finding['suppressed'] = {
  reason: 'vendored <fork>, reviewed',
  expires: '2027-01-31'
}

describe('renderSummary per-package detail', () => {
  it('shows the npm diff command for a changed package, quoted for the shell', () => {
    const changed = makeFinding({
      package: { name: '@scope/a', version: '2.0.0', previous: '1.0.0' }
    })
    const hostile = makeFinding({
      package: { name: "x'; rm -rf ~ #<b>", version: '2.0.0', previous: '1.0.0' }
    })
    const html = renderSummary(makeReport({ findings: [changed, hostile] }))
    expect(html).toContain(
      'reproduce: <code>npm diff --diff=@scope/a@1.0.0 --diff=@scope/a@2.0.0</code>'
    )
    expect(html).toContain(
      '<code>npm diff &#39;--diff=x&#39;\\&#39;&#39;; rm -rf ~ #&lt;b&gt;@1.0.0&#39;'
    )
  })

  it('shows no npm diff command for an added package', () => {
    const added = makeFinding({ package: { name: 'new-pkg', version: '1.0.0' } })
    expect(renderSummary(makeReport({ findings: [added] }))).not.toContain('npm diff')
  })

  it('links the registry page only when the report carries registryBase', () => {
    const finding = makeFinding({ package: { name: '@scope/a', version: '2.0.0' } })
    const without = renderSummary(makeReport({ findings: [finding] }))
    expect(without).not.toContain('<a href')
    const report = {
      ...makeReport({ findings: [finding] }),
      registryBase: 'https://registry.test/'
    }
    expect(renderSummary(report)).toContain(
      '<a href="https://registry.test/package/@scope/a/v/2.0.0">registry page</a>'
    )
  })

  it('marks lines from the tarball with + and leaves metadata evidence as is', () => {
    expect(diffSnippet('index.js', 'a\nb')).toBe('+a\n+b')
    expect(diffSnippet('packument', 'deprecated: x')).toBe('deprecated: x')
    expect(diffSnippet(undefined, 'versions: 1, 2')).toBe('versions: 1, 2')
  })
})

describe('renderSummary with suppressed findings', () => {
  const report = makeReport({
    verdict: 'warn',
    findings: [
      makeFinding({ severity: 'critical', ruleId: 'content/new-endpoint', suppressed: SUPPRESSED }),
      makeFinding({ severity: 'medium', ruleId: 'metadata/too-new' })
    ]
  })
  const html = renderSummary(report)

  it('leaves them out of the verdict counts, the table and the evidence', () => {
    expect(html.split('\n')[0]).toBe('<h2>⚠️ lockgate: WARN (1 medium)</h2>')
    expect(html).toContain(' · 1 finding · 1 suppressed · ')
    const table = html.slice(html.indexOf('<h3>Findings</h3>'), html.indexOf('<h3>Evidence</h3>'))
    expect(table).not.toContain('content/new-endpoint')
    const evidence = html.slice(
      html.indexOf('<h3>Evidence</h3>'),
      html.indexOf('<h3>Suppressed</h3>')
    )
    expect(evidence).not.toContain('content/new-endpoint')
  })

  it('lists them in their own collapsed section with the reason and the expiry, escaped', () => {
    const section = html.slice(html.indexOf('<h3>Suppressed</h3>'))
    expect(section).toContain(
      '<details><summary>1 finding suppressed by allow entries: not counted in the verdict</summary>'
    )
    expect(section).toContain('<td>vendored &lt;fork&gt;, reviewed</td><td>2027-01-31</td>')
    expect(section).toContain('<code>content/new-endpoint</code>')
    expect(section.trimEnd().endsWith('</details>')).toBe(true)
  })
})

describe('writeSummary', () => {
  const saved = process.env.GITHUB_STEP_SUMMARY
  let dir: string

  beforeEach(async () => {
    jest.clearAllMocks()
    dir = await mkdtemp(join(tmpdir(), 'lockgate-summary-'))
  })
  afterEach(async () => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = saved
    await rm(dir, { recursive: true, force: true })
  })

  it('does nothing when GITHUB_STEP_SUMMARY is unset', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await writeSummary(makeReport(), fakeCore)
    expect(fakeCore.summary.addRaw).not.toHaveBeenCalled()
    expect(fakeCore.summary.write).not.toHaveBeenCalled()
  })

  it('adds the rendered summary and writes it through core.summary', async () => {
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md')
    const report = makeReport({ findings: [makeFinding()] })
    await writeSummary(report, fakeCore)
    expect(fakeCore.summary.addRaw).toHaveBeenCalledWith(renderSummary(report), true)
    expect(fakeCore.summary.write).toHaveBeenCalledTimes(1)
  })

  it('writes the file with the real @actions/core', async () => {
    const file = join(dir, 'step-summary.md')
    await writeFile(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    const realCore = await import('@actions/core')
    const report = makeReport({
      findings: [makeFinding({ package: { name: MALICIOUS_NAME, version: '1.0.0' } })]
    })

    await writeSummary(report, realCore)

    const written = await readFile(file, 'utf8')
    expect(written).toContain('lockgate: FAIL (1 high)')
    expect(written).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(written).not.toContain('<img')
  })
})
