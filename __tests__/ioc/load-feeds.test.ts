import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GateError } from '../../src/errors.js'
import { checkFeedUrl, loadFeeds } from '../../src/ioc/load-feeds.js'

const USER_FEED = JSON.stringify({
  schema: 1,
  name: 'team feed',
  updated: '2026-01-01',
  indicators: [
    { type: 'package', value: 'internal-typo', incident: 'typosquat', source: 'team' },
    { type: 'domain', value: 'exfil.example', incident: 'typosquat', source: 'team' }
  ]
})

let workspace: string
let outside: string
let server: Server
let baseUrl: string

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lockgate-feeds-'))
  outside = await mkdtemp(join(tmpdir(), 'lockgate-outside-'))
  await mkdir(join(workspace, 'feeds'))
  await writeFile(join(workspace, 'feeds', 'team.json'), USER_FEED)
  await writeFile(join(workspace, 'feeds', 'broken.json'), '{"schema": 1,')
  await writeFile(join(outside, 'secret.json'), USER_FEED)
  await symlink(join(outside, 'secret.json'), join(workspace, 'feeds', 'link.json'))
  server = createServer((req, res) => {
    if (req.url === '/feed.json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(USER_FEED)
    } else if (req.url === '/missing.json') {
      res.writeHead(404)
      res.end()
    }
    if (req.url === '/huge.json') {
      res.writeHead(200, { 'content-length': String(30 * 1024 * 1024) })
      res.write('{')
    }
    // any other path: never answer
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((done) => server.close(done))
  await rm(workspace, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

async function feedError(promise: Promise<unknown>): Promise<GateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(GateError)
  expect((error as GateError).code).toBe('EFEED')
  return error as GateError
}

describe('loadFeeds', () => {
  it('loads the bundled feed by default', async () => {
    const index = await loadFeeds({ workspace, feeds: [] })
    expect(index.matchPackage('postmark-mcp', '1.0.16')).toHaveLength(1)
    expect(index.matchPackage('postmark-mcp', '1.0.15')).toHaveLength(0)
  })

  it('adds a feed file from the workspace', async () => {
    const index = await loadFeeds({ workspace, feeds: ['feeds/team.json', ' '] })
    expect(index.matchPackage('internal-typo', '1.0.0')[0]).toMatchObject({
      feed: 'feeds/team.json'
    })
    expect(index.matchPackage('chalk', '5.6.1')).toHaveLength(1)
  })

  it('can leave the bundled feed out', async () => {
    const index = await loadFeeds({ workspace, feeds: ['feeds/team.json'], useBundled: false })
    expect(index.size).toBe(2)
  })

  it('fetches a feed over http from 127.0.0.1', async () => {
    const url = `${baseUrl}/feed.json`
    const index = await loadFeeds({ workspace, feeds: [url], useBundled: false })
    expect(index.matchText('https://exfil.example/x')[0].entry.feed).toBe(url)
  })

  it('fails when the server does not answer in time', async () => {
    const url = `${baseUrl}/hang.json`
    const error = await feedError(loadFeeds({ workspace, feeds: [url], timeoutMs: 200 }))
    expect(error.message).toBe(`${url}: cannot fetch feed (timed out after 200 ms)`)
  })

  it('fails on an HTTP error', async () => {
    const error = await feedError(loadFeeds({ workspace, feeds: [`${baseUrl}/missing.json`] }))
    expect(error.message).toMatch(/HTTP 404/)
  })

  it.each([
    ['a path escaping the workspace', '../outside.json', /outside the workspace/],
    ['a symlink leaving the workspace', 'feeds/link.json', /outside the workspace/],
    ['a missing file', 'feeds/none.json', /feeds\/none\.json: cannot read feed/],
    ['a directory', 'feeds', /cannot read feed \(not a file\)/],
    ['an invalid feed', 'feeds/broken.json', /feeds\/broken\.json: is not valid JSON/],
    ['plain http to another host', 'http://feeds.example/f.json', /https:\/\/ URLs/],
    ['another scheme', 'ftp://feeds.example/f.json', /https:\/\/ URLs/]
  ])('rejects %s', async (_label, feed, message) => {
    const error = await feedError(loadFeeds({ workspace, feeds: [feed] }))
    expect(error.message).toMatch(message)
  })

  it('rejects an absolute path outside the workspace', async () => {
    const error = await feedError(loadFeeds({ workspace, feeds: [join(outside, 'secret.json')] }))
    expect(error.message).toMatch(/outside the workspace/)
  })

  it('rejects a feed larger than the cap before reading it', async () => {
    const error = await feedError(loadFeeds({ workspace, feeds: [`${baseUrl}/huge.json`] }))
    expect(error.message).toMatch(/larger than 20971520 bytes/)
  })

  it('uses the injected fetch for https feeds and rejects a redirect to plain http', async () => {
    const fetchImpl = (async () =>
      Object.defineProperty(new Response(USER_FEED), 'url', {
        value: 'http://mirror.example/feed.json'
      })) as unknown as typeof fetch
    const feeds = ['https://feeds.example/feed.json']
    const error = await feedError(loadFeeds({ workspace, feeds, fetchImpl }))
    expect(error.message).toMatch(/^http:\/\/mirror\.example\/feed\.json: feeds must be/)
  })

  it('accepts https feeds through the injected fetch', async () => {
    const fetchImpl = (async () => new Response(USER_FEED)) as unknown as typeof fetch
    const index = await loadFeeds({ workspace, feeds: ['https://feeds.example/f.json'], fetchImpl })
    expect(index.matchPackage('internal-typo', '2.0.0')).toHaveLength(1)
  })

  it('allows only https or loopback http', () => {
    expect(() => checkFeedUrl('https://feeds.example/a.json')).not.toThrow()
    expect(() => checkFeedUrl('http://localhost:4873/a.json')).not.toThrow()
    expect(() => checkFeedUrl('http://127.0.0.1.attacker.example/a.json')).toThrow(GateError)
  })
})
