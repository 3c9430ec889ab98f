import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GateError } from '../../src/errors.js'
import { readHeadCommit, readLockfileTexts, redact } from '../../src/github/read-lockfile.js'
import type { ScanRefs } from '../../src/github/refs.js'
import {
  commit,
  git,
  lockfile,
  newRepo,
  removeTempDirs,
  tempDir,
  writeFiles
} from './git-fixture.js'

const TOKEN = 'ghs_secretTokenValue1234567890'
const BASE_LOCK = lockfile({ 'left-pad': '1.0.0' })
const HEAD_LOCK = lockfile({ 'left-pad': '1.1.0', chalk: '5.0.0' })

afterAll(removeTempDirs)

function pullRequest(base: string, head?: string): ScanRefs {
  return head === undefined
    ? { mode: 'pull-request', base, reason: 'test' }
    : { mode: 'pull-request', base, head, reason: 'test' }
}

async function rejection(promise: Promise<unknown>): Promise<GateError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof GateError) return error
    throw error
  }
  throw new Error('expected a GateError')
}

/** A repo whose base commit has one lockfile and whose head commit changes it and adds another. */
function baseAndHeadRepo() {
  const repo = newRepo()
  const base = commit(repo, { 'package-lock.json': BASE_LOCK }, 'base')
  const head = commit(repo, { 'package-lock.json': HEAD_LOCK, 'web/package-lock.json': HEAD_LOCK })
  return { repo, base, head }
}

describe('readLockfileTexts from a full clone', () => {
  it('reads base from git and head from the working tree', async () => {
    const { repo, base } = baseAndHeadRepo()
    const uncommitted = lockfile({ 'left-pad': '9.9.9' })
    writeFiles(repo, { 'package-lock.json': uncommitted })
    const texts = await readLockfileTexts({
      workspace: repo,
      paths: ['package-lock.json'],
      refs: pullRequest(base)
    })
    expect(texts).toEqual([{ path: 'package-lock.json', head: uncommitted, base: BASE_LOCK }])
  })

  it('uses the working tree when head is the checked-out commit', async () => {
    const { repo, base, head } = baseAndHeadRepo()
    const uncommitted = lockfile({ 'left-pad': '9.9.9' })
    writeFiles(repo, { 'package-lock.json': uncommitted })
    const [texts] = await readLockfileTexts({
      workspace: repo,
      paths: ['package-lock.json'],
      refs: pullRequest(base, head)
    })
    expect(texts?.head).toBe(uncommitted)
  })

  it('gives base undefined for a lockfile that is new in head', async () => {
    const { repo, base, head } = baseAndHeadRepo()
    const texts = await readLockfileTexts({
      workspace: repo,
      paths: ['package-lock.json', 'web/package-lock.json'],
      refs: pullRequest(base, head)
    })
    expect(texts).toEqual([
      { path: 'package-lock.json', head: HEAD_LOCK, base: BASE_LOCK },
      { path: 'web/package-lock.json', head: HEAD_LOCK }
    ])
    expect('base' in texts[1]!).toBe(false)
  })

  it('reads head from a SHA that is not the working tree (pull_request_target)', async () => {
    const { repo, base, head } = baseAndHeadRepo()
    git(repo, 'reset', '-q', '--hard', base) // the workspace now holds the base, as with _target
    const texts = await readLockfileTexts({
      workspace: repo,
      paths: ['package-lock.json', 'web/package-lock.json'],
      refs: pullRequest(base, head)
    })
    expect(texts).toEqual([
      { path: 'package-lock.json', head: HEAD_LOCK, base: BASE_LOCK },
      { path: 'web/package-lock.json', head: HEAD_LOCK }
    ])
  })

  it('leaves out a lockfile that head deletes', async () => {
    const repo = newRepo()
    const base = commit(repo, {
      'package-lock.json': BASE_LOCK,
      'old/package-lock.json': BASE_LOCK
    })
    git(repo, 'rm', '-q', 'old/package-lock.json')
    const head = commit(repo, {}, 'delete')
    git(repo, 'reset', '-q', '--hard', base)
    const texts = await readLockfileTexts({
      workspace: repo,
      paths: ['package-lock.json', 'old/package-lock.json'],
      refs: pullRequest(base, head)
    })
    expect(texts.map((text) => text.path)).toEqual(['package-lock.json'])
  })

  it('does not read base in a full scan', async () => {
    const { repo } = baseAndHeadRepo()
    const texts = await readLockfileTexts({
      workspace: repo,
      paths: ['package-lock.json'],
      refs: { mode: 'full', base: 'f'.repeat(40), reason: 'test' }
    })
    expect(texts).toEqual([{ path: 'package-lock.json', head: HEAD_LOCK }])
  })

  it('reads paths relative to a workspace that is a subfolder of the repo', async () => {
    const repo = newRepo()
    const base = commit(repo, { 'app/package-lock.json': BASE_LOCK })
    commit(repo, { 'app/package-lock.json': HEAD_LOCK })
    const texts = await readLockfileTexts({
      workspace: `${repo}/app`,
      paths: ['package-lock.json'],
      refs: pullRequest(base)
    })
    expect(texts).toEqual([{ path: 'package-lock.json', head: HEAD_LOCK, base: BASE_LOCK }])
  })

  it('refuses paths that leave the workspace', async () => {
    const { repo, base } = baseAndHeadRepo()
    for (const bad of ['../x/package-lock.json', '/etc/package-lock.json', 'a//b', '']) {
      const error = await rejection(
        readLockfileTexts({ workspace: repo, paths: [bad], refs: pullRequest(base) })
      )
      expect(error.code).toBe('ECONFIG')
    }
  })

  it('fails with EGIT naming the commit and path when the base is nowhere', async () => {
    const { repo } = baseAndHeadRepo()
    const missing = 'e'.repeat(40)
    const error = await rejection(
      readLockfileTexts({
        workspace: repo,
        paths: ['package-lock.json'],
        refs: pullRequest(missing)
      })
    )
    expect(error.code).toBe('EGIT')
    expect(error.message).toContain(missing)
    expect(error.message).toContain('package-lock.json')
    expect(error.message).toMatch(/origin/) // git's own words about the failed fetch
  })

  it('readHeadCommit gives the checked-out commit', async () => {
    const { repo, head } = baseAndHeadRepo()
    expect(await readHeadCommit(repo)).toBe(head)
    await expect(readHeadCommit(tempDir())).rejects.toMatchObject({ code: 'EGIT' })
  })
})

