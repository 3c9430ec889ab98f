// End to end for the registry-metadata rules: the bundled Action on real git repositories whose
// lockfiles pin packages served by the in-process fake registry, which controls what a real
// publish cannot (`_npmUser`, `trustedPublisher`, `dist.attestations` and their bundles,
// `maintainers`, `time`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeRegistry, type FakeRegistry, type FakeVersion } from '../helpers/fake-registry.js'
import { commitAll, git } from '../helpers/pr-repo.js'
import { runAction } from '../helpers/run-action.js'

const HOUR = 3_600_000
const alice = { name: 'alice', email: 'alice@example.org' }
const mallory = { name: 'mallory', email: 'mallory@example.org' }
const maintainers = [alice]
const source = { repository: 'https://github.com/acme/lg-meta' }

/** An ordinary release: published by alice months ago, one file. */
function release(version: string, extra: Partial<FakeVersion> = {}): FakeVersion {
  const month = version === '1.0.0' ? '03' : '06'
  return {
    version,
    files: { 'index.js': 'module.exports = (a, b) => a + b\n' },
    time: `2026-${month}-01T00:00:00.000Z`,
    ...extra,
    manifest: { _npmUser: alice, maintainers, ...extra.manifest }
  }
}

const PACKAGES = [
  {
    name: 'lg-meta-provenance-lost',
    versions: [release('1.0.0', { provenance: source }), release('1.1.0')]
  },
  {
    name: 'lg-meta-publisher',
    versions: [release('1.0.0'), release('1.1.0', { manifest: { _npmUser: mallory } })]
  },
  {
    name: 'lg-meta-fresh',
    versions: [
      release('1.0.0'),
      release('1.1.0', { time: new Date(Date.now() - 2 * HOUR).toISOString() })
    ]
  },
  {
    name: 'lg-meta-attested',
    versions: [
      release('1.0.0', { provenance: { ...source, ref: 'refs/tags/v1.0.0' } }),
      release('1.1.0', { provenance: { ...source, ref: 'refs/tags/v1.1.0' } })
    ]
  },
  {
    name: 'lg-meta-anonymous',
    versions: ['1.0.0', '1.1.0'].map((version) => ({
      ...release(version),
      manifest: { maintainers }
    }))
  }
]

let registry: FakeRegistry

beforeAll(async () => {
  registry = await startFakeRegistry(PACKAGES)
})
afterAll(() => registry.close())

interface Bump {
  dir: string
  base: string
  head: string
}

/** A repository whose base commit locks `name@from` and whose head commit locks `name@to`. */
async function bumpRepo(name: string, from: string, to: string): Promise<Bump> {
  const dir = await mkdtemp(join(tmpdir(), 'lockgate-meta-'))
  await git(dir, ['init', '-q', '-b', 'main'])
  await writeFile(join(dir, '.npmrc'), `registry=${registry.url}\n`)
  await writeLockfile(dir, name, from)
  const base = await commitAll(dir, 'base')
  await writeLockfile(dir, name, to)
  const head = await commitAll(dir, 'bump')
  return { dir, base, head }
}

async function writeLockfile(dir: string, name: string, version: string): Promise<void> {
  const dependencies = { [name]: version }
  const manifest = { name: 'app-under-test', version: '1.0.0', private: true, dependencies }
  const lockfile = {
    name: 'app-under-test',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app-under-test', version: '1.0.0', dependencies },
      [`node_modules/${name}`]: { version, integrity: registry.integrityOf(name, version) }
    }
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lockfile, null, 2) + '\n')
}

async function scan(bump: Bump, inputs: Record<string, string> = {}) {
  const run = await runAction({
    workspace: bump.dir,
    eventName: 'pull_request',
    event: { pull_request: { number: 3, base: { sha: bump.base }, head: { sha: bump.head } } },
    inputs,
    // no user .npmrc: the repository's own .npmrc points at the fake registry
    env: { NPM_CONFIG_USERCONFIG: join(bump.dir, '.npmrc') }
  })
  const report = JSON.parse(await readFile(run.outputs.report, 'utf8'))
  const findings = report.findings as { ruleId: string; severity: string; message: string }[]
  const ruleIds = findings.map((finding) => finding.ruleId)
  return { run, report, findings, ruleIds }
}

describe('the Action on registry metadata', () => {
  it('fails a bump that loses the provenance the previous version had', async () => {
    const { run, findings } = await scan(
      await bumpRepo('lg-meta-provenance-lost', '1.0.0', '1.1.0')
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    expect(findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'metadata/provenance-lost',
        severity: 'high',
        package: { name: 'lg-meta-provenance-lost', version: '1.1.0', previous: '1.0.0' }
      })
    )
    expect(run.summary).toContain('metadata/provenance-lost')
  })

  it('fails a publisher change at high, and only warns when the gate fails on critical', async () => {
    const bump = await bumpRepo('lg-meta-publisher', '1.0.0', '1.1.0')
    const strict = await scan(bump)
    expect(strict.run.outputs.verdict).toBe('fail')
    const finding = strict.findings.find((f) => f.ruleId === 'metadata/publisher-changed')
    expect(finding).toMatchObject({ severity: 'high' })
    expect(finding?.message).toContain('published by mallory')

    const lenient = await scan(bump, { 'fail-on': 'critical' })
    expect(lenient.run.exitCode).toBe(0)
    expect(lenient.run.outputs.verdict).toBe('warn')
    expect(lenient.ruleIds).toContain('metadata/publisher-changed')
  })

  it('holds a 2-hour-old version under a 3-day cooldown and lets it through with 0', async () => {
    const bump = await bumpRepo('lg-meta-fresh', '1.0.0', '1.1.0')
    const held = await scan(bump, { 'min-release-age': '3 days' })
    expect(held.run.exitCode).toBe(1)
    const finding = held.findings.find((f) => f.ruleId === 'metadata/too-new')
    expect(finding?.message).toMatch(/published 2 hours ago; the cooldown is 3 days/)

    const free = await scan(bump, { 'min-release-age': '0' })
    expect(free.run.exitCode).toBe(0)
    expect(free.run.outputs.verdict).toBe('pass')
    expect(free.ruleIds).not.toContain('metadata/too-new')
  })

  it('passes a bump between two versions built by the same repository and workflow', async () => {
    const before = registry.requests.filter((path) => path.includes('/attestations/')).length
    const { run, findings } = await scan(await bumpRepo('lg-meta-attested', '1.0.0', '1.1.0'))
    expect(findings).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toBe('pass')
    // both bundles were read and compared, not skipped
    const after = registry.requests.filter((path) => path.includes('/attestations/')).length
    expect(after - before).toBe(2)
  })

  it('says once that trust metadata was unavailable when the registry gives no _npmUser', async () => {
    const { run, report } = await scan(await bumpRepo('lg-meta-anonymous', '1.0.0', '1.1.0'))
    const notice =
      'Trust metadata unavailable: the registry returned no publisher (_npmUser) for lg-meta-anonymous@1.1.0, so metadata/publisher-changed could not be evaluated.'
    expect(report.notices).toContain(notice)
    expect(run.summary).toContain('Trust metadata unavailable')
    expect(run.stdout).toContain(`::notice::${notice}`)
    expect(run.outputs.verdict).toBe('pass')
  })
})
