import { describe, expect, it } from '@jest/globals'
import {
  baseNameOf,
  hasPlatformToken,
  namedAfter,
  sameScope,
  scopeOf
} from '../../../../src/rules/lib/blob/dependency-names.js'

describe('dependency names', () => {
  it('splits scope and base name', () => {
    expect(scopeOf('@solana/sysvars')).toBe('@solana')
    expect(scopeOf('sysvars')).toBeUndefined()
    expect(scopeOf('@/x')).toBeUndefined()
    expect(baseNameOf('@solana/sysvars')).toBe('sysvars')
    expect(baseNameOf('left-pad')).toBe('left-pad')
  })

  it.each([
    ['@solana/sysvars', '@solana/web3.js', true],
    ['@solana-labs/x', '@solana/web3.js', false],
    ['sysvars', 'web3', false]
  ])('sameScope(%s, %s) is %s', (a, b, expected) => {
    expect(sameScope(a, b)).toBe(expected)
  })

  it.each([
    ['@typescript/typescript-win32-x64', true],
    ['@esbuild/linux-loong64', true],
    ['lightningcss-linux-x64-gnu', true],
    ['@rollup/rollup-win32-arm64-msvc', true],
    ['fsevents', false],
    ['plain-crypto-js', false],
    ['armada', false],
    ['@linux/tools', false]
  ])('hasPlatformToken(%s) is %s', (name, expected) => {
    expect(hasPlatformToken(name)).toBe(expected)
  })

  it.each([
    ['@typescript/typescript-linux-x64', 'typescript', true],
    ['@esbuild/linux-x64', 'esbuild', true],
    ['@swc/core-darwin-arm64', '@swc/core', true],
    ['lightningcss-linux-x64-gnu', 'lightningcss', true],
    ['@img/sharp-linux-x64', 'sharp', true],
    ['@esbuild/linux-x64', 'tsx', false],
    ['crypto-linux-x64', 'axios', false]
  ])('namedAfter(%s, %s) is %s', (dependency, owner, expected) => {
    expect(namedAfter(dependency, owner)).toBe(expected)
  })
})
