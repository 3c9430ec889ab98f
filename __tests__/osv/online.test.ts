import { describe, it, expect, afterEach } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { lookupOsv, type OsvOptions } from '../../src/osv/lookup.js'
import { vulnUrl } from '../../src/osv/online.js'
import type { PackageChange } from '../../src/types.js'
import { makeChange } from '../helpers/factories.js'
import { FIXTURE_FOLDER, jsonFilesUnder } from './fixture-db.js'
import { startFakeOsv, unreachableUrl, type FakeOsv, type FakeOsvOptions } from './fake-osv.js'

function change(name: string, version: string): PackageChange {
  return makeChange({ name, version, previousVersion: null })
}

async function fixtureRecords(): Promise<Record<string, unknown>> {
  const records: Record<string, unknown> = {}
  for (const path of await jsonFilesUnder(FIXTURE_FOLDER)) {
    const record = JSON.parse(await readFile(path, 'utf8'))
    records[record.id] = record
  }
  return records
}

let fake: FakeOsv | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function online(
  serverOptions: FakeOsvOptions,
  changes: PackageChange[],
  lookupOptions: Partial<OsvOptions> = {}
) {
  fake = await startFakeOsv({ records: await fixtureRecords(), ...serverOptions })
  return lookupOsv(changes, { mode: 'online', url: fake.url, timeoutMs: 2000, ...lookupOptions })
}

const DEGRADED = /known-malicious versions were checked against the bundled feed only$/

describe('online OSV lookup', () => {
  it('asks the batch API, then fetches the details of MAL- records only', async () => {
    const result = await online(
      { answers: { 'osv-target@1.0.0': ['GHSA-2099-vvvv-wwww', 'MAL-2099-0001'] } },
      [change('osv-target', '1.0.0'), change('left-pad', '1.3.0')]
    )
    expect(result).toEqual({
      matches: new Map([
        [
          'osv-target@1.0.0',
          [
            {
              id: 'MAL-2099-0001',
              summary: 'Malicious code in osv-target (npm)',
              shape: 'all',
              source: 'online'
            }
          ]
        ]
      ]),
      notices: [],
      errors: []
    })
    expect(fake!.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/querybatch',
      'GET /v1/vulns/MAL-2099-0001'
    ])
    expect(fake!.requests[0].body).toEqual({
      queries: [
        { package: { name: 'osv-target', ecosystem: 'npm' }, version: '1.0.0' },
        { package: { name: 'left-pad', ecosystem: 'npm' }, version: '1.3.0' }
      ]
    })
  })

  it('reports the shape of the record: an exact version, a range', async () => {
    const result = await online(
      {
        answers: {
          'hijacked-widget@2.3.2': ['MAL-2099-0002'],
          'mail-relay-mcp@1.0.18': ['MAL-2099-0003']
        }
      },
      [change('hijacked-widget', '2.3.2'), change('mail-relay-mcp', '1.0.18')]
    )
    expect(result.matches.get('hijacked-widget@2.3.2')).toEqual([
      expect.objectContaining({ shape: 'versions', aliases: ['GHSA-2099-wwww-xxxx'] })
    ])
    expect(result.matches.get('mail-relay-mcp@1.0.18')).toEqual([
      expect.objectContaining({ id: 'MAL-2099-0003', shape: 'range' })
    ])
  })

  it('splits more than 1,000 queries into several requests', async () => {
    const changes = Array.from({ length: 1500 }, (_, i) => change(`pkg-${i}`, '1.0.0'))
    const result = await online({ answers: { 'pkg-1499@1.0.0': ['MAL-2099-0001'] } }, changes)
    const batches = fake!.requests.filter((r) => r.method === 'POST')
    expect(batches.map((r) => r.body?.queries.length)).toEqual([1000, 500])
    expect(batches[1].body?.queries[499]).toMatchObject({ package: { name: 'pkg-1499' } })
    expect([...result.matches.keys()]).toEqual(['pkg-1499@1.0.0'])
  })

  it('follows next_page_token for the queries that have more', async () => {
    const result = await online(
      { answers: { 'osv-target@1.0.0': ['MAL-2099-0001', 'MAL-2099-0006'] }, pageSize: 1 },
      [change('osv-target', '1.0.0'), change('left-pad', '1.3.0')]
    )
    const batches = fake!.requests.filter((r) => r.method === 'POST')
    expect(batches).toHaveLength(2)
    expect(batches[1].body?.queries).toEqual([
      { package: { name: 'osv-target', ecosystem: 'npm' }, version: '1.0.0', page_token: '1' }
    ])
    expect(result.matches.get('osv-target@1.0.0')?.map((m) => m.id)).toEqual([
      'MAL-2099-0001',
      'MAL-2099-0006'
    ])
  })

  it('drops a record whose details say it was withdrawn', async () => {
    const result = await online({ answers: { 'falsely-flagged@1.0.0': ['MAL-2099-0005'] } }, [
      change('falsely-flagged', '1.0.0')
    ])
    expect(result.matches.size).toBe(0)
    expect(result.notices).toEqual([])
  })

  it('keeps a match whose details cannot be fetched, at full weight, and says so', async () => {
    const result = await online({ answers: { 'osv-target@1.0.0': ['MAL-2099-9999'] } }, [
      change('osv-target', '1.0.0')
    ])
    expect(result.matches.get('osv-target@1.0.0')).toEqual([
      { id: 'MAL-2099-9999', shape: 'range', source: 'online' }
    ])
    expect(result.notices).toEqual([expect.stringContaining('MAL-2099-9999')])
  })

  it('retries a 503 and gets there', async () => {
    const result = await online(
      { answers: { 'osv-target@1.0.0': ['MAL-2099-0001'] }, failFirst: 2 },
      [change('osv-target', '1.0.0')]
    )
    expect(result.matches.get('osv-target@1.0.0')).toHaveLength(1)
    expect(result.notices).toEqual([])
  })
})

