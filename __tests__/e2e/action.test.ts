// End to end: a real registry (Verdaccio, started by the jest global setup), real `npm publish`,
// real git repositories with a base and a head commit, and the bundled Action started the way the
// GitHub runner starts it. The tests in this file run in order: the last one removes a version.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  cleanEnv,
  commitDependencies,
  commitFile,
  createRepo,
  lineOf,
  publishFixture
} from '../helpers/pr-repo.js'
import { annotations, runAction } from '../helpers/run-action.js'
import { loadSarifValidator } from '../helpers/sarif-schema.js'

const execFileAsync = promisify(execFile)

function pullRequest(base: string, head: string) {
  return { pull_request: { number: 7, base: { sha: base }, head: { sha: head } } }
}

describe('the Action on a pull request', () => {
  let postmarkRepo: string
  let postmarkBase: string
  let postmarkHead: string

  beforeAll(async () => {
    for (const folder of [
      'demo/fixtures/postmark-mcp-1.0.15',
      'demo/fixtures/postmark-mcp-1.0.16',
      '__tests__/fixtures/e2e/tiny-format-1.0.0',
      '__tests__/fixtures/e2e/tiny-format-1.1.0',
      '__tests__/fixtures/e2e/marker-pkg-1.0.0'
    ]) {
      await publishFixture(folder)
    }
    postmarkRepo = await createRepo()
    postmarkBase = await commitDependencies(postmarkRepo, { 'postmark-mcp': '1.0.15' }, 'base')
    postmarkHead = await commitDependencies(postmarkRepo, { 'postmark-mcp': '1.0.16' }, 'bump')
  }, 120_000)

  it('fails the postmark-mcp 1.0.15 -> 1.0.16 bump on the lockfile line, with the Bcc evidence', async () => {
    const run = await runAction({
      workspace: postmarkRepo,
      eventName: 'pull_request',
      event: pullRequest(postmarkBase, postmarkHead)
    })
    const lockfile = await readFile(join(postmarkRepo, 'package-lock.json'), 'utf8')
    const entryLine = lineOf(lockfile, '"node_modules/postmark-mcp"')
    expect(entryLine).toBeGreaterThan(0)

    expect(run.exitCode).toBe(1)
    const recipient = annotations(run.stdout, 'error').find(
      (a) => a.properties.title === 'content/new-email-recipient'
    )
    expect(recipient?.properties).toMatchObject({
      file: 'package-lock.json',
      line: String(entryLine)
    })
    expect(recipient?.message).toContain('phan@giftshop.club')
    expect(run.summary).toContain('phan@giftshop.club')
    expect(run.summary).toContain('index.js')
    expect(run.summary).toContain('19') // the line of index.js where 1.0.16 adds the Bcc
    expect(run.outputs.verdict).toBe('fail')
    expect(Number(run.outputs.findings)).toBeGreaterThan(0)

    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    const finding = report.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'content/new-email-recipient'
    )
    expect(finding).toMatchObject({
      package: { name: 'postmark-mcp', version: '1.0.16', previous: '1.0.15' },
      location: { lockfile: 'package-lock.json', line: entryLine }
    })
    expect(finding.evidence[0]).toMatchObject({ file: 'index.js', line: 19 })

    // the SARIF file the Action wrote is valid SARIF 2.1.0 and points at the same line
    const sarif = JSON.parse(await readFile(run.outputs.sarif, 'utf8'))
    const validate = loadSarifValidator()
    expect(validate(sarif) ? [] : validate.errors).toEqual([])
    const result = sarif.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'content/new-email-recipient'
    )
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'package-lock.json' },
      region: { startLine: entryLine }
    })
  })

  it('passes an honest bump of a clean package with no error annotation', async () => {
    const repo = await createRepo()
    const base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    const head = await commitDependencies(repo, { 'tiny-format': '1.1.0' }, 'bump')
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head)
    })
    expect(annotations(run.stdout, 'error')).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toMatch(/^(pass|warn)$/)
  })

  it('passes a pull request that only removes packages', async () => {
    const repo = await createRepo()
    const base = await commitDependencies(
      repo,
      { 'tiny-format': '1.0.0', 'postmark-mcp': '1.0.15' },
      'base'
    )
    const head = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'remove')
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head)
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ verdict: 'pass', findings: '0' })
  })

  it('fails with a clear message when the head lockfile is not JSON', async () => {
    const repo = await createRepo()
    const base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    const head = await commitFile(
      repo,
      'package-lock.json',
      '{ "lockfileVersion": 3,\n  oops\n',
      'break'
    )
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head)
    })
    expect(run.exitCode).toBe(1)
    const errors = annotations(run.stdout, 'error')
    expect(errors.some((a) => a.properties.file === 'package-lock.json')).toBe(true)
    expect(errors.map((a) => a.message).join('\n')).toMatch(/not valid JSON/i)
    expect(run.outputs.verdict).toBe('fail')
  })

  it('never runs package code: install scripts and entry module leave no marker', async () => {
    const marker = join(await mkdtemp(join(tmpdir(), 'lockgate-marker-')), 'ran.marker')
    const fallbackMarker = join(tmpdir(), 'lockgate-code-ran.marker')
    await rm(fallbackMarker, { force: true })
    const repo = await createRepo()
    const base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    const head = await commitDependencies(
      repo,
      { 'tiny-format': '1.0.0', 'marker-pkg': '1.0.0' },
      'add marker'
    )
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head),
      env: { LOCKGATE_TEST_MARKER: marker }
    })
    // The package was really fetched and read: its install script is reported...
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(
      report.findings.some(
        (f: { ruleId: string; package: { name: string } }) =>
          f.ruleId === 'content/install-script-changed' && f.package.name === 'marker-pkg'
      )
    ).toBe(true)
    // ...and never run.
    expect(existsSync(marker)).toBe(false)
    expect(existsSync(fallbackMarker)).toBe(false)
  })

  it('still fails 1.0.16 from the feed after the registry has removed it', async () => {
    await execFileAsync('npm', ['unpublish', 'postmark-mcp@1.0.16', '--force'], {
      cwd: postmarkRepo,
      env: cleanEnv({ NPM_CONFIG_USERCONFIG: process.env.TEST_REGISTRY_NPMRC ?? '' })
    })
    const run = await runAction({
      workspace: postmarkRepo,
      eventName: 'pull_request',
      event: pullRequest(postmarkBase, postmarkHead)
    })
    const lockfile = await readFile(join(postmarkRepo, 'package-lock.json'), 'utf8')
    expect(run.exitCode).toBe(1)
    const titles = annotations(run.stdout, 'error').map((a) => a.properties.title)
    expect(titles).toContain('ioc/known-malicious-version')
    const known = annotations(run.stdout, 'error').find(
      (a) => a.properties.title === 'ioc/known-malicious-version'
    )
    expect(known?.properties.line).toBe(String(lineOf(lockfile, '"node_modules/postmark-mcp"')))
    expect(titles).toContain('registry/version-unavailable')
  })
})
