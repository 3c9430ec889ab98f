import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/wallet-tampering.js'
import type { Finding, Manifest } from '../../../src/types.js'
import { join } from 'node:path'
import { contextFor, CORPUS } from '../../helpers/corpus.js'
import { makeChange, makeContext, makeFiles, makeManifest } from '../../helpers/factories.js'

// synthetic addresses with valid shapes and checksums (derived from hashes of test labels)
const ETH = '0x9edEd13279d555eAf57750c70305884c4F728f71'
const ETH_LOWER = '0x2c19458b1ba89fdf0fda053aae5e5da0b6dfbd9f'
const BTC = '19Sdn1HdNTmjQ2qaxZ6gE7HXNvayub4z5q'
const BTC_P2SH = '3BjiQC95Ze54syFAi5nzapoTPsxyFYD9sA'
const BECH32 = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'
const TRX = 'TREg6DoQea2zAyc49PYcvuPKqA6sZSXQ5j'
const SOL = 'GkB5givzQpfZsGUVoujFQCegj4PXK7dvfEgzHEgW21QW'

const OLD =
  "'use strict'\nmodule.exports = function paint(text) {\n  return '\\u001b[31m' + text\n}\n"
const withLines = (...lines: string[]) => `${OLD}${lines.join('\n')}\n`
const OBFUSCATED = Array.from({ length: 6 }, (_, i) => `var _0x${(0x1a2b + i).toString(16)} = ${i}`)

function changed(newText: string, oldText = OLD, manifest?: Manifest) {
  return makeContext({
    files: makeFiles({ 'index.js': newText }),
    previousFiles: makeFiles({ 'index.js': oldText }),
    ...(manifest ? { manifest, previousManifest: manifest } : {})
  })
}

function added(newText: string, manifest?: Manifest) {
  return makeContext({
    change: makeChange({ previousVersion: null }),
    files: makeFiles({ 'index.js': newText }),
    ...(manifest ? { manifest } : {})
  })
}

async function severity(ctx: ReturnType<typeof makeContext>): Promise<string | undefined> {
  const findings: Finding[] = await rule.check(ctx)
  expect(findings.length).toBeLessThanOrEqual(1)
  return findings[0]?.severity
}

const HOOK_FETCH =
  'window.fetch = async function (...args) { return swap(await original(...args)) }'
const HOOK_XHR =
  'XMLHttpRequest.prototype.send = function (body) { return send.call(this, swap(body)) }'
const HOOK_ETH = 'window.ethereum.request = async (req) => original(swapAddress(req))'
const DEFINE_ETH = "Object.defineProperty(window, 'ethereum', { get: () => proxy })"

