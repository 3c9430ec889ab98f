// End to end for the configuration file: the bundled Action on a real repository whose pull
// request adds a package that the repository's own IOC feed (named in .github/lockgate.yml) marks
// as malicious; the file's allow and deny lists, an expired allow entry, and an invalid file.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { commitDependencies, createRepo, lineOf, publishFixture } from '../helpers/pr-repo.js'
import { annotations, runAction } from '../helpers/run-action.js'

const CONFIG = '.github/lockgate.yml'

const FEED = {
  schema: 1,
  name: 'policy e2e feed',
  updated: '2026-01-01',
  indicators: [
    {
      type: 'package',
      value: 'policy-target',
      versions: '1.0.0',
      incident: 'policy e2e test incident',
      source: 'test'
    }
  ]
}

function pullRequest(base: string, head: string) {
  return { pull_request: { number: 21, base: { sha: base }, head: { sha: head } } }
}

interface ReportFinding {
  ruleId: string
  severity: string
  package: { name: string }
  location: { lockfile: string; line: number }
  suppressed?: { reason: string; expires?: string }
}

describe('the Action with a configuration file', () => {
  beforeAll(async () => {
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.0.0')
    await publishFixture('__tests__/fixtures/e2e/policy-target-1.0.0')
  }, 120_000)

  /**
   * A repository whose base commit holds the configuration (a pull request is judged by its base
   * commit's configuration), and a pull request that adds policy-target. `headConfig` changes the
   * file in the pull request itself.
   */
  async function prWithConfig(config: string, headConfig?: string) {
    const repo = await createRepo()
    await mkdir(join(repo, '.github'))
    await writeFile(join(repo, 'policy-feed.json'), JSON.stringify(FEED, null, 2))
    await writeFile(join(repo, CONFIG), config)
    const base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    if (headConfig !== undefined) await writeFile(join(repo, CONFIG), headConfig)
    const head = await commitDependencies(
      repo,
      { 'tiny-format': '1.0.0', 'policy-target': '1.0.0' },
      'add policy-target'
    )
    return { repo, base, head }
  }

  async function runWithConfig(config: string, headConfig?: string) {
    const { repo, base, head } = await prWithConfig(config, headConfig)
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head)
    })
    return {
      run: { ...run, workspace: repo },
      configLine: (needle: string) => lineOf(config, needle)
    }
  }

  async function findingsOf(reportPath: string): Promise<ReportFinding[]> {
    return JSON.parse(await readFile(reportPath, 'utf8')).findings
  }

  it('fails on the feed entry the file names, without an allow entry', async () => {
    const { run } = await runWithConfig('ioc-feeds: [policy-feed.json]\n')
    expect(run.exitCode).toBe(1)
    const found = annotations(run.stdout, 'error').find(
      (a) => a.properties.title === 'ioc/known-malicious-version'
    )
    expect(found?.properties.file).toBe('package-lock.json')
  })

  it('passes with an allow entry, the finding listed as suppressed in the JSON report', async () => {
    const { run } = await runWithConfig(
      [
        'ioc-feeds: [policy-feed.json]',
        'allow:',
        '  - package: policy-target',
        "    versions: '1.0.0'",
        '    reason: harmless test package, reviewed',
        '    expires: 2999-12-31',
        ''
      ].join('\n')
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toBe('pass')
    const findings = await findingsOf(run.outputs.report)
    const ioc = findings.find((f) => f.ruleId === 'ioc/known-malicious-version')
    expect(ioc).toMatchObject({
      severity: 'critical',
      package: { name: 'policy-target' },
      suppressed: { reason: 'harmless test package, reviewed', expires: '2999-12-31' }
    })
    expect(findings.filter((f) => f.package.name === 'policy-target' && !f.suppressed)).toEqual([])
  })

  it('fails once the allow entry has expired, with a warning on its line', async () => {
    const { run, configLine } = await runWithConfig(
      [
        'ioc-feeds: [policy-feed.json]',
        'allow:',
        '  - package: policy-target',
        '    reason: harmless test package, reviewed',
        '    expires: 2020-01-31',
        ''
      ].join('\n')
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    const warning = annotations(run.stdout, 'warning').find(
      (a) => a.properties.title === 'policy/allow-expired'
    )
    expect(warning?.properties).toMatchObject({
      file: CONFIG,
      line: String(configLine('- package: policy-target'))
    })
    expect(warning?.message).toContain('expired on 2020-01-31')
    const findings = await findingsOf(run.outputs.report)
    const ioc = findings.find((f) => f.ruleId === 'ioc/known-malicious-version')
    expect(ioc?.suppressed).toBeUndefined()
  })

  it('fails on a deny entry, which no allow entry lifts', async () => {
    const { run } = await runWithConfig(
      [
        'allow:',
        '  - package: policy-target',
        '    reason: we trust it',
        'deny:',
        '  - package: policy-*',
        "    versions: '>=1.0.0 <2'",
        '    reason: not allowed in this repository',
        ''
      ].join('\n')
    )
    expect(run.exitCode).toBe(1)
    const lockfile = await readFile(join(run.workspace, 'package-lock.json'), 'utf8')
    const denied = annotations(run.stdout, 'error').find(
      (a) => a.properties.title === 'policy/denied'
    )
    expect(denied?.properties).toMatchObject({
      file: 'package-lock.json',
      line: String(lineOf(lockfile, '"node_modules/policy-target"'))
    })
    expect(denied?.message).toContain('not allowed in this repository')
  })

  it('fails on an invalid file with an error naming the key and the line', async () => {
    const { run } = await runWithConfig(
      [
        'ioc-feeds: [policy-feed.json]',
        'allow:',
        '  - package: tiny-format',
        '    reason: fine',
        '  - package: policy-target',
        "    versions: '1.0.0'",
        ''
      ].join('\n')
    )
    expect(run.exitCode).toBe(1)
    const error = annotations(run.stdout, 'error').find((a) => a.properties.file === CONFIG)
    expect(error?.properties.line).toBe('5')
    expect(error?.message).toContain('.github/lockgate.yml:5: allow[1].reason is required')
    expect(run.stdout).toContain('::error::lockgate: .github/lockgate.yml:5: allow[1].reason')
  })

  it('lets the warn-only input override the file', async () => {
    const { repo, base, head } = await prWithConfig(
      'ioc-feeds: [policy-feed.json]\nwarn-only: true\n'
    )
    const capped = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head)
    })
    expect(capped.exitCode).toBe(0)
    expect(capped.outputs.verdict).toBe('warn')
    expect(capped.stdout).toContain('warn-only is set; without it the gate would fail')
    const overridden = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head),
      inputs: { 'warn-only': 'false' }
    })
    expect(overridden.exitCode).toBe(1)
  })

  it('judges a pull request by the base commit configuration: it cannot allow itself', async () => {
    const { run } = await runWithConfig(
      'ioc-feeds: [policy-feed.json]\n',
      [
        'ioc-feeds: [policy-feed.json]',
        'warn-only: true',
        'allow:',
        '  - package: policy-target',
        '    reason: added by the pull request itself',
        ''
      ].join('\n')
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.stdout).toContain("the gate applies the base commit's version")
  })
})
