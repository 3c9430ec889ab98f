import { describe, it, expect } from '@jest/globals'
import { buildIocIndex, MAX_TEXT_MATCHES, versionMatchKind } from '../../src/ioc/index.js'
import { loadBundledFeed } from '../../src/ioc/load-feeds.js'
import type { IocEntry, IocType } from '../../src/rules/types.js'

function entry(type: IocType, value: string, versions?: string): IocEntry {
  return {
    type,
    value,
    ...(versions ? { versions } : {}),
    incident: 'test',
    source: 'T-1',
    feed: 'test'
  }
}

const index = buildIocIndex([
  entry('package', 'evil', '>=1.0.16'),
  entry('package', 'typo-express'),
  entry('package', 'listed', '4.1.1 || 4.1.2'),
  entry('package', '@scope/pkg', '*'),
  entry('publisher', 'phanpak'),
  entry('domain', 'giftshop.club'),
  entry('email', 'phan@giftshop.club'),
  entry('email', 'drop@mail.example'),
  entry('url', 'https://0x9c.xyz/xc'),
  entry('ip', '142.11.206.73'),
  entry('ip', '2001:db8::1'),
  entry('sha256', 'ab'.repeat(32))
])

function textMatches(text: string): [string, number, string][] {
  return index.matchText(text).map((m) => [`${m.entry.type}:${m.entry.value}`, m.index, m.match])
}

describe('buildIocIndex: packages, publishers, hashes', () => {
  it.each([
    ['evil', '1.0.16', true],
    ['evil', '1.0.15', false],
    ['evil', '2.0.0-beta.1', true],
    ['typo-express', '0.0.1', true],
    ['typo-express', 'git+https://x.example/y.git', true],
    ['listed', '4.1.2', true],
    ['listed', '4.1.3', false],
    ['@scope/pkg', '9.9.9', true],
    ['Evil', '1.0.17', true],
    ['evil-other', '1.0.16', false]
  ])('matchPackage(%s, %s) is %s', (name, version, matched) => {
    expect(index.matchPackage(name, version).length > 0).toBe(matched)
  })

  it('tells exact lists, ranges and all-versions apart', () => {
    expect(versionMatchKind(entry('package', 'a', '4.1.1 || 4.1.2'))).toBe('exact')
    expect(versionMatchKind(entry('package', 'a', '>=1.0.16'))).toBe('range')
    expect(versionMatchKind(entry('package', 'a', '4.2.1 - 4.2.4'))).toBe('range')
    expect(versionMatchKind(entry('package', 'a', '*'))).toBe('all')
    expect(versionMatchKind(entry('package', 'a'))).toBe('all')
  })

  it('matches publishers case-insensitively and hashes exactly', () => {
    expect(index.matchPublisher('PhanPak')).toHaveLength(1)
    expect(index.matchPublisher('phanpak2')).toHaveLength(0)
    expect(index.matchHash('AB'.repeat(32))).toHaveLength(1)
    expect(index.matchHash('ab'.repeat(31))).toHaveLength(0)
  })
})

