import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  fetchAndConsume,
  fetchChanges,
  type FetchOptions
} from '../../src/registry/fetch-packages.js'
import { DEFAULT_LIMITS } from '../../src/registry/limits.js'
import { loadNpmConfig, type NpmOptions } from '../../src/registry/npm-config.js'
import type { LockedPackage, PackageChange } from '../../src/types.js'
import { makeLocked } from '../helpers/factories.js'
import { startFakeRegistry, type FakePackage, type FakeRegistry } from '../helpers/fake-registry.js'

const FAST_RETRY = { retries: 2, factor: 1, minTimeout: 5, maxTimeout: 20 }

let cacheDir: string
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'lockgate-fetch-'))
})
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }))

function options(registry: string, extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    npmOptionsFor: () => ({ registry }),
    cacheDir,
    retry: FAST_RETRY,
    ...extra
  }
}

/** A change to `name@version` from `previous` (or an added package), pinned as the registry serves it. */
function change(
  registry: FakeRegistry,
  name: string,
  version: string,
  previous?: string,
  overrides: { locked?: Partial<LockedPackage>; lockfile?: string } = {}
): PackageChange {
  const lockfile = overrides.lockfile ?? 'package-lock.json'
  const pin = (v: string) => {
    try {
      return registry.integrityOf(name, v)
    } catch {
      return undefined // a version the registry does not have
    }
  }
  const locked = makeLocked({ name, version, integrity: pin(version), ...overrides.locked })
  return {
    kind: previous ? 'changed' : 'added',
    name,
    version,
    lockfile,
    line: 7,
    locked,
    ...(previous
      ? { previous: makeLocked({ name, version: previous, integrity: pin(previous) }) }
      : {})
  }
}

const packumentRequests = (registry: FakeRegistry, name: string) =>
  registry.requests.filter((path) => path === `/${name}`).length

const PACKAGES: FakePackage[] = [
  {
    name: 'mailer',
    versions: [
      { version: '1.0.15', files: { 'index.js': 'send(message)\n' } },
      {
        version: '1.0.16',
        files: { 'index.js': "send({ ...message, bcc: 'x@example.test' })\n" },
        manifest: { _npmUser: { name: 'publisher' } },
        time: '2026-11-20T10:00:00.000Z'
      }
    ]
  },
  { name: 'gone-version', versions: [{ version: '1.0.0' }] },
  { name: 'corrupt', versions: [{ version: '1.0.0', corrupt: true }] },
  { name: 'no-tarball', versions: [{ version: '1.0.0', tarballMissing: true }] },
  {
    name: 'flaky',
    versions: [{ version: '1.0.0', files: { 'a.js': 'ok' } }],
    failPackument: { status: 500, times: 1 },
    failTarball: { status: 429, times: 1 }
  },
  { name: 'down', versions: [{ version: '1.0.0' }], failPackument: { status: 503, times: 99 } },
  { name: 'big', versions: [{ version: '1.0.0', files: { 'a.js': 'a'.repeat(5000) } }] }
]

