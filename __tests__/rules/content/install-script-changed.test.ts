import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/install-script-changed.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

function packageJson(scripts: Record<string, string>, version = '1.0.1'): string {
  return JSON.stringify({ name: 'example-pkg', version, scripts }, null, 2) + '\n'
}

function changed(
  oldFiles: Record<string, string>,
  newFiles: Record<string, string>
): ReturnType<typeof makeContext> {
  return makeContext({ files: makeFiles(newFiles), previousFiles: makeFiles(oldFiles) })
}

describe('content/install-script-changed', () => {
  it('fires critical when postinstall changes to run a file this version adds (Nx shape)', async () => {
    const ctx = changed(
      {
        'package.json': packageJson({ postinstall: 'node ./scripts/post.js' }),
        'scripts/post.js': ''
      },
      {
        'package.json': packageJson({ postinstall: 'node telemetry.js' }),
        'scripts/post.js': '',
        'telemetry.js': '// collects'
      }
    )
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'content/install-script-changed',
      severity: 'critical'
    })
    expect(findings[0]?.message).toContain(
      'changes the postinstall script from "node ./scripts/post.js" to "node telemetry.js", which runs telemetry.js, a file this version adds'
    )
    expect(findings[0]?.evidence[0]).toEqual({
      file: 'package.json',
      line: 5,
      snippet: '"postinstall": "node telemetry.js"'
    })
  })

  it.each([
    ['an added preinstall running a new file', {}, { preinstall: 'node setup_bun.js' }, 'critical'],
    ['an added install script', {}, { install: 'node-gyp rebuild' }, 'high'],
    [
      'a changed postinstall',
      { postinstall: 'node a.js' },
      { postinstall: 'node a.js && curl x' },
      'high'
    ]
  ])('fires on %s', async (_name, before, after, severity) => {
    const ctx = changed(
      { 'package.json': packageJson(before), 'a.js': '' },
      { 'package.json': packageJson(after), 'a.js': '', 'setup_bun.js': '' }
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
    expect(findings[0]?.severity).toBe('high')
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
      { 'package.json': packageJson({ postinstall: 'node x.js' }), 'x.js': '' }
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
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.evidence[0]).toEqual({
      file: 'package.json',
      snippet: '"preinstall": "node x.js"'
    })
  })

  it.each([
    [{ 'package.json': packageJson({ postinstall: 'node bundle.js' }), 'bundle.js': '' }, 'medium'],
    [{ 'package.json': packageJson({}), 'binding.gyp': '{}' }, 'low']
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

    it.each([
      ['obfuscated', OBFUSCATED],
      ['minified', MINIFIED]
    ])('is critical when the file becomes %s', async (_name, text) => {
      const findings = await run('node setup.js', READABLE, text)
      expect(findings[0]?.severity).toBe('critical')
      expect(findings[0]?.message).toContain(
        'which runs setup.js, a file this version turns minified or obfuscated'
      )
    })

    it.each([
      ['was minified before too', MINIFIED, MINIFIED.replace('a=1', 'a=2')],
      ['stays readable', READABLE, READABLE + "console.log('done')\n"],
      ['is unchanged', OBFUSCATED, OBFUSCATED]
    ])('stays high when the file %s', async (_name, before, after) => {
      const findings = await run('node setup.js', before, after)
      expect(findings[0]?.severity).toBe('high')
    })
  })
})
