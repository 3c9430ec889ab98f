// Crypto-wallet address literals, validated strictly so that hashes and random identifiers do not
// count: Bitcoin legacy addresses and Tron addresses carry a base58check checksum (verified here),
// bech32 `bc1…` addresses a BCH checksum (verified). Ethereum (`0x` + 40 hex) and Solana (base58 of
// 32 bytes) addresses have no checksum we verify, so the caller decides from context whether a
// candidate counts (`confident` is false for them unless the casing looks EIP-55 checksummed).
import { createHash } from 'node:crypto'

export type Chain = 'ETH' | 'BTC' | 'TRX' | 'SOL'

export interface WalletAddress {
  chain: Chain
  value: string
  /** True when a checksum (or EIP-55-style mixed case) makes a random match implausible. */
  confident: boolean
}

const MAX_TEXT = 64 * 1024
const MAX_PER_TEXT = 500
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const ETH = /(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])/g
const BASE58_TOKEN = /(?<![0-9A-Za-z])[1-9A-HJ-NP-Za-km-z]{25,44}(?![0-9A-Za-z])/g
const BECH32_TOKEN = /(?<![0-9A-Za-z])bc1[02-9ac-hj-np-z]{11,71}(?![0-9A-Za-z])/g

/** Every wallet address in a text, in order of appearance per chain, without repeats. */
export function walletAddresses(text: string): WalletAddress[] {
  if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT)
  const found = new Map<string, WalletAddress>()
  const add = (address: WalletAddress | undefined) => {
    if (address && found.size < MAX_PER_TEXT && !found.has(address.value)) {
      found.set(address.value, address)
    }
  }
  if (text.includes('0x') || text.includes('0X')) {
    for (const match of text.matchAll(ETH)) add(ethAddress(match[0]))
  }
  for (const match of text.matchAll(BECH32_TOKEN)) add(bech32Address(match[0]))
  for (const match of text.matchAll(BASE58_TOKEN)) {
    const address = base58Address(match[0])
    // an unchecked (Solana-shaped) run cut out of a base64 blob by its `+` and `/` is noise
    if (address && !address.confident && insideBase64(text, match.index, match[0].length)) continue
    add(address)
  }
  return [...found.values()]
}

const BASE64_CHAR = /[A-Za-z0-9+/]/
const BASE64_RUN = 100

/**
 * True when the token at `start` is bordered by `+` or `/` and sits in a base64-alphabet run of at
 * least {@link BASE64_RUN} characters: a piece of an embedded asset (ethers' `dist/ethers.js`
 * carries a base64 word list), not a literal address. A URL path (`/address/<addr>/tokens`) is
 * far shorter, and its host's dots end the run.
 */
function insideBase64(text: string, start: number, length: number): boolean {
  const end = start + length
  if (!isBase64Border(text[start - 1]) && !isBase64Border(text[end])) return false
  // widen the run both ways, never further than the size that decides
  let from = start
  let to = end
  while (from > 0 && to - from < BASE64_RUN && BASE64_CHAR.test(text[from - 1] ?? '')) from--
  while (to < text.length && to - from < BASE64_RUN && BASE64_CHAR.test(text[to] ?? '')) to++
  return to - from >= BASE64_RUN
}

function isBase64Border(char: string | undefined): boolean {
  return char === '+' || char === '/'
}

function ethAddress(value: string): WalletAddress | undefined {
  const hex = value.slice(2)
  // the zero address, `0xffff…`, `0xdeadbeef…`: constants, not somebody's wallet
  if (new Set(hex.toLowerCase()).size < 8) return undefined
  const mixedCase = /[a-f]/.test(hex) && /[A-F]/.test(hex)
  return { chain: 'ETH', value, confident: mixedCase }
}

function base58Address(value: string): WalletAddress | undefined {
  const bytes = base58Decode(value)
  if (!bytes) return undefined
  const payload = checkedPayload(bytes)
  if (payload?.length === 21) {
    const version = payload[0]
    if ((version === 0x00 || version === 0x05) && /^[13]/.test(value)) {
      return { chain: 'BTC', value, confident: true }
    }
    if (version === 0x41 && value.startsWith('T') && value.length === 34) {
      return { chain: 'TRX', value, confident: true }
    }
  }
  if (bytes.length === 32 && value.length >= 32 && /[a-z]/.test(value) && /[A-Z]/.test(value)) {
    return { chain: 'SOL', value, confident: false }
  }
  return undefined
}

/** Base58 to bytes (leading `1`s are leading zero bytes), or undefined for a foreign character. */
export function base58Decode(value: string): Uint8Array | undefined {
  const bytes: number[] = []
  for (const char of value) {
    let carry = BASE58.indexOf(char)
    if (carry < 0) return undefined
    for (let index = 0; index < bytes.length; index++) {
      carry += (bytes[index] ?? 0) * 58
      bytes[index] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  for (let index = 0; index < value.length && value[index] === '1'; index++) bytes.push(0)
  return Uint8Array.from(bytes.reverse())
}

/** The payload of a base58check string whose last four bytes are its double-SHA-256 checksum. */
function checkedPayload(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < 5) return undefined
  const payload = bytes.subarray(0, bytes.length - 4)
  const checksum = bytes.subarray(bytes.length - 4)
  const first = createHash('sha256').update(payload).digest()
  const second = createHash('sha256').update(first).digest()
  return second.subarray(0, 4).equals(checksum) ? payload : undefined
}

/** Base58check-encodes a payload: used by tests to build synthetic, valid-looking addresses. */
export function base58CheckEncode(payload: Uint8Array): string {
  const first = createHash('sha256').update(payload).digest()
  const checksum = createHash('sha256').update(first).digest().subarray(0, 4)
  const bytes = [...payload, ...checksum]
  const digits: number[] = []
  for (const byte of bytes) {
    let carry = byte
    for (let index = 0; index < digits.length; index++) {
      carry += (digits[index] ?? 0) << 8
      digits[index] = carry % 58
      carry = Math.floor(carry / 58)
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = Math.floor(carry / 58)
    }
  }
  let zeros = ''
  for (let index = 0; index < bytes.length && bytes[index] === 0; index++) zeros += '1'
  return (
    zeros +
    digits
      .reverse()
      .map((digit) => BASE58[digit])
      .join('')
  )
}

// ---- bech32 / bech32m (BIP-173, BIP-350) ----

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const BECH32_CONSTANTS = new Set([1, 0x2bc830a3])
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

function polymod(values: number[]): number {
  let checksum = 1
  for (const value of values) {
    const top = checksum >>> 25
    checksum = ((checksum & 0x1ffffff) << 5) ^ value
    for (let bit = 0; bit < 5; bit++) {
      if ((top >>> bit) & 1) checksum ^= GENERATOR[bit] ?? 0
    }
  }
  return checksum >>> 0
}

function bech32Address(value: string): WalletAddress | undefined {
  const data = [...value.slice(3)].map((char) => BECH32_CHARSET.indexOf(char))
  if (data.some((digit) => digit < 0)) return undefined
  const prefix = [...'bc'].map((char) => char.charCodeAt(0))
  const expanded = [...prefix.map((code) => code >> 5), 0, ...prefix.map((code) => code & 31)]
  const valid = BECH32_CONSTANTS.has(polymod([...expanded, ...data]))
  return valid ? { chain: 'BTC', value, confident: true } : undefined
}