describe('fetchChanges', () => {
  let registry: FakeRegistry
  beforeAll(async () => {
    registry = await startFakeRegistry(PACKAGES)
  })
  afterAll(() => registry.close())

  it('fetches the packument, the new and the previous tarballs, in memory', async () => {
    const [result] = await fetchChanges(
      [change(registry, 'mailer', '1.0.16', '1.0.15')],
      options(registry.url)
    )
    expect(result.problems).toEqual([])
    expect(result.packument?.time?.['1.0.16']).toBe('2026-11-20T10:00:00.000Z')
    expect(result.manifest).toMatchObject({ version: '1.0.16', _npmUser: { name: 'publisher' } })
    expect(result.previousManifest?.version).toBe('1.0.15')
    // the metadata as the registry served it, without pacote's annotations
    expect(result.packument?.versions['1.0.16']).not.toHaveProperty('_resolved')
    expect(result.files?.files.get('index.js')?.text).toContain('bcc')
    expect(result.previousFiles?.files.get('index.js')?.text).toBe('send(message)\n')
    // tarballs may sit in pacote's cache, but nothing is extracted there
    expect(JSON.stringify(listTree(cacheDir))).not.toContain('index.js')
  })

  it('fetches each packument once, however many changes share the name', async () => {
    const before = packumentRequests(registry, 'mailer')
    const changes = ['a', 'b', 'c', 'd'].map((dir) =>
      change(registry, 'mailer', '1.0.16', '1.0.15', { lockfile: `${dir}/package-lock.json` })
    )
    const results = await fetchChanges(changes, options(registry.url, { concurrency: 4 }))
    expect(packumentRequests(registry, 'mailer') - before).toBe(1)
    expect(results.map((r) => r.change.lockfile)).toEqual(changes.map((c) => c.lockfile))
    expect(results.every((r) => r.files?.files.has('index.js'))).toBe(true)
  })

  it('keeps the input order with a small pool', async () => {
    const changes = [
      change(registry, 'big', '1.0.0'),
      change(registry, 'mailer', '1.0.15'),
      change(registry, 'gone-version', '9.9.9'),
      change(registry, 'corrupt', '1.0.0')
    ]
    const results = await fetchChanges(changes, options(registry.url, { concurrency: 2 }))
    expect(results.map((r) => r.change.name)).toEqual(['big', 'mailer', 'gone-version', 'corrupt'])
  })

  it('starts no fetch while the packages being consumed hold more than maxHeldBytes', async () => {
    const changes = ['a', 'b', 'c', 'd', 'e', 'f'].map((dir) =>
      change(registry, 'mailer', '1.0.15', undefined, { lockfile: `${dir}/package-lock.json` })
    )
    const held = new Set<string>()
    const heldAtFetch: number[] = []
    const log: string[] = []
    await fetchAndConsume(
      changes,
      options(registry.url, {
        concurrency: 2,
        maxHeldBytes: 1,
        // called by each fetch before its tarballs: how many packages are held at that moment
        skipFiles: () => {
          heldAtFetch.push(held.size)
          return false
        }
      }),
      async (fetched) => {
        held.add(fetched.change.lockfile)
        log.push(`start ${fetched.change.lockfile}`)
        await new Promise((resolve) => setTimeout(resolve, 30))
        held.delete(fetched.change.lockfile)
        return log.push(`end ${fetched.change.lockfile}`)
      }
    )
    // the two first fetches start together; every later one waits until nothing is held
    expect(heldAtFetch.slice(2)).toEqual([0, 0, 0, 0])
    expect(log).toHaveLength(12)
  })

  it('hands each package to the consumer once and returns what it made, in input order', async () => {
    const changes = [change(registry, 'mailer', '1.0.15'), change(registry, 'big', '1.0.0')]
    const consumed: string[] = []
    const results = await fetchAndConsume(
      changes,
      options(registry.url, { concurrency: 2 }),
      async (fetched) => {
        consumed.push(fetched.change.name)
        return `${fetched.change.name}:${fetched.files?.files.size ?? 0}`
      }
    )
    expect(consumed.sort()).toEqual(['big', 'mailer'])
    expect(results[0]).toMatch(/^mailer:[1-9]/)
    expect(results[1]).toMatch(/^big:[1-9]/)
  })

  it.each<[string, () => PackageChange, Record<string, unknown>]>([
    [
      'a version the packument no longer lists',
      () => change(registry, 'gone-version', '1.0.1'),
      { code: 'ENOTFOUND_VERSION', which: 'new' }
    ],
    [
      'a package the registry does not know',
      () => change(registry, 'never-published', '1.0.0'),
      { code: 'ENOTFOUND_PACKAGE', which: 'new' }
    ],
    [
      'a listed version whose tarball is gone',
      () => change(registry, 'no-tarball', '1.0.0'),
      { code: 'ENOTFOUND_VERSION', which: 'new' }
    ],
    [
      'a tarball whose bytes differ from the integrity',
      () => change(registry, 'corrupt', '1.0.0'),
      { code: 'EINTEGRITY', which: 'new' }
    ],
    [
      'a lockfile integrity the registry does not serve',
      () =>
        change(registry, 'big', '1.0.0', undefined, {
          locked: { integrity: `sha512-${'A'.repeat(86)}==` }
        }),
      { code: 'EINTEGRITY', which: 'new' }
    ],
    [
      'a previous version the packument no longer lists',
      () => change(registry, 'gone-version', '1.0.0', '0.9.0'),
      { code: 'ENOTFOUND_VERSION', which: 'previous' }
    ],
    [
      'a registry that keeps failing with 503',
      () => change(registry, 'down', '1.0.0'),
      { code: 'EREGISTRY', which: 'new', message: expect.stringMatching(/HTTP 503 for down/) }
    ]
  ])('reports %s', async (_what, makeInput, problem) => {
    const [result] = await fetchChanges([makeInput()], options(registry.url))
    expect(result.problems).toEqual([expect.objectContaining(problem)])
  })

  it('retries a 500 packument and a 429 tarball, then succeeds', async () => {
    const before = packumentRequests(registry, 'flaky')
    const [result] = await fetchChanges([change(registry, 'flaky', '1.0.0')], options(registry.url))
    expect(result.problems).toEqual([])
    expect(result.files?.files.get('a.js')?.text).toBe('ok')
    expect(packumentRequests(registry, 'flaky') - before).toBe(2)
  })

  it('reports a tarball over the size limit as ELIMIT and unpack limits in limitsHit', async () => {
    const tooBig = await fetchChanges(
      [change(registry, 'big', '1.0.0')],
      options(registry.url, { limits: { ...DEFAULT_LIMITS, maxTarballBytes: 50 } })
    )
    expect(tooBig[0].problems).toEqual([expect.objectContaining({ code: 'ELIMIT', which: 'new' })])
    const partly = await fetchChanges(
      [change(registry, 'big', '1.0.0')],
      options(registry.url, { limits: { ...DEFAULT_LIMITS, maxTotalBytes: 100 } })
    )
    expect(partly[0].problems).toEqual([])
    expect(partly[0].files?.limitsHit).toEqual([expect.stringContaining('more than 100 bytes')])
  })

  it('fetches nothing for a source that is not a registry', async () => {
    const before = registry.requests.length
    const gitChange = change(registry, 'mailer', '1.0.16', undefined, {
      locked: { source: 'git', resolved: 'git+ssh://git@example.test/o/r.git#abc' }
    })
    const [result] = await fetchChanges([gitChange], options(registry.url))
    expect(result.problems).toEqual([expect.objectContaining({ code: 'ESOURCE', which: 'new' })])
    expect(result.packument).toBeUndefined()
    expect(registry.requests.length).toBe(before)
  })

  it('refuses names and versions that are not a registry spec', async () => {
    const before = registry.requests.length
    const odd = change(registry, 'mailer', 'file:../../etc')
    const [result] = await fetchChanges([odd], options(registry.url))
    expect(result.problems).toEqual([expect.objectContaining({ code: 'ESOURCE' })])
    expect(registry.requests.length).toBe(before)
  })

  it('reads no tarball of a change skipFiles names, but still its packument and manifests', async () => {
    const before = registry.requests.length
    const skipped = change(registry, 'mailer', '1.0.16', '1.0.15')
    const read = change(registry, 'big', '1.0.0')
    const results = await fetchChanges(
      [skipped, read],
      options(registry.url, { skipFiles: async (c) => c === skipped })
    )
    const requests = registry.requests.slice(before)
    expect(requests).toContain('/mailer')
    expect(requests.filter((path) => path.startsWith('/mailer/-/'))).toEqual([])
    expect(requests).toContain('/big/-/big-1.0.0.tgz')
    const [mailer, big] = results
    expect(mailer).toMatchObject({ filesSkipped: true, problems: [] })
    expect(mailer.manifest?.version).toBe('1.0.16')
    expect(mailer.previousManifest?.version).toBe('1.0.15')
    expect(mailer.packument?.name).toBe('mailer')
    expect(mailer.files).toBeUndefined()
    expect(mailer.previousFiles).toBeUndefined()
    expect(big.filesSkipped).toBeUndefined()
    expect(big.files?.files.has('a.js')).toBe(true)
  })

  it('still reports a skipped change whose version the registry no longer lists', async () => {
    const [result] = await fetchChanges(
      [change(registry, 'gone-version', '9.9.9')],
      options(registry.url, { skipFiles: () => true })
    )
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'ENOTFOUND_VERSION', which: 'new' })
    ])
  })
})

