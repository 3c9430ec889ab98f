// End to end for the CLI (dist/cli.js): the same engine, text and JSON output, exit codes.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  cleanEnv,
  commitDependencies,
  commitFile,
  createRepo,
  lineOf,
  publishFixture
} from '../helpers/pr-repo.js'
import { spawnNode } from '../helpers/run-action.js'

const CLI = resolve('dist', 'cli.js')

/** Runs the CLI; OSV is off so that no test reaches an outside host. */
function lockgate(args: string[]) {
  return spawnNode([CLI, ...args, '--osv', 'off'], cleanEnv(), tmpdir())
}

describe('lockgate scan', () => {
  let repo: string
  let base: string
  let head: string
  let feed: string

  beforeAll(async () => {
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.0.0')
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.1.0')
    repo = await createRepo()
    base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    head = await commitDependencies(repo, { 'tiny-format': '1.1.0' }, 'bump')
    feed = join(await mkdtemp(join(tmpdir(), 'lockgate-feed-')), 'feed.json')
    const indicator = { type: 'package', value: 'tiny-format', versions: '>=1.1.0' }
    await writeFile(
      feed,
      JSON.stringify({
        schema: 1,
        name: 'cli test feed',
        updated: '2026-11-21',
        indicators: [{ ...indicator, incident: 'cli test', source: 'test' }]
      })
    )
  }, 120_000)

  it('exits 0 on an honest pull request', async () => {
    const run = await lockgate(['scan', repo, '--base', base, '--head', head])
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^lockgate: (PASS|WARN)/)
  })

  it('exits 1 and prints lockfile:line, package, versions and rule when the gate fails', async () => {
    // the feed must live inside the scanned repository: copy it there
    await writeFile(join(repo, 'feed.json'), await readFile(feed))
    const run = await lockgate([
      'scan',
      repo,
      '--base',
      base,
      '--head',
      head,
      '--ioc-feed',
      'feed.json'
    ])
    const lockfile = await readFile(join(repo, 'package-lock.json'), 'utf8')
    const line = lineOf(lockfile, '"node_modules/tiny-format"')
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      `package-lock.json:${line}  tiny-format 1.0.0 -> 1.1.0  [critical] ioc/known-malicious-version`
    )
  })

  it('writes the JSON report with --format json --output', async () => {
    const output = join(await mkdtemp(join(tmpdir(), 'lockgate-out-')), 'report.json')
    const run = await lockgate(['scan', repo, '--full', '--format', 'json', '--output', output])
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(await readFile(output, 'utf8'))
    expect(report).toMatchObject({ mode: 'full', errors: [] })
    expect(report.lockfiles).toEqual([{ path: 'package-lock.json', packages: 1, changes: 1 }])
  })

  it('exits 2 with the reason when the lockfile does not parse', async () => {
    const broken = await createRepo()
    await commitFile(broken, 'package-lock.json', '{"lockfileVersion": 3, "packages": {', 'broken')
    const run = await lockgate(['scan', broken])
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toMatch(/package-lock\.json.*not valid JSON/)
  })

  it('exits 2 on a usage error', async () => {
    const run = await lockgate(['scan', repo, '--format', 'xml'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('--format must be text or json')
  })
})