describe('buildIocIndex: matchText', () => {
  it.each([
    ['giftshop.club', [['domain:giftshop.club', 0, 'giftshop.club']]],
    ['x mail.giftshop.club/y', [['domain:giftshop.club', 7, 'giftshop.club']]],
    ['"GIFTSHOP.CLUB."', [['domain:giftshop.club', 1, 'GIFTSHOP.CLUB']]],
    ['notgiftshop.club', []],
    ['giftshop.clubs', []],
    ['giftshop.club.attacker.example', []],
    ['giftshop-club.com', []]
  ])('domain boundaries: %j', (text, expected) => {
    expect(textMatches(text)).toEqual(expected)
  })

  it.each([
    [
      "Bcc: 'phan@giftshop.club',",
      [
        ['email:phan@giftshop.club', 6, 'phan@giftshop.club'],
        ['domain:giftshop.club', 11, 'giftshop.club']
      ]
    ],
    ['x.phan@giftshop.club', [['domain:giftshop.club', 7, 'giftshop.club']]],
    ['to: DROP@Mail.Example;', [['email:drop@mail.example', 4, 'DROP@Mail.Example']]],
    ['redrop@mail.example', []],
    ['drop@mail.example.org', []]
  ])('emails: %j', (text, expected) => {
    expect(textMatches(text)).toEqual(expected)
  })

  it.each([
    ['fetch("https://0x9c.xyz/xc", {', [['url:https://0x9c.xyz/xc', 7, 'https://0x9c.xyz/xc']]],
    ['HTTPS://0X9C.XYZ/xc?seed=1', [['url:https://0x9c.xyz/xc', 0, 'HTTPS://0X9C.XYZ/xc']]],
    ['git+https://0x9c.xyz/xcz', [['url:https://0x9c.xyz/xc', 4, 'https://0x9c.xyz/xc']]],
    ['https://0x9c.xyz/other', []],
    ['http://0x9c.xyz/xc', []],
    ['https://0x9c.xyz.evil.example/xc', []],
    ['https://0x9c.xyz/XC', []]
  ])('URLs: %j', (text, expected) => {
    expect(textMatches(text)).toEqual(expected)
  })

  it.each([
    ['connect("142.11.206.73", 443)', [['ip:142.11.206.73', 9, '142.11.206.73']]],
    ['142.11.206.73.', [['ip:142.11.206.73', 0, '142.11.206.73']]],
    ['host=142.11.206.73:8080', [['ip:142.11.206.73', 5, '142.11.206.73']]],
    ['1142.11.206.73', []],
    ['142.11.206.731', []],
    ['142.11.206.73.5', []],
    ['2142.11.206.73', []],
    ['[2001:DB8::1]:80', [['ip:2001:db8::1', 1, '2001:DB8::1']]],
    ['2001:db8::10', []],
    ['12001:db8::1', []]
  ])('IPs: %j', (text, expected) => {
    expect(textMatches(text)).toEqual(expected)
  })

  it('scans a 5 MB minified-looking text and finds the one planted match', () => {
    const chunk = 'var a=b.c.d(e,f.g.h);function q(r){return r.s.t.u+"v.w.x"}x.y.z=1..toFixed();'
    const filler = chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length))
    const planted = 'fetch("https://sub.giftshop.club/p")'
    const half = Math.floor(filler.length / 2)
    const text = filler.slice(0, half) + planted + filler.slice(half)
    const matches = index.matchText(text)
    expect(matches).toHaveLength(1)
    expect(matches[0].index).toBe(half + planted.indexOf('giftshop.club'))
  })

  it('stays bounded on hostile tokens: long dot runs and long dotted names', () => {
    const dots = '.'.repeat(2_000_000) + 'x'
    const labels = 'a.'.repeat(1_000_000) + 'giftshop.club'
    expect(index.matchText(dots)).toEqual([])
    expect(textMatches(labels)).toEqual([['domain:giftshop.club', 2_000_000, 'giftshop.club']])
  })

  it(`reports at most ${MAX_TEXT_MATCHES} matches for one text`, () => {
    expect(index.matchText('giftshop.club '.repeat(1000))).toHaveLength(MAX_TEXT_MATCHES)
  })
})

describe('bundled feed', () => {
  const bundled = buildIocIndex(loadBundledFeed())

  it.each([
    ['postmark-mcp', '1.0.16', true],
    ['postmark-mcp', '1.0.18', true],
    ['postmark-mcp', '1.0.15', false],
    ['chalk', '5.6.1', true],
    ['chalk', '5.6.0', false],
    ['debug', '4.4.2', true],
    ['nx', '21.5.0', true],
    ['nx', '20.12.0', true],
    ['nx', '21.4.1', false],
    ['@nx/devkit', '20.9.0', true],
    ['@ctrl/tinycolor', '4.1.2', true],
    ['@ctrl/tinycolor', '4.1.0', false],
    ['prebid', '10.9.2', true],
    ['xrpl', '4.2.3', true],
    ['xrpl', '4.2.0', false],
    ['is', '5.0.0', true],
    ['is', '3.3.0', false],
    ['axios', '1.14.1', true],
    ['axios', '1.14.0', false],
    ['plain-crypto-js', '4.2.1', true]
  ])('%s@%s matched: %s', (name, version, matched) => {
    expect(bundled.matchPackage(name, version).length > 0).toBe(matched)
  })

  it('carries an incident and a source on every indicator', () => {
    for (const item of loadBundledFeed()) {
      expect(item.incident).not.toBe('')
      expect(item.source).not.toBe('')
      expect(item.feed).toBe('bundled')
    }
  })

  it('knows the publisher, hashes and network indicators', () => {
    expect(bundled.matchPublisher('phanpak')).toHaveLength(1)
    expect(
      bundled.matchHash('a3894003ad1d293ba96d77881ccd2071446dc3f65f434669b49b3da92421901a')
    ).toHaveLength(1)
    const found = bundled.matchText('x=["npmjs.help","npnjs.com","sfrclak.com","142.11.206.73"]')
    expect(found.map((m) => m.entry.value)).toEqual([
      'npmjs.help',
      'npnjs.com',
      'sfrclak.com',
      '142.11.206.73'
    ])
  })
})
