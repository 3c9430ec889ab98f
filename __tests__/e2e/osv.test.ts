// End to end for OSV MAL- records: the bundled Action on real repositories locking a package that
// the fixture records mark as malicious, offline (folder and zip snapshots) and online (a local
// server speaking OSV's batch API), and a run where OSV cannot be reached.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { commitDependencies, createRepo, lineOf, publishFixture } from '../helpers/pr-repo.js'
import { annotations, runAction, type ActionRun } from '../helpers/run-action.js'
import { startFakeOsv, unreachableUrl, type FakeOsv } from '../osv/fake-osv.js'
import { buildExportZip, FIXTURE_FOLDER } from '../osv/fixture-db.js'

function pullRequest(base: string, head: string) {
  return { pull_request: { number: 11, base: { sha: base }, head: { sha: head } } }
}

describe('the Action with OSV', () => {
  let repo: string
  let base: string
  let head: string
  let entryLine: number
  let osv: FakeOsv

  beforeAll(async () => {
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.0.0')
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.1.0')
    await publishFixture('__tests__/fixtures/e2e/osv-target-1.0.0')
    repo = await createRepo()
    base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    head = await commitDependencies(
      repo,
      { 'tiny-format': '1.0.0', 'osv-target': '1.0.0' },
      'add osv-target'
    )
    entryLine = lineOf(
      await readFile(join(repo, 'package-lock.json'), 'utf8'),
      '"node_modules/osv-target"'
    )
    const record = JSON.parse(
      await readFile(
        join(FIXTURE_FOLDER, 'osv/malicious/npm/osv-target/MAL-2099-0001.json'),
        'utf8'
      )
    )
    osv = await startFakeOsv({
      answers: { 'osv-target@1.0.0': ['MAL-2099-0001'] },
      records: { 'MAL-2099-0001': record }
    })
  }, 120_000)

  afterAll(async () => {
    await osv?.close()
  })

  function osvAnnotation(run: ActionRun) {
    return annotations(run.stdout, 'error').find((a) => a.properties.title === 'ioc/osv-malicious')
  }

  it('fails a pull request adding a MAL- version, from an offline folder snapshot', async () => {
    expect(entryLine).toBeGreaterThan(0)
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head),
      inputs: { osv: 'offline', 'osv-db': FIXTURE_FOLDER }
    })
    expect(run.exitCode).toBe(1)
    const found = osvAnnotation(run)
    expect(found?.properties).toMatchObject({ file: 'package-lock.json', line: String(entryLine) })
    expect(found?.message).toContain('MAL-2099-0001')
    expect(found?.message).toContain('offline OSV snapshot')
    expect(run.outputs.verdict).toBe('fail')
  })

  it('flags it in a scheduled full scan from a zip snapshot (merged before the record existed)', async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'schedule',
      event: {},
      inputs: { osv: 'offline', 'osv-db': await buildExportZip() }
    })
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report.mode).toBe('full')
    const finding = report.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'ioc/osv-malicious'
    )
    expect(finding).toMatchObject({
      severity: 'critical',
      package: { name: 'osv-target', version: '1.0.0' },
      location: { lockfile: 'package-lock.json', line: entryLine },
      evidence: [{ file: 'osv', snippet: 'MAL-2099-0001: Malicious code in osv-target (npm)' }]
    })
    expect(run.exitCode).toBe(1)
  })

  it("fails the same pull request from OSV's online batch API", async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head),
      inputs: { osv: 'online', 'osv-url': osv.url }
    })
    expect(run.exitCode).toBe(1)
    const found = osvAnnotation(run)
    expect(found?.properties).toMatchObject({ file: 'package-lock.json', line: String(entryLine) })
    expect(found?.message).toContain("OSV's online API")
    expect(osv.requests.some((r) => r.path === '/v1/vulns/MAL-2099-0001')).toBe(true)
  })

  it('fails loudly when the configured snapshot does not exist', async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head),
      inputs: { osv: 'offline', 'osv-db': 'no-such-osv-db.zip' }
    })
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report.errors).toEqual([expect.objectContaining({ code: 'EOSV' })])
  })

  it('passes an honest bump when OSV cannot be reached, and says so in the summary', async () => {
    const bumpRepo = await createRepo()
    const bumpBase = await commitDependencies(bumpRepo, { 'tiny-format': '1.0.0' }, 'base')
    const bumpHead = await commitDependencies(bumpRepo, { 'tiny-format': '1.1.0' }, 'bump')
    const run = await runAction({
      workspace: bumpRepo,
      eventName: 'pull_request',
      event: pullRequest(bumpBase, bumpHead),
      inputs: { osv: 'online', 'osv-url': await unreachableUrl() }
    })
    expect(run.exitCode).toBe(0)
    expect(annotations(run.stdout, 'error')).toEqual([])
    expect(run.summary).toContain('OSV could not be reached')
    expect(run.summary).toContain('checked against the bundled feed only')
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report.errors).toEqual([])
    expect(report.notices).toEqual(
      expect.arrayContaining([expect.stringContaining('OSV could not be reached')])
    )
  })
})