describe('content/wallet-tampering: changed package', () => {
  it.each([
    ['a checksummed ETH address', `const to = '${ETH}'`, 'medium'],
    ['a BTC address', `const to = '${BTC}'`, 'medium'],
    ['a P2SH BTC address', `const to = '${BTC_P2SH}'`, 'medium'],
    ['a bech32 BTC address', `const to = '${BECH32}'`, 'medium'],
    ['a TRX address', `const to = '${TRX}'`, 'medium'],
    [
      'a lower-case ETH address with wallet context',
      `const wallet = { ethereum: '${ETH_LOWER}' }`,
      'medium'
    ],
    ['a SOL address next to a BTC one', `const to = ['${SOL}', '${BTC}']`, 'medium'],
    ['a fetch hook', HOOK_FETCH, 'high'],
    ['an XHR hook', HOOK_XHR, 'high'],
    ['an ethereum.request hook', HOOK_ETH, 'high'],
    ['Object.defineProperty on window.ethereum', DEFINE_ETH, 'high'],
    [
      'addresses and hooks (qix shape)',
      [HOOK_FETCH, HOOK_XHR, `const ws = ['${ETH}', '${BTC}', '${TRX}']`].join('\n'),
      'critical'
    ],
    [
      'an address in obfuscated code',
      [...OBFUSCATED, `var _0xa = ['${ETH}']`].join('\n'),
      'critical'
    ],
    ['a hook in obfuscated code', [...OBFUSCATED, HOOK_XHR].join('\n'), 'critical']
  ])('%s', async (_name, lines, expected) => {
    expect(await severity(changed(withLines(lines)))).toBe(expected)
  })

  it('gives file, line and snippet as evidence', async () => {
    const findings = await rule.check(changed(withLines(HOOK_FETCH, `const w = '${ETH}'`)))
    expect(findings[0]?.evidence).toEqual([
      { file: 'index.js', line: 5, snippet: HOOK_FETCH },
      { file: 'index.js', line: 6, snippet: `const w = '${ETH}'` }
    ])
    expect(findings[0]?.message).toContain(ETH)
  })

  it.each([
    ['a 40-hex hash without 0x', "const sha = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3'"],
    ['a lower-case 0x hash with no wallet context', `const ids = ['${ETH_LOWER}']`],
    ['a 0x value under a hash key', `const table = { sha1: '${ETH}' }`],
    ['the zero address', "const none = '0x0000000000000000000000000000000000000000'"],
    ['a SOL-shaped string alone', `const id = '${SOL}'`],
    ['a BTC-shaped string with a bad checksum', "const id = '19Sdn1HdNTmjQ2qaxZ6gE7HXNvayub4z5r'"],
    ['a call to fetch (not a hook)', "fetch('https://a.invalid').then((r) => r.json())"],
    [
      'a read of window.ethereum (not a hook)',
      "const accounts = await window.ethereum.request({ method: 'eth_accounts' })"
    ]
  ])('is quiet on %s', async (_name, lines) => {
    expect(await severity(changed(withLines(lines)))).toBeUndefined()
  })

  it('is quiet when the previous version already had the hook and the address', async () => {
    const before = withLines(DEFINE_ETH, `const donate = '${ETH}'`)
    const after = `${before}// v2: docs\nmodule.exports.version = 2\n`
    expect(await severity(changed(after, before))).toBeUndefined()
  })

  it('ranks a guarded fetch polyfill low', async () => {
    const polyfill = "if (typeof globalThis.fetch === 'undefined') {\n  globalThis.fetch = shim\n}"
    expect(await severity(changed(withLines(polyfill)))).toBe('low')
  })

  it('ranks a new address in a web3 library low', async () => {
    const manifest = makeManifest({ keywords: ['ethereum', 'web3'] } as Partial<Manifest>)
    expect(await severity(changed(withLines(`const router = '${ETH}'`), OLD, manifest))).toBe('low')
  })

  it('ignores addresses in tests', async () => {
    const ctx = makeContext({
      files: makeFiles({
        'index.js': OLD,
        'test/fixtures.js': `module.exports = ['${ETH}', '${BTC}']`
      }),
      previousFiles: makeFiles({ 'index.js': OLD })
    })
    expect(await rule.check(ctx)).toEqual([])
  })
})

describe('content/wallet-tampering: added package', () => {
  it.each([
    ['an address alone', `const to = '${BTC}'`, 'low'],
    ['a hook alone', HOOK_ETH, 'low'],
    ['a fetch polyfill', 'if (!globalThis.fetch) globalThis.fetch = shim', 'info'],
    ['addresses and hooks', [HOOK_XHR, `const to = ['${ETH}', '${TRX}']`].join('\n'), 'high'],
    [
      'addresses and hooks in obfuscated code',
      [...OBFUSCATED, HOOK_XHR, `var to = ['${ETH}']`].join('\n'),
      'critical'
    ]
  ])('%s', async (_name, lines, expected) => {
    expect(await severity(added(lines))).toBe(expected)
  })

  it('ranks a web3 library address info', async () => {
    const manifest = makeManifest({ dependencies: { ethers: '^6.0.0' } })
    expect(await severity(added(`const router = '${ETH}'`, manifest))).toBe('info')
  })
})

describe('content/wallet-tampering: corpus severities', () => {
  it.each([
    ['malicious/address-in-color-library', 'medium'],
    ['malicious/ethereum-provider-hook', 'high'],
    ['malicious/qix-clipper', 'critical'],
    ['benign/added-fetch-polyfill', 'info'],
    ['benign/address-in-test-fixture', undefined],
    ['benign/hash-constants', undefined],
    ['benign/web3-provider-already-hooked', undefined]
  ])('%s is %s', async (name, severity) => {
    const findings = await rule.check(
      await contextFor(join(CORPUS, 'content', 'wallet-tampering', name))
    )
    expect(findings[0]?.severity).toBe(severity)
  })
})