describe('online OSV lookup when OSV cannot be used', () => {
  it('leaves a notice and no error when nothing listens', async () => {
    const url = await unreachableUrl()
    const result = await lookupOsv([change('osv-target', '1.0.0')], { mode: 'online', url })
    expect(result.errors).toEqual([])
    expect(result.matches.size).toBe(0)
    expect(result.notices).toEqual([
      expect.stringMatching(/^OSV could not be reached \(ECONNREFUSED\): /)
    ])
    expect(result.notices[0]).toMatch(DEGRADED)
  })

  it('gives up on a server that never answers, within the time limit', async () => {
    const started = Date.now()
    const result = await online({ hang: true }, [change('osv-target', '1.0.0')], {
      timeoutMs: 150
    })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(result.errors).toEqual([])
    expect(result.notices).toEqual([expect.stringContaining('no answer within 150 ms')])
    expect(result.notices[0]).toMatch(DEGRADED)
    expect(fake!.requests).toHaveLength(3) // one try and two retries
  })

  it('leaves a notice when OSV keeps failing with 503', async () => {
    const result = await online({ failFirst: 100 }, [change('osv-target', '1.0.0')])
    expect(result.errors).toEqual([])
    expect(result.notices).toEqual([
      expect.stringMatching(/^OSV could not be reached \(HTTP 503\)/)
    ])
  })

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['the wrong number of results', '{"results": []}'],
    ['vulns that are not a list', '{"results": [{"vulns": "MAL-1"}]}']
  ])('leaves a notice on a malformed answer: %s', async (_label, batchBody) => {
    const result = await online({ batchBody }, [change('osv-target', '1.0.0')])
    expect(result.errors).toEqual([])
    expect(result.matches.size).toBe(0)
    expect(result.notices).toEqual([
      expect.stringMatching(/^OSV answered with a malformed response/)
    ])
  })
})

describe('vulnUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/v1/querybatch', 'http://127.0.0.1:8080/v1/vulns/MAL-2099-1'],
    ['http://mirror.test/osv/v1/querybatch/', 'http://mirror.test/osv/v1/vulns/MAL-2099-1'],
    ['http://mirror.test/custom-endpoint', 'http://mirror.test/v1/vulns/MAL-2099-1']
  ])('%s -> %s', (batchUrl, expected) => {
    expect(vulnUrl(batchUrl, 'MAL-2099-1')).toBe(expected)
  })
})
