import { describe, expect, it } from '@jest/globals'
import {
  aliasesOf,
  mentions,
  unreferencedModules
} from '../../../../src/rules/lib/blob/module-references.js'
import { readPackageJson } from '../../../../src/rules/lib/blob/package-json.js'
import { makeFiles } from '../../../helpers/factories.js'

describe('mentions', () => {
  it.each([
    ["require('x')", 'x', true],
    ['import y from "x/sub"', 'x', true],
    ['await import(`x`)', 'x', true],
    ["@import '~x/a.css'", 'x', true],
    ["require('x-plus')", 'x', false],
    ["require('@s/x')", 'x', false],
    ['a word x in prose', 'x', false]
  ])('%s names %s: %s', (text, name, expected) => {
    expect(mentions(text, name)).toBe(expected)
  })
})

describe('aliasesOf', () => {
  it.each([
    ['eslint-plugin-react', ['eslint-plugin-react', 'react']],
    ['@acme/eslint-plugin', ['@acme/eslint-plugin', '@acme']],
    ['@acme/eslint-plugin-x', ['@acme/eslint-plugin-x', '@acme/x']],
    ['plain-crypto-js', ['plain-crypto-js']]
  ])('%s', (name, aliases) => {
    expect(aliasesOf(name)).toEqual(aliases)
  })
})

describe('unreferencedModules', () => {
  const files = makeFiles({
    'package.json': JSON.stringify({
      scripts: { build: 'tsc && tool-b' },
      dependencies: { c: '1' }
    }),
    'index.js': "require('a')",
    'README.md': "require('d')",
    '.eslintrc.json': '{ "plugins": ["react"] }'
  })
  const pkg = readPackageJson(files, undefined)

  it('lists names only package.json or docs mention', () => {
    expect(
      unreferencedModules(files, pkg, ['a', 'tool-b', 'c', 'd', 'eslint-plugin-react'])
    ).toEqual(['c', 'd'])
  })

  it('gives up past its budget', () => {
    expect(unreferencedModules(files, pkg, ['c'], 5)).toBeUndefined()
  })
})
