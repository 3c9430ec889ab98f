import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/binary-added.js'
import type { PackageFiles } from '../../../src/types.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

const PE = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00])
const JS = { 'index.js': 'module.exports = {}\n' }

function pkg(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'example-pkg', version: '1.0.1', ...extra })
}

function changed(
  oldFiles: Record<string, string | Buffer>,
  newFiles: Record<string, string | Buffer>
) {
  return makeContext({ files: makeFiles(newFiles), previousFiles: makeFiles(oldFiles) })
}

function added(newFiles: Record<string, string | Buffer>) {
  return makeContext({ change: makeChange({ previousVersion: null }), files: makeFiles(newFiles) })
}

/** Marks a file with the magic an unpacker may record. */
function withMagic(files: PackageFiles, path: string, magic: string): PackageFiles {
  const file = files.files.get(path)!
  files.files.set(path, { ...file, magic } as typeof file)
  return files
}

describe('content/binary-added', () => {
  it('fires high on a DLL added to a pure-JS package (Scavenger shape), with evidence', async () => {
    const findings = await rule.check(
      changed(JS, { ...JS, 'install.js': 'run()', 'node-gyp.dll': PE })
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'content/binary-added', severity: 'high' })
    expect(findings[0]?.message).toContain('adds a Windows binary (node-gyp.dll)')
    expect(findings[0]?.evidence[0]?.file).toBe('node-gyp.dll')
    expect(findings[0]?.evidence[0]?.snippet).toMatch(/^binary, 8 bytes, sha256 [0-9a-f]{64}$/)
  })

  it.each([
    ['an .exe', { 'bin/up.exe': PE }, 'high'],
    ['an extension-less binary', { 'vendor/helper': ELF }, 'high'],
    ['a .node addon', { 'build/Release/addon.node': ELF }, 'medium'],
    ['a shared library', { 'lib/libx.so.1': ELF }, 'medium'],
    [
      'a DLL run by rundll32 from an install script',
      {
        'package.json': pkg({ scripts: { install: 'rundll32 node-gyp.dll,main' } }),
        'node-gyp.dll': PE
      },
      'critical'
    ]
  ])('fires on %s in a changed package', async (_name, extra, severity) => {
    const findings = await rule.check(changed(JS, { ...JS, ...extra }))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe(severity)
  })

  it('grades on the worst binary and lists all of them', async () => {
    const findings = await rule.check(changed(JS, { ...JS, 'a.node': ELF, 'z.dll': PE }))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.evidence.map((e) => e.file)).toEqual(['z.dll', 'a.node'])
  })

  it.each([
    ['a DLL', { 'node-gyp.dll': PE }, 'medium'],
    ['a .node prebuild', { 'prebuilds/linux-x64/a.node': ELF }, 'low'],
    [
      'an executable in a platform package',
      { 'package.json': pkg({ os: ['win32'] }), 'tool.exe': PE },
      'low'
    ],
    [
      'a binary run by an install script',
      {
        'package.json': pkg({ scripts: { postinstall: './vendor/helper' } }),
        'vendor/helper': ELF
      },
      'medium'
    ]
  ])('grades %s in an added package lower', async (_name, extra, severity) => {
    const findings = await rule.check(added({ ...JS, ...extra }))
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  const BCRYPT_PREBUILDS = {
    'prebuilds/win32-x64/bcrypt.node': PE,
    'prebuilds/linux-x64/bcrypt.node': ELF,
    'prebuilds/darwin-arm64/bcrypt.node': ELF
  }
  const NODE_PTY_PREBUILDS = {
    'prebuilds/win32-x64/conpty.node': PE,
    'prebuilds/win32-x64/conpty/OpenConsole.exe': PE,
    'prebuilds/win32-x64/conpty/conpty.dll': PE
  }

  it.each([
    [
      'bcrypt: binding.gyp and node-pre-gyp before, prebuilds now',
      {
        'package.json': pkg({ scripts: { install: 'node-pre-gyp install --fallback-to-build' } }),
        'binding.gyp': '{}'
      },
      { 'package.json': pkg({ scripts: { install: 'node-gyp-build' } }), ...BCRYPT_PREBUILDS },
      'low'
    ],
    [
      'node-pty: node-gyp rebuild before, win32 prebuilds with an exe and a dll now',
      { 'package.json': pkg({ scripts: { install: 'node-gyp rebuild' } }) },
      {
        'package.json': pkg({
          scripts: { install: 'node scripts/prebuild.js || node-gyp rebuild' }
        }),
        ...NODE_PTY_PREBUILDS
      },
      'low'
    ],
    [
      'gypfile: true before, bin/<os>-<arch>/ now',
      { 'package.json': pkg({ gypfile: true }) },
      { 'bin/linux-arm64-musl/tool': ELF, 'bin/win32-ia32/tool.exe': PE },
      'low'
    ],
    [
      'binding.gyp before, a DLL outside any platform folder now',
      { 'binding.gyp': '{}' },
      { 'binding.gyp': '{}', 'build/Release/helper.dll': PE },
      'medium'
    ],
    [
      'binding.gyp before, a DLL named by an install script now',
      { 'binding.gyp': '{}' },
      {
        'package.json': pkg({ scripts: { install: 'rundll32 prebuilds/win32-x64/a.dll,main' } }),
        'prebuilds/win32-x64/a.dll': PE
      },
      'critical'
    ],
    [
      'a pure-JS package that gains a per-platform DLL',
      {},
      { 'prebuilds/win32-x64/a.dll': PE },
      'high'
    ],
    [
      'binding.gyp only in the new version',
      {},
      { 'binding.gyp': '{}', 'prebuilds/win32-x64/a.dll': PE },
      'high'
    ]
  ])('grades %s', async (_name, before, after, severity) => {
    const findings = await rule.check(changed({ ...JS, ...before }, { ...JS, ...after }))
    expect(findings.map((finding) => finding.severity)).toEqual([severity])
  })

  it('reads gypfile from the previous registry metadata', async () => {
    const ctx = makeContext({
      files: makeFiles({ ...JS, ...BCRYPT_PREBUILDS }),
      previousFiles: makeFiles(JS),
      previousManifest: makeManifest({ version: '1.0.0', gypfile: true })
    })
    const findings = await rule.check(ctx)
    expect(findings.map((finding) => finding.severity)).toEqual(['low'])
    expect(findings[0]?.message).toContain('the previous version built its native code on install')
  })

  it('uses magic bytes when the unpacker records them', async () => {
    const files = withMagic(makeFiles({ ...JS, 'assets/logo.png': PE }), 'assets/logo.png', 'pe')
    const findings = await rule.check(makeContext({ files, previousFiles: makeFiles(JS) }))
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.evidence[0]?.snippet).toContain('PE header')
  })

  it.each([
    [
      'a new prebuild where there was one before',
      { 'prebuilds/a.node': ELF },
      { 'prebuilds/a.node': ELF, 'prebuilds/b.node': ELF }
    ],
    ['images and fonts', {}, { 'logo.png': PNG, 'fonts/a.woff2': PNG, 'favicon.ico': PNG }],
    ['a text file named like a binary', {}, { 'notes.exe': 'plain text' }],
    ['no binaries at all', {}, {}]
  ])('stays quiet on %s', async (_name, before, after) => {
    expect(await rule.check(changed({ ...JS, ...before }, { ...JS, ...after }))).toEqual([])
  })

  it('stays quiet without the new files', async () => {
    expect(await rule.check(makeContext())).toEqual([])
  })
})
