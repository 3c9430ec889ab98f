// Small detectors for the threat signals the correlation table combines. Each one looks at what a
// file introduces (code facts for JavaScript, lines for shell and other scripts) and names one
// capability: a credential read, a network sink, a process spawn, dynamic code, a decode, a hook on
// fetch/XHR/wallet APIs, a wallet address literal. Alone each is context (most packages use the
// network); the table in combinations.ts says which combinations are threats.
//
// Every signal has a key (`network:fetch`, `env:NPM_TOKEN`): a key the previous version already had
// anywhere is not introduced, so a reformatted file or a moved function does not look new.
//
// The detectors the other content rules use are reused rather than copied: credential sources,
// network sinks, wallet addresses and hooks (`secrets/`), process spawns and command shapes
// (`exec/`). Dynamic code and decodes are small and local.
import type { CallFact, FileFacts, StringFact } from '../code/types.js'
import { findCommands } from '../exec/commands.js'
import { methodOf } from '../exec/facts.js'
import {
  EVERYDAY_BINARIES,
  importsProcessModule,
  isSpawnCall,
  spawnedBinary
} from '../exec/spawn.js'
import {
  credentialSources,
  credentialSourcesInLine,
  type CredentialSource
} from '../secrets/credential-sources.js'
import {
  networkSinks as sinksOf,
  networkSinksInLine,
  type NetworkSink
} from '../secrets/network-sinks.js'
import type { Detector, Signal as KeyedSignal } from '../secrets/signals.js'
import { walletAddresses } from '../secrets/wallet-addresses.js'
import { walletHooks, walletHooksInLine } from '../secrets/wallet-hooks.js'

export type SignalKind =
  | 'credential-read'
  | 'network-sink'
  | 'new-host'
  | 'exfil-host'
  | 'spawn'
  | 'dynamic-code'
  | 'decode'
  | 'obfuscation'
  | 'large-blob'
  | 'install-runs-file'
  | 'network-hook'
  | 'wallet-literal'
  | 'key-material'
  | 'request'

/** How each kind reads in a finding. */
export const SIGNAL_LABELS: Record<SignalKind, string> = {
  'credential-read': 'credential read',
  'network-sink': 'network sink',
  'new-host': 'new endpoint',
  'exfil-host': 'exfiltration endpoint',
  spawn: 'process spawn',
  'dynamic-code': 'dynamic code',
  decode: 'decode',
  obfuscation: 'obfuscation',
  'large-blob': 'large minified blob',
  'install-runs-file': 'install script',
  'network-hook': 'network/wallet hook',
  'wallet-literal': 'wallet address',
  'key-material': 'key material',
  request: 'request'
}

/** A signal from the facts of one file, before it is placed in a package-wide list. */
export interface FactSignal extends KeyedSignal {
  kind: SignalKind
  /** Short description: `process.env.NPM_TOKEN`, `fetch(...)`. */
  detail: string
  /**
   * The value that ties two signals on one line together: the constant code a dynamic-code call
   * runs, the text a decoded literal decodes to. Equal links mean "this decode is that argument".
   */
  link?: string
}

const DYNAMIC_CODE = new Set([
  'eval',
  'Function',
  'new Function',
  'vm.runInThisContext',
  'vm.runInNewContext',
  'vm.runInContext',
  'vm.compileFunction',
  'new vm.Script'
])
const TIMERS = new Set(['setTimeout', 'setInterval'])
const DECODE_ENCODINGS = new Set(['base64', 'base64url', 'hex'])
const DECODED_LITERAL: ReadonlySet<string> = new Set(['base64', 'char-codes', 'hex'])

function signal(
  kind: SignalKind,
  line: number,
  key: string,
  detail: string,
  needle?: string
): FactSignal {
  return { kind, line, key, detail, ...(needle ? { needle } : {}) }
}

