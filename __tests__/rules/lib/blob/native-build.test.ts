import { describe, expect, it } from '@jest/globals'
import { buildsNativeCode, inPlatformFolder } from '../../../../src/rules/lib/blob/native-build.js'
import { makeFiles, makeManifest } from '../../../helpers/factories.js'

function withPackageJson(fields: Record<string, unknown>, extra: Record<string, string> = {}) {
  return makeFiles({ 'package.json': JSON.stringify({ name: 'x', ...fields }), ...extra })
}

describe('buildsNativeCode', () => {
  it.each([
    ['a root binding.gyp', withPackageJson({}, { 'binding.gyp': '{}' }), true],
    ['a nested binding.gyp', withPackageJson({}, { 'native/binding.gyp': '{}' }), true],
    ['gypfile: true', withPackageJson({ gypfile: true }), true],
    ['node-gyp rebuild', withPackageJson({ scripts: { install: 'node-gyp rebuild' } }), true],
    [
      'node-pre-gyp through a path',
      withPackageJson({ scripts: { install: './node_modules/.bin/node-pre-gyp install' } }),
      true
    ],
    [
      'prebuild-install || node-gyp',
      withPackageJson({ scripts: { install: 'prebuild-install || node-gyp rebuild' } }),
      true
    ],
    [
      'node install.js (Scavenger)',
      withPackageJson({ scripts: { install: 'node install.js' } }),
      false
    ],
    [
      'node-gyp in a build script only',
      withPackageJson({ scripts: { build: 'node-gyp rebuild' } }),
      false
    ],
    ['a pure-JS package', withPackageJson({}, { 'index.js': '' }), false],
    ['gypfile: "true" (a string)', withPackageJson({ gypfile: 'true' }), false]
  ])('%s -> %s', (_name, files, expected) => {
    expect(buildsNativeCode(files, undefined)).toBe(expected)
  })

  it('reads the registry metadata too', () => {
    expect(buildsNativeCode(undefined, makeManifest({ gypfile: true }))).toBe(true)
    expect(buildsNativeCode(undefined, undefined)).toBe(false)
  })
})

describe('inPlatformFolder', () => {
  it.each([
    ['prebuilds/win32-x64/bcrypt.node', true],
    ['prebuilds/win32-arm64/conpty/OpenConsole.exe', true],
    ['bin/linux-arm64-musl/tool', true],
    ['darwin-universal/lib.dylib', true],
    ['third_party/conpty/1.23.251008001/win10-x64/OpenConsole.exe', true],
    ['runtimes/linux-musl-x64/native/libx.so', true],
    ['prebuilds/linux-gnu/addon.node', false],
    ['build/Release/addon.node', false],
    ['win32-x64.dll', false],
    ['prebuilds/linux/addon.node', false],
    ['node-gyp.dll', false]
  ])('%s -> %s', (path, expected) => {
    expect(inPlatformFolder(path)).toBe(expected)
  })
})
