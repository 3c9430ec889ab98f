import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { DEFAULT_LIMITS, type UnpackLimits } from '../../src/registry/limits.js'
import {
  executableMagic,
  looksBinary,
  normalizeEntryPath,
  unpackTarball
} from '../../src/registry/unpack.js'
import { buildPackageTarball, buildTarball } from '../helpers/fake-registry.js'

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
const limits = (overrides: Partial<UnpackLimits>): UnpackLimits => ({
  ...DEFAULT_LIMITS,
  ...overrides
})

describe('unpackTarball', () => {
  it('reads text files in memory, without the top folder, with size and sha256', async () => {
    const tgz = buildPackageTarball('demo', '1.0.0', { 'index.js': 'module.exports = 1\n' })
    const result = await unpackTarball(tgz)
    expect([...result.files.keys()].sort()).toEqual(['index.js', 'package.json'])
    expect(result.files.get('index.js')).toEqual({
      path: 'index.js',
      size: 19,
      sha256: sha256('module.exports = 1\n'),
      text: 'module.exports = 1\n',
      truncated: false,
      binary: false
    })
    expect(result.limitsHit).toEqual([])
    expect(result.totalBytes).toBe(19 + result.files.get('package.json')!.size)
  })

  it('marks files with a NUL byte as binary, hashes them and keeps no text', async () => {
    const blob = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02])
    const result = await unpackTarball(buildPackageTarball('demo', '1.0.0', { 'bin/x.node': blob }))
    const file = result.files.get('bin/x.node')!
    expect(file).toMatchObject({ binary: true, size: 7, sha256: sha256(blob), truncated: false })
    expect(file.text).toBeUndefined()
  })

  it('keeps the first bytes of a large text file, hashes all of it and marks it truncated', async () => {
    const content = 'a'.repeat(50) + 'é'.repeat(50)
    const tgz = buildPackageTarball('demo', '1.0.0', { 'big.js': content })
    const result = await unpackTarball(tgz, limits({ maxTextBytes: 51 }))
    const file = result.files.get('big.js')!
    // byte 51 is the first byte of a two-byte `é`: the cut falls back to a whole character
    expect(file.text).toBe('a'.repeat(50))
    expect(file).toMatchObject({
      truncated: true,
      binary: false,
      size: 150,
      sha256: sha256(content)
    })
    expect(result.limitsHit).toEqual([])
  })

  it('does not hash files over the hash cap and says so', async () => {
    const tgz = buildPackageTarball('demo', '1.0.0', { 'huge.js': 'x'.repeat(200) })
    const result = await unpackTarball(tgz, limits({ maxHashBytes: 100 }))
    expect(result.files.get('huge.js')!.sha256).toBeUndefined()
    expect(result.limitsHit).toEqual([expect.stringContaining('huge.js is larger than 100 bytes')])
  })

  it('stops at the file-count limit', async () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.js`, `${i}`]))
    const result = await unpackTarball(
      buildPackageTarball('demo', '1.0.0', files),
      limits({ maxFiles: 3 })
    )
    expect(result.files.size).toBe(3)
    expect(result.limitsHit).toEqual([expect.stringContaining('more than 3 files')])
  })

  it('stops at the total-bytes limit', async () => {
    const files = { 'a.js': 'a'.repeat(60), 'b.js': 'b'.repeat(60), 'c.js': 'c'.repeat(60) }
    const tgz = buildTarball(
      Object.entries(files).map(([p, c]) => ({ path: `package/${p}`, content: c }))
    )
    const result = await unpackTarball(tgz, limits({ maxTotalBytes: 100 }))
    expect([...result.files.keys()]).toEqual(['a.js'])
    expect(result.totalBytes).toBe(60)
    expect(result.limitsHit).toEqual([
      expect.stringMatching(/more than 100 bytes.*stopped at b\.js/)
    ])
  })

  it('bounds decompression (gzip bomb)', async () => {
    const bomb = buildTarball([
      { path: 'package/zeros.txt', content: Buffer.alloc(8 * 1024 * 1024) }
    ])
    expect(bomb.length).toBeLessThan(64 * 1024)
    const result = await unpackTarball(bomb, limits({ maxDecompressedBytes: 256 * 1024 }))
    expect(result.files.size).toBe(0)
    expect(result.totalBytes).toBeLessThanOrEqual(256 * 1024)
    expect(result.limitsHit).toEqual([expect.stringContaining('decompresses to more than 256 KiB')])
  })

  it('refuses a second compression layer', async () => {
    const nested = gzipSync(buildPackageTarball('demo', '1.0.0', { 'a.js': 'x' }))
    const result = await unpackTarball(nested)
    expect(result.files.size).toBe(0)
    expect(result.limitsHit).toEqual([expect.stringContaining('compressed twice')])
  })

  it('reports data that is not a tar archive instead of throwing', async () => {
    const result = await unpackTarball(gzipSync(Buffer.from('x'.repeat(2000))))
    expect(result.files.size).toBe(0)
    expect(result.limitsHit).toEqual([expect.stringContaining('could not be read completely')])
  })

  it('normalises paths: any top folder, `./`, and skips `..`, directories and links', async () => {
    const tgz = buildTarball([
      { path: 'other-top/', type: 'Directory' },
      { path: 'other-top/./lib//a.js', content: 'a' },
      { path: 'other-top/../../escape.js', content: 'evil' },
      { path: 'other-top/lib/../../x.js', content: 'evil' },
      { path: 'other-top/link', type: 'SymbolicLink', linkpath: '/etc/passwd' },
      { path: 'top-level-file.js', content: 'dropped like npm does' }
    ])
    const result = await unpackTarball(tgz)
    expect([...result.files.keys()]).toEqual(['lib/a.js'])
    expect(result.limitsHit).toEqual([expect.stringContaining('2 tar entries')])
  })

  it('reads long (pax) paths', async () => {
    const long = `package/${'d'.repeat(120)}/file.js`
    const result = await unpackTarball(buildTarball([{ path: long, content: 'ok' }]))
    expect([...result.files.keys()]).toEqual([`${'d'.repeat(120)}/file.js`])
  })

  it('accepts a stream and an uncompressed tar', async () => {
    const tgz = buildPackageTarball('demo', '1.0.0', { 'a.js': 'A' })
    const fromStream = await unpackTarball(Readable.from([tgz.subarray(0, 10), tgz.subarray(10)]))
    expect(fromStream.files.get('a.js')?.text).toBe('A')
    const plain = buildTarball([{ path: 'package/b.js', content: 'B' }], { gzip: false })
    expect((await unpackTarball(plain)).files.get('b.js')?.text).toBe('B')
  })

  it('writes nothing to disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockgate-unpack-'))
    const cwd = process.cwd()
    try {
      process.chdir(dir)
      await unpackTarball(buildPackageTarball('demo', '1.0.0', { 'index.js': 'x' }))
      expect(readdirSync(dir)).toEqual([])
    } finally {
      process.chdir(cwd)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('normalizeEntryPath', () => {
  it.each<[string, string | undefined]>([
    ['package/index.js', 'index.js'],
    ['package\\lib\\a.js', 'lib/a.js'],
    ['/package/a.js', 'a.js'],
    ['package/', undefined],
    ['package/../a.js', undefined],
    ['package/a/../b.js', undefined]
  ])('%s -> %s', (raw, expected) => {
    expect(normalizeEntryPath(raw)).toBe(expected)
  })
})

describe('looksBinary', () => {
  it.each<[string, Buffer, boolean]>([
    ['plain text', Buffer.from('const a = 1\n'), false],
    ['UTF-8 text', Buffer.from('héllo wörld ✓'), false],
    ['a NUL byte', Buffer.from('abc\0def'), true],
    [
      'mostly invalid UTF-8',
      Buffer.from(Array.from({ length: 200 }, (_, i) => 0x80 + (i % 60))),
      true
    ],
    ['empty', Buffer.alloc(0), false]
  ])('%s', (_what, input, expected) => {
    expect(looksBinary(input)).toBe(expected)
  })
})

describe('executableMagic', () => {
  const bytes = (...values: number[]) => Buffer.from([...values, 0, 0, 0, 0, 0, 0, 0, 0])
  it.each([
    ['PE', bytes(0x4d, 0x5a, 0x90, 0), 'pe'],
    ['ELF', bytes(0x7f, 0x45, 0x4c, 0x46), 'elf'],
    ['Mach-O 64', bytes(0xcf, 0xfa, 0xed, 0xfe), 'macho'],
    ['Mach-O fat', bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2), 'macho'],
    ['Java class', bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52), undefined],
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47), undefined],
    ['too short', Buffer.from([0x4d, 0x5a]), undefined]
  ])('%s', (_name, head, expected) => {
    expect(executableMagic(head)).toBe(expected)
  })

  it('is recorded on binary files only', async () => {
    const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)])
    const files = await unpackTarball(
      buildPackageTarball('native', '1.0.0', { 'payload.dll': pe, 'notes.txt': 'MZ is a prefix' })
    )
    expect(files.files.get('payload.dll')?.magic).toBe('pe')
    expect(files.files.get('notes.txt')?.magic).toBeUndefined()
  })
})
