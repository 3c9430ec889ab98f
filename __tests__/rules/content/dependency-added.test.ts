import { describe, expect, it } from '@jest/globals'
import { isOutsideRegistry, rule } from '../../../src/rules/content/dependency-added.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

type Fields = Record<string, unknown>

function pkg(fields: Fields): string {
  return JSON.stringify({ name: 'example-pkg', version: '1.0.1', ...fields }, null, 2)
}

function changed(before: Fields, after: Fields) {
  return makeContext({
    files: makeFiles({ 'package.json': pkg(after) }),
    previousFiles: makeFiles({ 'package.json': pkg(before) })
  })
}

const AXIOS_BEFORE = { dependencies: { 'follow-redirects': '^1.15.6', 'form-data': '^4.0.0' } }

describe('content/dependency-added', () => {
  it('reports a new runtime dependency with the package.json line (low without code to search)', async () => {
    const after = {
      dependencies: { ...AXIOS_BEFORE.dependencies, 'plain-crypto-js': '^4.2.1' }
    }
    const findings = await rule.check(changed(AXIOS_BEFORE, after))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'content/dependency-added', severity: 'low' })
    expect(findings[0]?.message).toContain('adds the dependency plain-crypto-js@"^4.2.1"')
    expect(findings[0]?.message).toContain('analysed as its own lockfile entry')
    expect(findings[0]?.evidence).toEqual([
      { file: 'package.json', line: 7, snippet: '"plain-crypto-js": "^4.2.1"' }
    ])
  })

  it.each([
    ['an optional dependency', { optionalDependencies: { x: '1.0.0' } }, 'low'],
    ['a tarball URL', { dependencies: { x: 'https://203.0.113.7/x-1.0.0.tgz' } }, 'high'],
    ['a git URL', { dependencies: { x: 'git+ssh://git@host.invalid/a/x.git' } }, 'high'],
    ['a GitHub shorthand', { dependencies: { x: 'someone/x#main' } }, 'high'],
    ['a file path', { dependencies: { x: 'file:../x' } }, 'high']
  ])('fires on %s', async (_name, after, severity) => {
    const findings = await rule.check(changed({}, after))
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  it.each([
    ['no file refers to it (the axios shape)', "module.exports = require('./lib/axios')", 'high'],
    ['the code requires it', "const c = require('plain-crypto-js')", 'low'],
    ['the code imports a subpath', "import c from 'plain-crypto-js/aes'", 'low'],
    ['a script runs it', '', 'low']
  ])('grades a new dependency when %s', async (name, code, severity) => {
    const scripts = name.startsWith('a script') ? { prepare: 'plain-crypto-js --init' } : {}
    const after = { scripts, dependencies: { 'plain-crypto-js': '^4.2.1' } }
    const ctx = makeContext({
      files: makeFiles({ 'package.json': pkg(after), 'index.js': code }),
      previousFiles: makeFiles({ 'package.json': pkg({}), 'index.js': code })
    })
    const findings = await rule.check(ctx)
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
    if (severity === 'high')
      expect(findings[0]?.message).toContain('no file of the package refers to')
  })

  it.each([
    ['a type package', { dependencies: { '@types/node': '*' } }, {}],
    [
      'a platform sibling',
      { optionalDependencies: { '@esbuild/linux-x64': '1', '@esbuild/sunos-x64': '1' } },
      { optionalDependencies: { '@esbuild/linux-x64': '1' } }
    ]
  ])('does not call %s unreferenced', async (_name, after, before) => {
    const ctx = makeContext({
      files: makeFiles({ 'package.json': pkg(after), 'index.js': 'module.exports = 1' }),
      previousFiles: makeFiles({ 'package.json': pkg(before), 'index.js': 'module.exports = 1' })
    })
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).not.toContain('no file of the package refers to')
    expect(['info', 'low']).toContain(findings[0]?.severity)
  })

  /** A package named `owner` that adds `after` to a previous version without them. */
  function withCode(owner: string, after: Fields, code = 'module.exports = 1') {
    const files = (fields: Fields) =>
      makeFiles({
        'package.json': JSON.stringify({ name: owner, version: '1.0.1', ...fields }),
        'index.js': code
      })
    return makeContext({
      change: makeChange({ name: owner }),
      files: files(after),
      previousFiles: files({})
    })
  }

  it.each([
    ['typescript', '@typescript/typescript-win32-x64', 'info'],
    ['typescript', '@typescript/typescript-linux-mips64el', 'info'],
    ['esbuild', '@esbuild/sunos-x64', 'info'],
    ['@swc/core', '@swc/core-linux-x64-musl', 'info'],
    ['lightningcss', 'lightningcss-freebsd-x64', 'info'],
    ['sharp', '@img/sharp-darwin-arm64', 'info'],
    ['some-tool', '@other/engine-android-arm', 'low'],
    ['some-tool', 'fast-engine-aix-ppc64', 'low']
  ])(
    'grades %s adding the platform package %s as %s, never unreferenced',
    async (owner, dep, want) => {
      const findings = await rule.check(
        withCode(owner, { optionalDependencies: { [dep]: '1.0.0' } })
      )
      expect(findings.map((finding) => finding.severity)).toEqual([want])
      expect(findings[0]?.message).not.toContain('no file of the package refers to')
    }
  )

  it('does not treat a platform-named runtime dependency as a platform build', async () => {
    const findings = await rule.check(
      withCode('some-tool', { dependencies: { 'crypto-helper-linux-x64': '1.0.0' } })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
  })

  it('does not take a same-family optional dependency without a platform word for a build', async () => {
    const ctx = makeContext({
      files: makeFiles({
        'package.json': pkg({ optionalDependencies: { 'node-fetch': '1', 'node-stealer': '1' } }),
        'index.js': "require('node-fetch')"
      }),
      previousFiles: makeFiles({
        'package.json': pkg({ optionalDependencies: { 'node-fetch': '1' } }),
        'index.js': "require('node-fetch')"
      })
    })
    expect((await rule.check(ctx)).map((finding) => finding.severity)).toEqual(['high'])
  })

  it('grades an unreferenced dependency from the package own scope low', async () => {
    const findings = await rule.check(
      withCode('@solana/web3.js', { dependencies: { '@solana/sysvars': '2.0.0' } })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['low'])
    expect(findings[0]?.message).toContain("package's own npm scope")
  })

  it('keeps high for an unreferenced dependency of another scope', async () => {
    const findings = await rule.check(
      withCode('@solana/web3.js', { dependencies: { '@solana-labs/sysvars': '2.0.0' } })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
  })

  it('lists the most severe findings first, before the cap', async () => {
    const platforms = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`@typescript/typescript-linux-x64-${i}`, '1.0.0'])
    )
    const findings = await rule.check(
      withCode('typescript', {
        optionalDependencies: platforms,
        dependencies: { 'plain-crypto-js': '^4.2.1' }
      })
    )
    expect(findings).toHaveLength(20)
    expect(findings[0]).toMatchObject({ severity: 'high' })
    expect(findings[0]?.message).toContain('plain-crypto-js')
  })

  it('fires high when an existing dependency moves to a URL', async () => {
    const findings = await rule.check(
      changed({ dependencies: { x: '^1.0.0' } }, { dependencies: { x: 'https://h.invalid/x.tgz' } })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
    expect(findings[0]?.message).toContain('moves the dependency x from "^1.0.0"')
  })

  it('grades a former peer dependency low', async () => {
    const findings = await rule.check(
      changed({ peerDependencies: { react: '>=18' } }, { dependencies: { react: '^18.0.0' } })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['low'])
  })

  it('reads the registry metadata when the tarball has no package.json', async () => {
    const ctx = makeContext({
      manifest: makeManifest({ dependencies: { a: '1', b: '1' } }),
      previousManifest: makeManifest({ version: '1.0.0', dependencies: { a: '1' } })
    })
    const findings = await rule.check(ctx)
    expect(findings.map((finding) => finding.evidence[0])).toEqual([
      { file: 'package.json', snippet: '"b": "1"' }
    ])
  })

  it.each([
    ['a version bump', { dependencies: { a: '^1.0.0' } }, { dependencies: { a: '^2.0.0' } }],
    [
      'a new devDependency',
      { dependencies: { a: '1' } },
      { dependencies: { a: '1' }, devDependencies: { jest: '29' } }
    ],
    ['a removed dependency', { dependencies: { a: '1', b: '1' } }, { dependencies: { a: '1' } }],
    [
      'a move to optionalDependencies',
      { dependencies: { a: '1' } },
      { optionalDependencies: { a: '1' } }
    ],
    ['an alias to the registry', { dependencies: { a: '1' } }, { dependencies: { a: 'npm:b@1' } }],
    [
      'a git dependency that was already git',
      { dependencies: { a: 'a/b#v1' } },
      { dependencies: { a: 'a/b#v2' } }
    ]
  ])('stays quiet on %s', async (_name, before, after) => {
    expect(await rule.check(changed(before, after))).toEqual([])
  })

  it('stays quiet on an added package and when the previous version is unknown', async () => {
    const after = makeFiles({ 'package.json': pkg({ dependencies: { a: '1' } }) })
    const addedCtx = makeContext({ change: makeChange({ previousVersion: null }), files: after })
    expect(await rule.check(addedCtx)).toEqual([])
    expect(await rule.check(makeContext({ files: after }))).toEqual([])
  })

  it.each([
    ['^1.2.3', false],
    ['latest', false],
    ['npm:other@^1', false],
    ['1.x || >=2.5.0', false],
    ['https://h.invalid/x.tgz', true],
    ['github:a/b', true],
    ['a/b', true],
    ['./local', true]
  ])('isOutsideRegistry(%s) is %s', (spec, expected) => {
    expect(isOutsideRegistry(spec)).toBe(expected)
  })
})
