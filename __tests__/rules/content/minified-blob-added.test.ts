import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/minified-blob-added.js'
import { makeChange, makeContext, makeFiles } from '../../helpers/factories.js'

const CHUNK = '!function(e){var t={};function n(r){if(t[r])return t[r].exports;e.x=[r,e,t]}}(this);'
/** A one-line bundle of about `kib` KiB. */
const bundle = (kib: number) => CHUNK.repeat(Math.ceil((kib * 1024) / CHUNK.length))
const READABLE_BIG = 'function add(a, b) {\n  return a + b\n}\n'.repeat(8000)
const INDEX = { 'index.js': 'module.exports = require("./lib")\n' }

function pkg(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'example-pkg', version: '1.0.1', ...extra })
}

function changed(oldFiles: Record<string, string>, newFiles: Record<string, string>) {
  return makeContext({ files: makeFiles(newFiles), previousFiles: makeFiles(oldFiles) })
}

function added(newFiles: Record<string, string>) {
  return makeContext({ change: makeChange({ previousVersion: null }), files: makeFiles(newFiles) })
}

describe('content/minified-blob-added', () => {
  it('fires high on a bundle run by a new postinstall (Shai-Hulud shape)', async () => {
    const findings = await rule.check(
      changed(INDEX, {
        ...INDEX,
        'package.json': pkg({ scripts: { postinstall: 'node bundle.js' } }),
        'bundle.js': bundle(400)
      })
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'content/minified-blob-added', severity: 'high' })
    expect(findings[0]?.message).toContain('adds bundle.js, a 400')
    expect(findings[0]?.message).toContain('run by an install script')
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'bundle.js', line: 1 })
  })

  it.each([
    ['a blob nobody references', {}, 'lib/x.js', 'medium'],
    ['a blob that is the main', { main: 'lib/x' }, 'lib/x.js', 'medium'],
    ['a blob that is a bin', { bin: { x: './lib/x.js' } }, 'lib/x.js', 'medium']
  ])('fires on %s in a changed package', async (_name, fields, path, severity) => {
    const findings = await rule.check(
      changed(INDEX, { ...INDEX, 'package.json': pkg(fields), [path]: bundle(250) })
    )
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  it('grades a readable CLI entry replaced by a bundle (yarn 1 -> 2) medium', async () => {
    const fields = { bin: { yarn: './bin/yarn.js' }, scripts: { preinstall: ':; exit 0' } }
    const findings = await rule.check(
      changed(
        { 'package.json': pkg(fields), 'bin/yarn.js': 'require("../lib/cli")\n' },
        { 'package.json': pkg(fields), 'bin/yarn.js': `#!/usr/bin/env node\n${bundle(1600)}` }
      )
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['medium'])
    expect(findings[0]?.message).toContain('the package entry point')
  })

  it('keeps high for an entry point that an install script also runs', async () => {
    const fields = { bin: './cli.js', scripts: { postinstall: 'node cli.js --setup' } }
    const findings = await rule.check(
      changed(INDEX, { ...INDEX, 'package.json': pkg(fields), 'cli.js': bundle(300) })
    )
    expect(findings.map((finding) => finding.severity)).toEqual(['high'])
  })

  it('fires when the previous minified file was much smaller', async () => {
    const findings = await rule.check(
      changed({ 'dist/a.min.js': bundle(20) }, { 'dist/a.min.js': bundle(20), 'b.js': bundle(900) })
    )
    expect(findings.map((finding) => finding.evidence[0]?.file)).toEqual(['b.js'])
  })

  it.each([
    ['a minified dist', {}, 'info'],
    ['a minified main', { main: 'dist/x.min.js' }, 'low'],
    ['a minified install script', { scripts: { install: 'node dist/x.min.js' } }, 'medium']
  ])('grades %s in an added package lower', async (_name, fields, severity) => {
    const findings = await rule.check(
      added({ 'package.json': pkg(fields), 'dist/x.min.js': bundle(300) })
    )
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  it.each([
    [
      'a build that was minified before',
      { 'dist/x.min.js': bundle(300) },
      { 'dist/x.min.js': bundle(320) }
    ],
    [
      'a renamed build of comparable size',
      { 'dist/x.min.js': bundle(300) },
      { 'dist/y.min.js': bundle(320) }
    ],
    ['a small minified file', {}, { 'dist/x.min.js': bundle(50) }],
    ['a large readable file', {}, { 'lib/big.js': READABLE_BIG }],
    ['a large minified file that is not JavaScript', {}, { 'dist/x.css': bundle(300) }]
  ])('stays quiet on %s', async (_name, before, after) => {
    expect(await rule.check(changed({ ...INDEX, ...before }, { ...INDEX, ...after }))).toEqual([])
  })

  it('measures a truncated file by its real size', async () => {
    const files = makeFiles({ 'bundle.js': bundle(100) })
    const file = files.files.get('bundle.js')!
    files.files.set('bundle.js', { ...file, size: 10 * 1024 * 1024, truncated: true })
    const findings = await rule.check(makeContext({ files, previousFiles: makeFiles(INDEX) }))
    expect(findings[0]?.message).toContain('a 10 MiB minified file')
  })

  it('honours the minBytes option', async () => {
    const ctx = changed(INDEX, { ...INDEX, 'b.js': bundle(50) })
    expect(await rule.check({ ...ctx, options: { minBytes: 10 * 1024 } })).toHaveLength(1)
  })
})