/**
 * Credential files, token variables, the whole environment and cloud metadata endpoints, as the
 * credential rule sees them (`secrets/credential-sources.ts`). Two groups are left out here: a
 * `.env` loader and the package's own variables (`POSTMARK_TOKEN` in postmark-mcp) are how
 * honest code is configured, and would make every authenticated client a "chain".
 */
export function credentialReads(facts: FileFacts, packageName?: string): FactSignal[] {
  return credentialSources(facts, packageName ? { packageName } : {}).flatMap((source) =>
    source.group === 'dotenv' ? [] : [fromSource(source)]
  )
}

function fromSource(source: CredentialSource): FactSignal {
  const detail =
    source.kind === 'env-var'
      ? `process.env.${source.name}`
      : source.kind === 'env-dump'
        ? `the whole environment (${source.name})`
        : source.name
  return signal('credential-read', source.line, source.key, detail, source.needle)
}

/** Calls that send data out (`secrets/network-sinks.ts`); a bare import is not a call. */
export function networkSinks(facts: FileFacts): FactSignal[] {
  return sinkSignals(sinksOf(facts))
}

function sinkSignals(sinks: NetworkSink[]): FactSignal[] {
  return sinks.flatMap((sink) =>
    sink.kind === 'module'
      ? []
      : [signal('network-sink', sink.line, sink.key, `${sink.name}(…)`, sink.needle)]
  )
}

/** Process spawns, except of everyday tools (`git`, `node`, `npm`...). */
export function spawns(facts: FileFacts, whole: FileFacts): FactSignal[] {
  const importsProcess = importsProcessModule(whole)
  return facts.calls.flatMap((call) => {
    if (!isSpawnCall(call, importsProcess)) return []
    const binary = spawnedBinary(call)
    if (binary && EVERYDAY_BINARIES.has(binary)) return []
    const what = binary ? `${call.callee}('${binary}…')` : `${call.callee}(…)`
    return [signal('spawn', call.line, `spawn:${binary ?? methodOf(call.callee)}`, what)]
  })
}

/** eval, Function, vm, and timers given a string. */
export function dynamicCode(facts: FileFacts): FactSignal[] {
  return facts.calls.flatMap((call) => {
    const bare = call.callee.replace(/^(?:window|globalThis|global|self)\./, '')
    const isTimerString = TIMERS.has(bare) && call.args[0] !== undefined
    if (!DYNAMIC_CODE.has(bare) && !isTimerString) return []
    const found = signal('dynamic-code', call.line, `dynamic:${bare}`, `${call.callee}(…)`)
    const code = codeArgument(bare, call)
    return [code === undefined ? found : { ...found, link: code }]
  })
}

/** The constant code a dynamic-code call runs: a Function's body is its last argument. */
function codeArgument(bare: string, call: CallFact): string | undefined {
  return bare === 'Function' || bare === 'new Function'
    ? call.args[call.args.length - 1]
    : call.args[0]
}

/** atob, Buffer.from(…, 'base64'|'hex'), String.fromCharCode, and literals decoded from those. */
export function decodes(facts: FileFacts): FactSignal[] {
  const found: FactSignal[] = facts.calls.flatMap((call) => {
    const name = decodeCallName(call)
    return name ? [signal('decode', call.line, `decode:${name}`, name)] : []
  })
  for (const fact of facts.strings) {
    if (!isDecodedLiteral(fact)) continue
    const key = `decoded:${fact.value.slice(0, 64)}`
    found.push({
      ...signal('decode', fact.line, key, `a ${fact.decodedFrom} literal`),
      link: fact.value
    })
  }
  return found
}

function decodeCallName(call: CallFact): string | undefined {
  const method = methodOf(call.callee)
  if (method === 'atob') return 'atob(…)'
  if (call.callee === 'String.fromCharCode') return 'String.fromCharCode(…)'
  if (call.callee === 'Buffer.from' && DECODE_ENCODINGS.has(call.args[1] ?? '')) {
    return `Buffer.from(…, '${call.args[1]}')`
  }
  return undefined
}