describe('fetchChanges against an unreachable registry', () => {
  it('reports EREGISTRY with the registry URL and no credentials', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const url = `http://user:hunter2@127.0.0.1:${port}/`
    const locked = makeLocked({ name: 'anything', version: '1.0.0' })
    const input: PackageChange = {
      kind: 'added',
      name: 'anything',
      version: '1.0.0',
      lockfile: 'package-lock.json',
      line: 3,
      locked
    }
    const [result] = await fetchChanges([input], options(url))
    expect(result.problems).toEqual([expect.objectContaining({ code: 'EREGISTRY', which: 'new' })])
    expect(result.problems[0].message).toContain(`127.0.0.1:${port}`)
    expect(result.problems[0].message).not.toContain('hunter2')
  })
})

describe('fetchChanges with a scoped private registry', () => {
  let registry: FakeRegistry
  let root: string
  beforeAll(async () => {
    registry = await startFakeRegistry(
      [{ name: '@acme/secret', versions: [{ version: '2.0.0', files: { 'a.js': 'private' } }] }],
      { token: 'tok-123' }
    )
    root = mkdtempSync(join(tmpdir(), 'lockgate-scoped-'))
    const host = registry.url.replace(/^http:/, '')
    writeFileSync(
      join(root, '.npmrc'),
      `@acme:registry=${registry.url}\n${host}:_authToken=\${ACME_TOKEN}\n`
    )
  })
  afterAll(async () => {
    await registry.close()
    rmSync(root, { recursive: true, force: true })
  })

  const npmOptionsFor = (env: NodeJS.ProcessEnv) => (): NpmOptions =>
    loadNpmConfig({ workspace: root, lockfileDir: root, env, homedir: join(root, 'no-home') })

  it('sends the token from .npmrc (expanded from the environment) to the scope registry', async () => {
    const input = change(registry, '@acme/secret', '2.0.0')
    const [result] = await fetchChanges([input], {
      ...options(registry.url),
      npmOptionsFor: npmOptionsFor({ ACME_TOKEN: 'tok-123' })
    })
    expect(result.problems).toEqual([])
    expect(result.files?.files.get('a.js')?.text).toBe('private')
    expect(registry.requests).toContain('/@acme/secret')
  })

  it('reports 401 as EREGISTRY without the token', async () => {
    const input = change(registry, '@acme/secret', '2.0.0')
    const [result] = await fetchChanges([input], {
      ...options(registry.url),
      npmOptionsFor: npmOptionsFor({})
    })
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'EREGISTRY', message: expect.stringContaining('HTTP 401') })
    ])
  })
})

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String)
}

