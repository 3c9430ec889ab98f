// content/wallet-tampering
//
// Detects: crypto-wallet address literals this version introduces (Ethereum `0x` + 40 hex, Bitcoin
// `1…`/`3…`/`bc1…`, Tron `T…`, Solana base58) and hooks it introduces on what a clipper intercepts:
// `fetch`, `XMLHttpRequest.prototype.open/send`, `window.ethereum` (`request`, `send`), `solana`,
// `tronWeb` (assignments, `Object.defineProperty(window, 'ethereum', …)`, `new Proxy(ethereum…)`).
//
// Why: the "qix" wave (chalk, debug and 17 more, 2025-09) injected obfuscated code that wrapped
// `fetch`, XHR and the browser wallet API and swapped every address it saw for one of its own.
// A terminal-colour library has no reason to carry wallet addresses or to replace `fetch`.
//
// Severity, changed package: an address alone = medium (low in a wallet/web3 library); a hook
// alone = high (low for a guarded fetch polyfill); both, or either in a file full of `_0x`
// obfuscator names = critical. Added package (calibrated lower): either alone = low (info for a
// wallet library's addresses or a fetch polyfill); either with obfuscation, or both = high; both
// with obfuscation = critical.
//
// Address shapes are validated strictly: Bitcoin and Tron checksums are verified; an Ethereum
// address counts when it looks EIP-55 checksummed (mixed case) or the file has wallet context
// (other chains, hooks, words like `ethereum`/`wallet`/`web3`); a Solana one only next to other
// addresses or Solana words. Hash constants (no `0x`, or a `hash`/`sha`/`digest` key, or
// low-entropy values like the zero address) never count.
//
// Known false positives: a library that starts to ship a donation address or a token contract
// address (medium, not failing); a new provider shim that legitimately wraps `window.ethereum`.
// Addresses in tests, docs and fixtures are not read (not code files).
import type { Evidence, Finding, Manifest, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import type { FileFacts } from '../lib/code/types.js'
import { factsOf } from '../lib/code/index.js'
import { hasBaseline, splitLines } from '../lib/introduced.js'
import { listSome } from '../lib/text.js'
import { evidenceAt, uniqueEvidence } from '../lib/secrets/evidence.js'
import { introducedSignals, type Detector, type FileSignals } from '../lib/secrets/signals.js'
import { walletAddresses, type WalletAddress } from '../lib/secrets/wallet-addresses.js'
import { walletHooks, walletHooksInLine, type WalletHook } from '../lib/secrets/wallet-hooks.js'

const meta: RuleMeta = {
  id: 'content/wallet-tampering',
  title: 'Crypto-wallet tampering',
  description:
    'This version adds crypto-wallet addresses or replaces fetch, XMLHttpRequest or the browser ' +
    "wallet API: the shape of a clipper that swaps the user's payment address for an attacker's.",
  defaultSeverity: 'high',
  version: 1
}

const MAX_EVIDENCE = 8
const MAX_CONTEXT_STRINGS = 5000
const OBFUSCATED_NAMES = 5
const OBFUSCATOR_NAME = /^_0x[0-9a-f]{2,}$/i
const WALLET_WORDS =
  /ethereum|web3|wallet|metamask|eth_(?:send|sign|request|accounts)|solana|phantom|tronweb|tronlink|bitcoin|usdt|erc20|lamports/i
const SOLANA_WORDS = /solana|phantom|lamports/i
const HASH_KEY =
  /hash|sha|digest|checksum|commit|integrity|salt|nonce|root|topic|selector|signature/i
const WALLET_LIBRARY =
  /\b(?:ethereum|ethers?|web3|wallets?|bitcoin|btc|solana|tron|blockchain|defi|viem|wagmi|erc20|metamask|cryptocurrency)\b/i
const WALLET_DEPENDENCIES =
  /^(?:ethers|web3|viem|wagmi|bitcoinjs-lib|tronweb|@solana\/|@ethersproject\/|@metamask\/)/
const POLYFILL_GUARD =
  /typeof\s+(?:(?:window|self|globalThis|global)\.)?fetch\b|!\s*(?:(?:window|self|globalThis|global)\.)?fetch\b|['"]fetch['"]\s+in\b|\|\|\s*(?:(?:window|self|globalThis|global)\.)?fetch\b/

type Tagged =
  | { role: 'address'; address: WalletAddress; line: number; key: string; needle: string }
  | (WalletHook & { role: 'hook' })

const detector: Detector<Tagged> = {
  fromFacts: (facts, whole) => [...addressSignals(facts, whole), ...hookSignals(facts)],
  fromLine: (text, line) => [
    ...walletAddresses(text)
      .filter((address) => address.confident)
      .map((address) => addressSignal(address, line)),
    ...walletHooksInLine(text, line).map((hook) => ({ ...hook, role: 'hook' as const }))
  ]
}

function hookSignals(facts: FileFacts): Tagged[] {
  return walletHooks(facts).map((hook) => ({ ...hook, role: 'hook' as const }))
}

function addressSignal(address: WalletAddress, line: number): Tagged {
  return { role: 'address', address, line, key: `address:${address.value}`, needle: address.value }
}

/** Addresses in the introduced strings that hold up given the whole file's context. */
function addressSignals(facts: FileFacts, whole: FileFacts): Tagged[] {
  const found: { address: WalletAddress; line: number }[] = []
  for (const fact of facts.strings) {
    for (const address of walletAddresses(fact.value)) {
      if (address.chain === 'ETH' && inHashTable(facts, fact.line, fact.value)) continue
      found.push({ address, line: fact.line })
    }
  }
  if (found.length === 0) return []
  const confidentChains = new Set(
    found.filter((f) => f.address.confident).map((f) => f.address.chain)
  )
  const words = contextText(whole)
  const hooked = walletHooks(whole).length > 0
  return found
    .filter(({ address }) => {
      if (address.confident) return true
      if (address.chain === 'SOL') return confidentChains.size > 0 || SOLANA_WORDS.test(words)
      return confidentChains.size > 0 || hooked || WALLET_WORDS.test(words)
    })
    .map(({ address, line }) => addressSignal(address, line))
}

/** `{ sha1: '0x…' }`: a hash constant in a table, not a wallet. */
function inHashTable(facts: FileFacts, line: number, value: string): boolean {
  return facts.properties.some(
    (property) => property.line === line && property.value === value && HASH_KEY.test(property.key)
  )
}

function contextText(whole: FileFacts): string {
  const strings = whole.strings
    .slice(0, MAX_CONTEXT_STRINGS)
    .map((fact) => fact.value.slice(0, 200))
  return [...whole.identifiers, ...whole.members.map((member) => member.path), ...strings].join(' ')
}

// ---- verdict ----

interface FileVerdict {
  file: string
  addresses: { address: WalletAddress; line: number; needle: string }[]
  hooks: WalletHook[]
  obfuscated: boolean
  polyfillOnly: boolean
}

function check(ctx: RuleContext): Finding[] {
  const perFile = introducedSignals(ctx, detector).map((entry) => verdictOf(ctx, entry))
  if (perFile.length === 0) return []
  const packageHooks = perFile.some((entry) => entry.hooks.length > 0 && !entry.polyfillOnly)
  const packageAddresses = perFile.some((entry) => entry.addresses.length > 0)
  const changed = hasBaseline(ctx)
  const walletLibrary = isWalletLibrary(ctx.manifest) || isWalletLibrary(ctx.previousManifest)
  const ranked = perFile
    .map((entry) => ({
      entry,
      severity: severityOf(entry, { changed, walletLibrary, packageHooks, packageAddresses })
    }))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
  const worst = ranked[0]
  if (!worst) return []
  const evidence = evidenceFor(ctx, worst.entry)
  return [makeFinding(ctx, meta, describe(worst.entry, changed), evidence, worst.severity)]
}

function verdictOf(ctx: RuleContext, entry: FileSignals<Tagged>): FileVerdict {
  const addresses: FileVerdict['addresses'] = []
  const hooks: WalletHook[] = []
  for (const signal of entry.signals) {
    if (signal.role === 'address') addresses.push(signal)
    else hooks.push(signal)
  }
  const file = ctx.files?.files.get(entry.file)
  const whole = file ? factsOf(file) : undefined
  const obfuscated =
    (whole?.identifiers.filter((name) => OBFUSCATOR_NAME.test(name)).length ?? 0) >=
    OBFUSCATED_NAMES
  const lines = file?.text !== undefined ? splitLines(file.text) : []
  const polyfillOnly =
    hooks.length > 0 &&
    hooks.every((hook) => hook.target === 'fetch' && isGuarded(lines, hook.line))
  return { file: entry.file, addresses, hooks, obfuscated, polyfillOnly }
}

/** `if (typeof fetch === 'undefined') globalThis.fetch = …`: filling a gap, not wrapping. */
function isGuarded(lines: string[], line: number): boolean {
  return lines
    .slice(Math.max(0, line - 4), line)
    .some((text) => POLYFILL_GUARD.test(text.slice(0, 2000)))
}

interface PackageView {
  changed: boolean
  walletLibrary: boolean
  packageHooks: boolean
  packageAddresses: boolean
}

function severityOf(entry: FileVerdict, view: PackageView): Severity {
  const hasAddresses = entry.addresses.length > 0
  const hasHooks = entry.hooks.length > 0 && !entry.polyfillOnly
  const both = (hasAddresses && view.packageHooks) || (hasHooks && view.packageAddresses)
  const strong = both || ((hasAddresses || hasHooks) && entry.obfuscated)
  if (view.changed) {
    if (strong) return 'critical'
    if (hasHooks) return 'high'
    if (hasAddresses) return view.walletLibrary ? 'low' : 'medium'
    return 'low'
  }
  if (both && entry.obfuscated) return 'critical'
  if (strong) return 'high'
  if (hasHooks) return 'low'
  if (hasAddresses) return view.walletLibrary ? 'info' : 'low'
  return 'info'
}

function isWalletLibrary(manifest: Manifest | undefined): boolean {
  if (!manifest) return false
  const keywords = Array.isArray(manifest.keywords) ? manifest.keywords.join(' ') : ''
  const description = typeof manifest.description === 'string' ? manifest.description : ''
  const text = `${manifest.name} ${description.slice(0, 500)} ${keywords.slice(0, 500)}`
  const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })
  return WALLET_LIBRARY.test(text) || dependencies.some((name) => WALLET_DEPENDENCIES.test(name))
}

