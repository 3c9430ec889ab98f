// End to end for every lockfile format: real pnpm and yarn (classic) write the lockfiles against
// the local registry (Verdaccio, started by the jest global setup; nothing else is reached), the
// bundled Action runs on the pull request, and the finding lands on the entry's line of
// `pnpm-lock.yaml` / `yarn.lock`. The package is a copy of the postmark-mcp replay published
// under its own name (`mailer-mcp`), since action.test.ts unpublishes postmark-mcp@1.0.16.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { cleanEnv, commitAll, createRepo, publishFixture, registryUrl } from '../helpers/pr-repo.js'
import { annotations, runAction, type ActionRun } from '../helpers/run-action.js'

const execFileAsync = promisify(execFile)
const BIN = resolve('node_modules', '.bin')
const RULE = 'content/new-email-recipient'

type Manager = 'npm' | 'pnpm' | 'yarn'

function pullRequest(base: string, head: string) {
  return { pull_request: { number: 9, base: { sha: base }, head: { sha: head } } }
}

/** Writes `<folder>/package.json` and lets the package manager write its lockfile there. */
async function lock(repo: string, folder: string, manager: Manager, version: string) {
  const dir = join(repo, folder)
  await mkdir(dir, { recursive: true })
  const manifest = {
    name: `app-${manager}`,
    version: '1.0.0',
    private: true,
    dependencies: { 'mailer-mcp': version }
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  const scratch = await mkdtemp(join(tmpdir(), `lockgate-${manager}-`))
  const [command, args, env] = installCommand(manager, scratch)
  await execFileAsync(command, args, { cwd: dir, env: cleanEnv({ HOME: scratch, ...env }) })
}

/** Each manager only talks to the local registry: no update checks, caches in a scratch folder. */
function installCommand(
  manager: Manager,
  scratch: string
): [string, string[], Record<string, string>] {
  const registry = registryUrl()
  const npmrc = { NPM_CONFIG_USERCONFIG: process.env.TEST_REGISTRY_NPMRC ?? '' }
  if (manager === 'npm') {
    const args = ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund']
    return ['npm', args, npmrc]
  }
  if (manager === 'pnpm') {
    const args = [
      'install',
      '--lockfile-only',
      '--ignore-scripts',
      '--no-frozen-lockfile',
      `--registry=${registry}`,
      `--store-dir=${join(scratch, 'store')}`,
      `--config.cache-dir=${join(scratch, 'cache')}`,
      '--config.update-notifier=false'
    ]
    return [join(BIN, 'pnpm'), args, npmrc]
  }
  const args = [
    'install',
    '--ignore-scripts',
    '--non-interactive',
    '--no-bin-links',
    '--no-progress',
    `--registry=${registry}`,
    `--cache-folder=${join(scratch, 'cache')}`
  ]
  return [join(BIN, 'yarn'), args, { YARN_DISABLE_SELF_UPDATE_CHECK: 'true' }]
}

/** A repository whose base locks mailer-mcp@1.0.15 and whose head bumps it to 1.0.16. */
async function bumpRepo(projects: [string, Manager][]) {
  const repo = await createRepo()
  await writeFile(join(repo, '.gitignore'), 'node_modules/\n')
  // yarn classic reads its own rc file; without it, it would ask the internet for updates
  await writeFile(join(repo, '.yarnrc'), 'disable-self-update-check true\n')
  for (const [folder, manager] of projects) await lock(repo, folder, manager, '1.0.15')
  const base = await commitAll(repo, 'base')
  for (const [folder, manager] of projects) await lock(repo, folder, manager, '1.0.16')
  const head = await commitAll(repo, 'bump mailer-mcp')
  return { repo, base, head }
}

/** 1-based line of the first line that starts with `prefix` (after indentation). */
async function lineStarting(file: string, prefix: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n')
  return lines.findIndex((line) => line.trimStart().startsWith(prefix)) + 1
}

function recipientAnnotations(run: ActionRun) {
  return annotations(run.stdout, 'error').filter((a) => a.properties.title === RULE)
}

describe('the Action on pull requests of every package manager', () => {
  beforeAll(async () => {
    for (const version of ['1.0.15', '1.0.16']) {
      await publishFixture(`__tests__/fixtures/e2e/mailer-mcp-${version}`)
    }
  }, 60_000)

  it.each<[Manager, string, string]>([
    ['pnpm', 'pnpm-lock.yaml', 'mailer-mcp@1.0.16:'],
    ['yarn', 'yarn.lock', 'mailer-mcp@1.0.16:']
  ])(
    'fails a %s pull request on the line of the entry in %s, with the Bcc evidence',
    async (manager, lockfile, entryKey) => {
      const { repo, base, head } = await bumpRepo([['.', manager]])
      const run = await runAction({
        workspace: repo,
        eventName: 'pull_request',
        event: pullRequest(base, head)
      })
      const entryLine = await lineStarting(join(repo, lockfile), entryKey)
      expect(entryLine).toBeGreaterThan(0)

      expect(run.exitCode).toBe(1)
      expect(run.outputs.verdict).toBe('fail')
      const [recipient] = recipientAnnotations(run)
      expect(recipient?.properties).toMatchObject({ file: lockfile, line: String(entryLine) })
      expect(recipient?.message).toContain('phan@giftshop.club')

      const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
      expect(report.errors).toEqual([])
      expect(report.lockfiles).toEqual([
        expect.objectContaining({ path: lockfile, packages: 1, changes: 1 })
      ])
      const finding = report.findings.find((f: { ruleId: string }) => f.ruleId === RULE)
      expect(finding).toMatchObject({
        package: { name: 'mailer-mcp', version: '1.0.16', previous: '1.0.15' },
        location: { lockfile, line: entryLine }
      })
      expect(finding.evidence[0]).toMatchObject({ file: 'index.js', line: 19 })
      // the registry is local and served over http by the user's choice: not an insecure source
      const ruleIds = report.findings.map((f: { ruleId: string }) => f.ruleId)
      expect(ruleIds).not.toContain('lockfile/insecure-protocol')
      expect(ruleIds).not.toContain('lockfile/resolved-host')
    },
    120_000
  )

  it('reports both lockfiles of a monorepo with an npm and a pnpm project', async () => {
    const { repo, base, head } = await bumpRepo([
      ['apps/a', 'npm'],
      ['apps/b', 'pnpm']
    ])
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head)
    })
    const npmLine = await lineStarting(
      join(repo, 'apps/a/package-lock.json'),
      '"node_modules/mailer-mcp"'
    )
    const pnpmLine = await lineStarting(join(repo, 'apps/b/pnpm-lock.yaml'), 'mailer-mcp@1.0.16:')

    expect(run.exitCode).toBe(1)
    const where = recipientAnnotations(run).map((a) => [
      a.properties.file,
      Number(a.properties.line)
    ])
    expect(where).toEqual([
      ['apps/a/package-lock.json', npmLine],
      ['apps/b/pnpm-lock.yaml', pnpmLine]
    ])
    const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
    expect(report.lockfiles.map((l: { path: string }) => l.path)).toEqual([
      'apps/a/package-lock.json',
      'apps/b/pnpm-lock.yaml'
    ])
  }, 120_000)

  it('fails closed with an error on a bun.lockb it cannot read, saying how to switch', async () => {
    const { repo, base } = await bumpRepo([['.', 'pnpm']])
    await writeFile(join(repo, 'bun.lockb'), Buffer.from([0x23, 0x21, 0x2f, 0x00, 0xff, 0x01]))
    const head = await commitAll(repo, 'add a binary bun lockfile')
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: pullRequest(base, head)
    })
    expect(run.exitCode).toBe(1)
    const error = annotations(run.stdout, 'error').find((a) => a.properties.file === 'bun.lockb')
    expect(error?.message).toMatch(/bun\.lock\b/)
    expect(run.outputs.verdict).toBe('fail')
  }, 120_000)
})