function isDecodedLiteral(fact: StringFact): boolean {
  return fact.decodedFrom !== undefined && DECODED_LITERAL.has(fact.decodedFrom)
}

/** Replacing fetch, XMLHttpRequest methods or wallet provider APIs (the qix clipper). */
export function networkHooks(facts: FileFacts): FactSignal[] {
  return walletHooks(facts).map((hook) =>
    signal('network-hook', hook.line, hook.key, `${hook.name} replaced`, hook.needle)
  )
}

/** Crypto wallet addresses written as literals (checksummed BTC/TRX, ETH, SOL). */
export function walletLiterals(facts: FileFacts): FactSignal[] {
  return facts.strings.flatMap((fact) =>
    walletAddresses(fact.value).map((address) =>
      signal(
        'wallet-literal',
        fact.line,
        `wallet:${address.value}`,
        `${address.chain} ${address.value}`,
        address.value
      )
    )
  )
}

/** The same signals in a line of a shell or other non-JavaScript script. */
export function lineSignals(text: string, line: number, packageName?: string): FactSignal[] {
  const options = packageName ? { packageName } : {}
  const found: FactSignal[] = [
    ...credentialSourcesInLine(text, line, options)
      .filter((source) => source.group !== 'dotenv')
      .map(fromSource),
    ...sinkSignals(networkSinksInLine(text, line)),
    ...walletHooksInLine(text, line).map((hook) =>
      signal('network-hook', line, hook.key, `${hook.name} replaced`, hook.needle)
    )
  ]
  for (const command of findCommands(text)) {
    found.push(signal('spawn', line, `command:${command.kind}`, command.label, command.match))
  }
  return found
}

/** All the detectors as one, in the shape the introduced-signal plumbing expects. */
export function detectorFor(packageName?: string): Detector<FactSignal> {
  return {
    fromFacts: (facts, whole) => [
      ...credentialReads(facts, packageName),
      ...networkSinks(facts),
      ...spawns(facts, whole),
      ...dynamicCode(facts),
      ...decodes(facts),
      ...networkHooks(facts),
      ...walletLiterals(facts)
    ],
    fromLine: (text, line) => lineSignals(text, line, packageName)
  }
}

/**
 * Names of wallet key material: `seed`, `mnemonic`, `privateKey`. A generic `secret` or
 * `secretKey` is left out on purpose: OAuth clients and payment SDKs send those to their own
 * APIs. Matched on object keys (`{ seed }`, `body: { mnemonic: m }`) and member names
 * (`this.privateKey`), which the facts locate by line.
 */
const KEY_MATERIAL = /^(?:seed|seed_?phrase|mnemonic(?:_?phrase)?|priv(?:ate)?_?key|wif)$/i

/**
 * Key material and requests on introduced lines, not compared with the previous version: a wallet
 * library has always handled seeds and may always have made requests; what matters is that this
 * version puts the two next to a host it never used (see the key-material row).
 */
export function flowSignals(facts: FileFacts): FactSignal[] {
  const found: FactSignal[] = []
  for (const property of facts.properties) {
    if (KEY_MATERIAL.test(property.key)) {
      found.push(
        signal('key-material', property.line, `key:${property.key}`, property.key, property.key)
      )
    }
  }
  for (const member of facts.members) {
    const name = member.path.slice(member.path.lastIndexOf('.') + 1)
    if (!member.assigned && member.path.includes('.') && KEY_MATERIAL.test(name)) {
      found.push(signal('key-material', member.line, `key:${name}`, member.path, name))
    }
  }
  for (const sink of sinksOf(facts)) {
    if (sink.kind === 'module' || sink.kind === 'process') continue
    found.push(signal('request', sink.line, sink.key, `${sink.name}(…)`, sink.needle))
  }
  return found
}
