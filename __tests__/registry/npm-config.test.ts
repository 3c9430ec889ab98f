import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  envConfig,
  expandEnv,
  loadNpmConfig,
  parseNpmrc,
  redactUrl,
  registryFor,
  tarballUrl
} from '../../src/registry/npm-config.js'

let root: string
let home: string
let workspace: string
let lockfileDir: string

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lockgate-npmrc-'))
  home = join(root, 'home')
  workspace = join(root, 'repo')
  lockfileDir = join(workspace, 'apps', 'web')
  mkdirSync(home, { recursive: true })
  mkdirSync(lockfileDir, { recursive: true })
})

afterEach(() => rmSync(root, { recursive: true, force: true }))

const load = (env: NodeJS.ProcessEnv = {}) =>
  loadNpmConfig({ workspace, lockfileDir, env, homedir: home })

describe('loadNpmConfig', () => {
  it('layers user, workspace, lockfile .npmrc and environment, later ones winning', () => {
    writeFileSync(join(home, '.npmrc'), 'registry=http://user.test/\nstrict-ssl=false\n')
    expect(load()).toMatchObject({ registry: 'http://user.test/', strictSSL: false })
    writeFileSync(join(workspace, '.npmrc'), 'registry=http://workspace.test/\n')
    expect(load().registry).toBe('http://workspace.test/')
    writeFileSync(join(lockfileDir, '.npmrc'), 'registry=http://lockfile.test\n')
    expect(load().registry).toBe('http://lockfile.test/')
    expect(load({ NPM_CONFIG_REGISTRY: 'http://env.test/' }).registry).toBe('http://env.test/')
    expect(load({ npm_config_registry: 'http://env2.test/' }).registry).toBe('http://env2.test/')
    // the untouched user setting survives the layers above it
    expect(load().strictSSL).toBe(false)
  })

  it('reads the user config named by NPM_CONFIG_USERCONFIG instead of ~/.npmrc', () => {
    writeFileSync(join(home, '.npmrc'), 'registry=http://home.test/\n')
    writeFileSync(join(root, 'ci.npmrc'), 'registry=http://ci.test/\n')
    expect(load({ NPM_CONFIG_USERCONFIG: join(root, 'ci.npmrc') }).registry).toBe('http://ci.test/')
    expect(load({ npm_config_userconfig: join(root, 'ci.npmrc') }).registry).toBe('http://ci.test/')
  })

  it('keeps scoped registries and nerf-darted credentials, expanding ${VAR}', () => {
    writeFileSync(
      join(workspace, '.npmrc'),
      [
        '# company registry',
        '; another comment',
        '@acme:registry = http://acme.test/npm',
        '//acme.test/npm/:_authToken=${ACME_TOKEN}',
        '//other.test/:_auth="dXNlcjpwYXNz"',
        "//basic.test/:username='ci'",
        '//basic.test/:_password=cGFzcw== ; inline comment',
        'fetch-retries=4',
        'unknown-setting=ignored'
      ].join('\n')
    )
    expect(load({ ACME_TOKEN: 's3cret' })).toEqual({
      '@acme:registry': 'http://acme.test/npm/',
      '//acme.test/npm/:_authToken': 's3cret',
      '//other.test/:_auth': 'dXNlcjpwYXNz',
      '//basic.test/:username': 'ci',
      '//basic.test/:_password': 'cGFzcw==',
      fetchRetries: 4
    })
  })

  it('drops a credential whose variable is unset rather than sending `${VAR}` literally', () => {
    writeFileSync(join(workspace, '.npmrc'), '//acme.test/:_authToken=${MISSING_TOKEN}\n')
    expect(load()).toEqual({})
  })

  it('binds top-level credentials to the configured registry only', () => {
    writeFileSync(join(workspace, '.npmrc'), 'registry=http://corp.test/npm/\n_authToken=abc\n')
    expect(load()).toEqual({
      registry: 'http://corp.test/npm/',
      '//corp.test/npm/:_authToken': 'abc'
    })
    expect(load({ NPM_CONFIG__AUTHTOKEN: 'from-env' })['//corp.test/npm/:_authToken']).toBe(
      'from-env'
    )
    rmSync(join(workspace, '.npmrc'))
    writeFileSync(join(workspace, '.npmrc'), '_authToken=abc\n')
    expect(load()).toEqual({})
  })

  it('returns no registry when none is configured, so that pacote uses its default', () => {
    expect(load()).toEqual({})
  })
})

describe('parseNpmrc', () => {
  it('handles quotes, escapes, blank lines, sections and arrays', () => {
    const text = [
      '',
      'a = "quoted # not a comment"',
      'b = plain \\# kept',
      '[section]',
      'c[] = x',
      'd = "\\u0041"',
      'novalue'
    ].join('\r\n')
    expect(parseNpmrc(text, {})).toEqual({ a: 'quoted # not a comment', b: 'plain # kept', d: 'A' })
  })
})

describe('expandEnv', () => {
  it.each<[string, string | undefined]>([
    ['${A}', 'x'],
    ['pre-${A}-post', 'pre-x-post'],
    ['${UNSET?}', ''],
    ['${UNSET}', undefined],
    ['\\${A}', '${A}'],
    ['no variables', 'no variables']
  ])('%s', (input, expected) => {
    expect(expandEnv(input, { A: 'x' })).toBe(expected)
  })
})

describe('envConfig', () => {
  it('lower-cases and dashes keys, keeps a leading underscore and nerf-darted keys', () => {
    expect(
      envConfig({
        NPM_CONFIG_FETCH_RETRY_MINTIMEOUT: '10',
        NPM_CONFIG__AUTH: 'abc',
        'npm_config_//host.test/:_authToken': 'tok',
        NPM_CONFIG_EMPTY: '',
        PATH: '/bin'
      })
    ).toEqual({ 'fetch-retry-mintimeout': '10', _auth: 'abc', '//host.test/:_authToken': 'tok' })
  })
})

describe('registryFor', () => {
  const options = { registry: 'http://default.test', '@acme:registry': 'http://acme.test/npm/' }

  it.each<[string, string]>([
    ['left-pad', 'http://default.test/'],
    ['@acme/lib', 'http://acme.test/npm/'],
    ['@other/lib', 'http://default.test/']
  ])('%s -> %s', (name, expected) => {
    expect(registryFor(name, options)).toBe(expected)
  })

  it("falls back to pacote's default registry when none is configured", () => {
    expect(registryFor('left-pad', {})).toMatch(/^https:\/\/.+\/$/)
  })
})

describe('tarballUrl', () => {
  it.each<[string, string, string, string]>([
    ['left-pad', '1.3.0', 'http://r.test', 'http://r.test/left-pad/-/left-pad-1.3.0.tgz'],
    ['@acme/lib', '2.0.0', 'http://r.test/npm/', 'http://r.test/npm/@acme/lib/-/lib-2.0.0.tgz']
  ])('%s@%s', (name, version, registry, expected) => {
    expect(tarballUrl(name, version, registry)).toBe(expected)
  })
})

describe('redactUrl', () => {
  it('removes credentials and queries', () => {
    expect(redactUrl('https://user:pw@r.test/npm/?token=x')).toBe('https://r.test/npm/')
    expect(redactUrl('not a url')).toBe('(invalid registry URL)')
  })
})
