import { describe, it, expect, afterEach } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeJsonReport } from '../../src/report/json-report.js'
import { makeError, makeFinding, makeReport } from './report-factory.js'

describe('writeJsonReport', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('creates the folder and writes a pretty document that reads back as the ScanReport', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockgate-json-'))
    const path = join(dir, 'nested', 'deeper', 'lockgate-report.json')
    const report = makeReport({
      findings: [
        makeFinding({ severity: 'critical', package: { name: '<evil>\n"x"', version: '1.0.0' } }),
        makeFinding({ severity: 'low', evidence: [] })
      ],
      errors: [makeError()]
    })

    await writeJsonReport(report, path)

    const text = await readFile(path, 'utf8')
    expect(text).toMatch(/^\{\n {2}"tool": \{/)
    expect(text.endsWith('}\n')).toBe(true)
    const parsed = JSON.parse(text)
    expect(parsed).toEqual(report)
    expect(parsed.verdict).toBe('fail')
    expect(parsed.findings[0]).toMatchObject({
      ruleId: 'content/new-endpoint',
      severity: 'critical',
      package: { name: '<evil>\n"x"', version: '1.0.0' },
      location: { lockfile: 'package-lock.json', line: 10 }
    })
    expect(parsed.errors).toEqual([makeError()])
  })

  it('writes the findings in the deterministic order', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockgate-json-'))
    const path = join(dir, 'report.json')
    const report = makeReport({
      findings: [makeFinding({ severity: 'info' }), makeFinding({ severity: 'critical' })]
    })
    await writeJsonReport(report, path)
    const parsed = JSON.parse(await readFile(path, 'utf8'))
    expect(parsed.findings.map((f: { severity: string }) => f.severity)).toEqual([
      'critical',
      'info'
    ])
  })

  it('keeps a suppressed finding as it is, with its reason and expiry', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockgate-json-'))
    const path = join(dir, 'report.json')
    const suppressed = makeFinding({ suppressed: { reason: 'reviewed', expires: '2027-01-31' } })
    await writeJsonReport(makeReport({ findings: [suppressed] }), path)
    const parsed = JSON.parse(await readFile(path, 'utf8'))
    expect(parsed.findings).toEqual([suppressed])
  })
})