describe('fetchChanges reading provenance', () => {
  const built = (version: string, repository = 'https://github.com/acme/signed') => ({
    version,
    provenance: { repository, ref: `refs/tags/v${version}` }
  })
  let registry: FakeRegistry
  beforeAll(async () => {
    registry = await startFakeRegistry([
      { name: 'signed', versions: [built('1.0.0'), built('1.1.0')] },
      { name: 'signed-then-not', versions: [built('1.0.0'), { version: '1.1.0' }] },
      {
        name: 'unreadable',
        versions: [built('1.0.0'), { ...built('1.1.0'), attestationsStatus: 500 }]
      },
      { name: '@acme/signed', versions: [built('1.0.0'), built('1.1.0')] }
    ])
  })
  afterAll(() => registry.close())

  const attestationRequests = () =>
    registry.requests.filter((path) => path.startsWith('/-/npm/v1/attestations/'))

  it('reads both versions provenance when both carry attestations', async () => {
    const [result] = await fetchChanges(
      [change(registry, 'signed', '1.1.0', '1.0.0')],
      options(registry.url)
    )
    expect(result.problems).toEqual([])
    expect(result.provenance).toEqual({
      current: {
        repository: 'https://github.com/acme/signed',
        workflow: '.github/workflows/release.yml',
        ref: 'refs/tags/v1.1.0',
        builder: 'https://github.com/actions/runner/github-hosted'
      },
      previous: expect.objectContaining({ ref: 'refs/tags/v1.0.0' })
    })
  })

  it('fetches no bundle when only one side has provenance (the packument says enough)', async () => {
    const before = attestationRequests().length
    const [result] = await fetchChanges(
      [change(registry, 'signed-then-not', '1.1.0', '1.0.0'), change(registry, 'signed', '1.1.0')],
      options(registry.url)
    )
    expect(result.provenance).toBeUndefined()
    expect(attestationRequests().length).toBe(before)
  })

  it('leaves an unreadable bundle out without a fetch problem', async () => {
    const [result] = await fetchChanges(
      [change(registry, 'unreadable', '1.1.0', '1.0.0')],
      options(registry.url)
    )
    expect(result.problems).toEqual([])
    expect(result.provenance).toEqual({
      previous: expect.objectContaining({ ref: 'refs/tags/v1.0.0' })
    })
  })

  it('reads scoped packages provenance', async () => {
    const [result] = await fetchChanges(
      [change(registry, '@acme/signed', '1.1.0', '1.0.0')],
      options(registry.url)
    )
    expect(result.provenance?.current?.ref).toBe('refs/tags/v1.1.0')
  })
})

describe('fetchChanges reading provenance from a registry that needs a token', () => {
  it('sends the registry credentials with the attestation request', async () => {
    const registry = await startFakeRegistry(
      [
        {
          name: 'private-signed',
          versions: ['1.0.0', '1.1.0'].map((version) => ({
            version,
            provenance: { repository: 'https://github.com/acme/private-signed' }
          }))
        }
      ],
      { token: 'tok-456' }
    )
    try {
      const host = registry.url.replace(/^http:/, '')
      const [result] = await fetchChanges([change(registry, 'private-signed', '1.1.0', '1.0.0')], {
        ...options(registry.url),
        npmOptionsFor: () => ({ registry: registry.url, [`${host}:_authToken`]: 'tok-456' })
      })
      expect(result.problems).toEqual([])
      expect(result.provenance?.current?.repository).toBe('https://github.com/acme/private-signed')
      expect(result.provenance?.previous?.repository).toBe('https://github.com/acme/private-signed')
    } finally {
      await registry.close()
    }
  })
})
