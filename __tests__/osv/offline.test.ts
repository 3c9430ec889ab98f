import { describe, it, expect, beforeAll } from '@jest/globals'
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lookupOsv } from '../../src/osv/lookup.js'
import type { PackageChange } from '../../src/types.js'
import { makeChange, makeLocked } from '../helpers/factories.js'
import { buildExportZip, FIXTURE_FOLDER } from './fixture-db.js'

function change(name: string, version: string): PackageChange {
  return makeChange({ name, version, previousVersion: null })
}

const URL_NEVER_USED = 'http://127.0.0.1:9/v1/querybatch'

async function offline(db: string, changes: PackageChange[]) {
  return lookupOsv(changes, { mode: 'offline', url: URL_NEVER_USED, db })
}

// the same expectations hold for the folder and for the zip built from it
describe.each([
  ['a folder in the layout of ossf/malicious-packages', async () => FIXTURE_FOLDER],
  ["a zip in the layout of OSV's npm/all.zip", () => buildExportZip()]
])('offline OSV from %s', (_label, makeDb) => {
  let db: string
  beforeAll(async () => {
    db = await makeDb()
  })

  it.each([
    ['osv-target', '1.0.0', 'MAL-2099-0001', 'all'],
    ['hijacked-widget', '2.3.2', 'MAL-2099-0002', 'versions'],
    ['mail-relay-mcp', '1.0.16', 'MAL-2099-0003', 'range'],
    ['mail-relay-mcp', '1.0.18', 'MAL-2099-0003', 'range'],
    ['@synthetic/tinted', '4.1.1', 'MAL-2099-0004', 'all'],
    ['two-lines', '1.0.1', 'MAL-2099-0006', 'range'],
    ['two-lines', '3.1.0', 'MAL-2099-0006', 'range']
  ])('matches %s@%s with %s (%s)', async (name, version, id, shape) => {
    const result = await offline(db, [change(name, version)])
    expect(result.errors).toEqual([])
    expect(result.matches.get(`${name}@${version}`)).toEqual([
      expect.objectContaining({ id, shape, source: 'offline', summary: expect.any(String) })
    ])
  })

  it.each([
    ['mail-relay-mcp', '1.0.15', 'before the range'],
    ['hijacked-widget', '2.3.0', 'not in the list'],
    ['hijacked-widget', '9.9.9', 'listed by a PyPI record only'],
    ['two-lines', '2.0.0', 'between two ranges'],
    ['two-lines', '3.1.1', 'after last_affected'],
    ['falsely-flagged', '1.0.0', 'a withdrawn record'],
    ['vuln-only', '1.0.0', 'a GHSA vulnerability, not a MAL- record'],
    ['left-pad', '1.3.0', 'in no record']
  ])('does not match %s@%s (%s)', async (name, version) => {
    const result = await offline(db, [change(name, version)])
    expect(result.matches.size).toBe(0)
    expect(result.errors).toEqual([])
  })

  it('keeps aliases, looks at each name@version once, and skips non-registry sources', async () => {
    const gitChange = {
      ...change('osv-target', '1.0.0'),
      locked: makeLocked({ name: 'osv-target', version: '1.0.0', source: 'git' })
    }
    const result = await offline(db, [
      change('hijacked-widget', '2.3.1'),
      { ...change('hijacked-widget', '2.3.1'), lockfile: 'packages/a/package-lock.json' },
      gitChange
    ])
    expect([...result.matches.keys()]).toEqual(['hijacked-widget@2.3.1'])
    expect(result.matches.get('hijacked-widget@2.3.1')).toEqual([
      expect.objectContaining({ id: 'MAL-2099-0002', aliases: ['GHSA-2099-wwww-xxxx'] })
    ])
    expect(result.notices).toEqual([])
  })
})

describe('offline OSV, degraded and failing cases', () => {
  it('fails with EOSV when the database does not exist', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'lockgate-osv-')), 'nope.zip')
    const result = await offline(missing, [change('osv-target', '1.0.0')])
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'EOSV', message: expect.stringContaining('nope.zip') })
    ])
    expect(result.matches.size).toBe(0)
  })

  it('fails with EOSV on a file that is not a zip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockgate-osv-'))
    await writeFile(join(dir, 'all.zip'), 'this is not a zip archive')
    const result = await offline(join(dir, 'all.zip'), [change('osv-target', '1.0.0')])
    expect(result.errors.map((error) => error.code)).toEqual(['EOSV'])
  })

  it('skips files that are not OSV records, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockgate-osv-'))
    await mkdir(join(dir, 'npm', 'evil'), { recursive: true })
    await writeFile(join(dir, 'npm', 'evil', 'broken.json'), '{ not json')
    await writeFile(join(dir, 'npm', 'evil', 'no-id.json'), '{"affected": []}')
    await writeFile(join(dir, 'npm', 'evil', 'notes.txt'), 'ignored: not .json')
    await writeFile(
      join(dir, 'npm', 'evil', 'MAL-2099-0100.json'),
      JSON.stringify({
        id: 'MAL-2099-0100',
        affected: [{ package: { ecosystem: 'npm', name: 'evil' }, versions: ['1.0.0'] }]
      })
    )
    const result = await offline(dir, [change('evil', '1.0.0')])
    expect(result.matches.get('evil@1.0.0')).toEqual([
      { id: 'MAL-2099-0100', shape: 'versions', source: 'offline' }
    ])
    expect(result.notices).toEqual([
      expect.stringMatching(/^2 file\(s\) in the OSV database .* skipped/)
    ])
    expect(result.errors).toEqual([])
  })

  it('skips an oversized zip entry without inflating it', async () => {
    const huge = JSON.stringify({ id: 'MAL-2099-0200', affected: [], pad: 'x'.repeat(1_100_000) })
    const zip = await buildExportZip({ 'MAL-2099-0200.json': huge })
    const result = await offline(zip, [change('osv-target', '1.0.0')])
    expect(result.matches.get('osv-target@1.0.0')).toHaveLength(1)
    expect(result.notices).toEqual([expect.stringMatching(/^1 file\(s\) .* skipped/)])
  })

  it('reads a zip with more entries than one pass holds', async () => {
    const extra: Record<string, string> = {}
    for (let i = 0; i < 12_000; i += 1) {
      const id = `MAL-2099-${String(10_000 + i)}`
      const name = `filler-${i}`
      extra[`${id}.json`] = JSON.stringify({
        id,
        affected: [{ package: { ecosystem: 'npm', name }, versions: ['1.0.0'] }]
      })
    }
    const zip = await buildExportZip(extra)
    const result = await offline(zip, [
      change('filler-0', '1.0.0'),
      change('filler-11999', '1.0.0')
    ])
    expect([...result.matches.keys()].sort()).toEqual(['filler-0@1.0.0', 'filler-11999@1.0.0'])
    expect(result.notices).toEqual([])
  })

  it('says so when the database holds no records at all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockgate-osv-'))
    const result = await offline(dir, [change('osv-target', '1.0.0')])
    expect(result.errors).toEqual([])
    expect(result.notices).toEqual([expect.stringContaining('holds no OSV records')])
  })

  it('does nothing when OSV is off', async () => {
    const result = await lookupOsv([change('osv-target', '1.0.0')], {
      mode: 'off',
      url: URL_NEVER_USED
    })
    expect(result).toEqual({ matches: new Map(), notices: [], errors: [] })
  })
})
