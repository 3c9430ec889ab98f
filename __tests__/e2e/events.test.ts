// End to end, per event: what the Action compares for merge queues, pushes and scheduled runs.
// Uses its own packages so that it does not depend on the order of other test files.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  commitAll,
  commitDependencies,
  createRepo,
  lineOf,
  publishFixture
} from '../helpers/pr-repo.js'
import { annotations, runAction } from '../helpers/run-action.js'

const ZERO = '0000000000000000000000000000000000000000'

/** A user feed that marks tiny-format 1.1.0 as malicious, so the tests can tell what was scanned. */
const FEED = {
  schema: 1,
  name: 'test feed',
  updated: '2026-11-21',
  indicators: [
    { type: 'package', value: 'tiny-format', versions: '1.1.0', incident: 'test', source: 'test' }
  ]
}

describe('the Action per event', () => {
  let repo: string
  let base: string
  let head: string

  beforeAll(async () => {
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.0.0')
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.1.0')
    repo = await createRepo()
    await mkdir(join(repo, '.github'), { recursive: true })
    await writeFile(join(repo, '.github', 'feed.json'), JSON.stringify(FEED))
    base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    head = await commitDependencies(repo, { 'tiny-format': '1.1.0' }, 'bump')
  }, 120_000)

  const inputs = { 'ioc-feeds': '.github/feed.json' }

  it('merge_group compares base_sha with head_sha', async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'merge_group',
      event: { merge_group: { base_sha: base, head_sha: head } },
      inputs
    })
    const lockfile = await readFile(join(repo, 'package-lock.json'), 'utf8')
    expect(run.exitCode).toBe(1)
    const known = annotations(run.stdout, 'error').find(
      (a) => a.properties.title === 'ioc/known-malicious-version'
    )
    expect(known?.properties.line).toBe(String(lineOf(lockfile, '"node_modules/tiny-format"')))
  })

  it('push compares before with after', async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'push',
      event: { before: base, after: head },
      inputs
    })
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report).toMatchObject({ mode: 'pull-request', base, head })
  })

  it('push of a new branch (all-zero before) is a full scan', async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'push',
      event: { before: ZERO, after: head },
      inputs
    })
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report.mode).toBe('full')
    expect(run.exitCode).toBe(1)
  })

  it('schedule scans every locked package as added', async () => {
    const run = await runAction({ workspace: repo, eventName: 'schedule', event: {}, inputs })
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report.mode).toBe('full')
    expect(report.lockfiles).toEqual([{ path: 'package-lock.json', packages: 1, changes: 1 }])
    const known = report.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'ioc/known-malicious-version'
    )
    expect(known.package).toEqual({ name: 'tiny-format', version: '1.1.0' })
  })

  it('a pull request that adds a new lockfile scans all of its packages', async () => {
    const mono = await createRepo()
    await mkdir(join(mono, '.github'), { recursive: true })
    await writeFile(join(mono, '.github', 'feed.json'), JSON.stringify(FEED))
    const monoBase = await commitAll(mono, 'base without lockfile')
    const monoHead = await commitDependencies(mono, { 'tiny-format': '1.1.0' }, 'add lockfile')
    const run = await runAction({
      workspace: mono,
      eventName: 'pull_request',
      event: { pull_request: { base: { sha: monoBase }, head: { sha: monoHead } } },
      inputs
    })
    expect(run.exitCode).toBe(1)
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report.lockfiles).toEqual([{ path: 'package-lock.json', packages: 1, changes: 1 }])
  })

  it('fail-on critical still fails on a critical finding, and passes the same bump without one', async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: { pull_request: { base: { sha: base }, head: { sha: head } } },
      inputs: { ...inputs, 'fail-on': 'critical' }
    })
    expect(run.exitCode).toBe(1)
    const lenient = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: { pull_request: { base: { sha: base }, head: { sha: head } } },
      inputs: { 'fail-on': 'critical' }
    })
    expect(lenient.exitCode).toBe(0)
    expect(annotations(lenient.stdout, 'error')).toEqual([])
  })

  it('rejects an invalid input with a message naming it', async () => {
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: { pull_request: { base: { sha: base }, head: { sha: head } } },
      inputs: { 'fail-on': 'severe' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::lockgate: fail-on "severe" is not one of/)
  })
})
