import { describe, expect, it } from '@jest/globals'
import { nativeBinaries, nativeKindOf } from '../../../../src/rules/lib/blob/binaries.js'
import type { PackageFile } from '../../../../src/types.js'
import { makeFiles } from '../../../helpers/factories.js'

function binary(path: string, extra: Record<string, unknown> = {}): PackageFile {
  return { path, size: 10, truncated: false, binary: true, ...extra }
}

describe('nativeKindOf', () => {
  it.each([
    ['node-gyp.dll', 'windows'],
    ['bin/tool.EXE', 'windows'],
    ['prebuilds/linux-x64/addon.node', 'addon'],
    ['lib/libvips.so.42', 'library'],
    ['lib/libfoo.dylib', 'library'],
    ['bin/esbuild', 'unknown'],
    ['payload.bin', 'unknown'],
    ['assets/logo.png', undefined],
    ['fonts/a.woff2', undefined],
    ['.DS_Store', undefined],
    ['data/model.onnx', undefined]
  ])('%s is %s', (path, kind) => {
    expect(nativeKindOf(binary(path))).toBe(kind)
  })

  it('ignores text files, whatever their name', () => {
    expect(nativeKindOf({ ...binary('notes.exe'), binary: false, text: 'hi' })).toBeUndefined()
  })

  it('trusts magic bytes over the name when the unpacker provides them', () => {
    expect(nativeKindOf(binary('assets/logo.png', { magic: 'pe' }))).toBe('windows')
    expect(nativeKindOf(binary('data.txt', { magic: 'elf' }))).toBe('library')
    expect(nativeKindOf(binary('assets/logo.png', { magic: 'gif' }))).toBeUndefined()
  })
})

describe('nativeBinaries', () => {
  it('lists native code only, sorted by path', () => {
    const files = makeFiles({
      'z.dll': Buffer.from([0x4d, 0x5a, 0]),
      'a.node': Buffer.from([0x7f, 0x45, 0]),
      'logo.png': Buffer.from([0x89, 0x50, 0]),
      'index.js': 'module.exports = 1'
    })
    expect(nativeBinaries(files).map((found) => [found.file.path, found.kind])).toEqual([
      ['a.node', 'addon'],
      ['z.dll', 'windows']
    ])
  })
})