describe('readLockfileTexts from a shallow clone', () => {
  it('fetches the missing base commit from origin and reads it', async () => {
    const { repo: origin, base, head } = baseAndHeadRepo()
    const parent = tempDir()
    git(parent, 'clone', '-q', '--depth=1', `file://${origin}`, 'clone')
    const clone = `${parent}/clone`
    expect(() => git(clone, 'cat-file', '-e', `${base}^{commit}`)).toThrow()
    const texts = await readLockfileTexts({
      workspace: clone,
      paths: ['package-lock.json', 'web/package-lock.json'],
      refs: pullRequest(base, head)
    })
    expect(texts).toEqual([
      { path: 'package-lock.json', head: HEAD_LOCK, base: BASE_LOCK },
      { path: 'web/package-lock.json', head: HEAD_LOCK }
    ])
  })
})

interface SeenRequest {
  url: string
  headers: IncomingHttpHeaders
}

describe('readLockfileTexts through the contents API', () => {
  const UNKNOWN_BASE = 'd'.repeat(40)
  const seen: SeenRequest[] = []
  let server: Server
  let apiUrl: string

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', headers: request.headers })
      const known = `/api/v3/repos/octo/app/contents/package-lock.json?ref=${UNKNOWN_BASE}`
      if (request.url === known) response.writeHead(200).end(BASE_LOCK)
      else if (request.url?.includes('/contents/broken/')) response.writeHead(500).end(TOKEN)
      else response.writeHead(404).end('{"message":"Not Found"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3/`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  function repoWithoutOrigin(): string {
    const repo = newRepo()
    commit(repo, {
      'package-lock.json': HEAD_LOCK,
      'web/package-lock.json': HEAD_LOCK,
      'broken/package-lock.json': HEAD_LOCK
    })
    return repo
  }

  it('reads the raw base file, and a 404 means a new lockfile', async () => {
    seen.length = 0
    const texts = await readLockfileTexts({
      workspace: repoWithoutOrigin(),
      paths: ['package-lock.json', 'web/package-lock.json'],
      refs: pullRequest(UNKNOWN_BASE),
      token: TOKEN,
      repository: 'octo/app',
      apiUrl
    })
    expect(texts).toEqual([
      { path: 'package-lock.json', head: HEAD_LOCK, base: BASE_LOCK },
      { path: 'web/package-lock.json', head: HEAD_LOCK }
    ])
    expect(seen.map((request) => request.url)).toEqual([
      `/api/v3/repos/octo/app/contents/package-lock.json?ref=${UNKNOWN_BASE}`,
      `/api/v3/repos/octo/app/contents/web/package-lock.json?ref=${UNKNOWN_BASE}`
    ])
    expect(seen[0]?.headers.accept).toBe('application/vnd.github.raw')
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('uses the injected fetch', async () => {
    const calls: string[] = []
    const fetchImpl: typeof fetch = async (input) => {
      calls.push(String(input))
      return new Response(BASE_LOCK, { status: 200 })
    }
    const [texts] = await readLockfileTexts({
      workspace: repoWithoutOrigin(),
      paths: ['package-lock.json'],
      refs: pullRequest(UNKNOWN_BASE),
      token: TOKEN,
      repository: 'octo/app',
      apiUrl: 'http://127.0.0.1:9',
      fetchImpl
    })
    expect(texts?.base).toBe(BASE_LOCK)
    expect(calls).toEqual([
      `http://127.0.0.1:9/repos/octo/app/contents/package-lock.json?ref=${UNKNOWN_BASE}`
    ])
  })

  it('never puts the token in an error', async () => {
    const failures = [
      { apiUrl, fetchImpl: undefined },
      {
        apiUrl,
        fetchImpl: (async () => {
          throw new Error(`connect failed for Bearer ${TOKEN}`)
        }) as typeof fetch
      }
    ]
    for (const failure of failures) {
      const error = await rejection(
        readLockfileTexts({
          workspace: repoWithoutOrigin(),
          paths: ['broken/package-lock.json'],
          refs: pullRequest(UNKNOWN_BASE),
          token: TOKEN,
          repository: 'octo/app',
          ...failure
        })
      )
      expect(error.code).toBe('EGIT')
      expect(error.message).toContain(UNKNOWN_BASE)
      expect(error.message).toContain('broken/package-lock.json')
      expect(error.message).not.toContain(TOKEN)
      expect(JSON.stringify(error)).not.toContain(TOKEN)
    }
  })

  it('redacts credentials embedded in URLs', () => {
    expect(redact(`fatal: unable to access 'https://x:${TOKEN}@host/r'`)).not.toContain(TOKEN)
    expect(redact(`token ${TOKEN} here`, TOKEN)).toBe('token *** here')
  })
})