function describe(entry: FileVerdict, changed: boolean): string {
  const parts: string[] = []
  if (entry.addresses.length > 0) {
    const shown = entry.addresses.map(({ address }) => `${address.chain} ${address.value}`)
    const plural =
      entry.addresses.length === 1
        ? 'a wallet address'
        : `${entry.addresses.length} wallet addresses`
    parts.push(`${plural} (${listSome(shown, 3)})`)
  }
  if (entry.hooks.length > 0) {
    const names = [...new Set(entry.hooks.map((hook) => hook.name))]
    const kind = entry.polyfillOnly ? 'a guarded polyfill of' : 'hooks on'
    parts.push(`${kind} ${listSome(names, 4)}`)
  }
  const subject = changed ? 'This version adds' : 'The package has'
  const obfuscation = entry.obfuscated ? ' in obfuscated code' : ''
  return `${subject} ${parts.join(' and ')} in ${entry.file}${obfuscation}.`
}

function evidenceFor(ctx: RuleContext, entry: FileVerdict): Evidence[] {
  const at = (signal: { line: number; needle: string }) =>
    evidenceAt(ctx.files, entry.file, signal.line, signal.needle)
  const hooks = entry.hooks.map(at)
  const addresses = entry.addresses.map(at)
  return uniqueEvidence([...hooks.slice(0, MAX_EVIDENCE / 2), ...addresses, ...hooks], MAX_EVIDENCE)
}

export const rule: Rule = { meta, check }
