// Hooks on what a crypto clipper intercepts: `fetch`, `XMLHttpRequest.prototype.open/send`, and the
// wallet objects browsers inject (`window.ethereum`, `solana`, `tronWeb`). A hook is an assignment
// to one of them (`window.fetch = …`, `XMLHttpRequest.prototype.send = …`), an
// `Object.defineProperty(window, 'ethereum', …)` (the facts report it as an assignment), or a
// `new Proxy(window.ethereum, …)` on the same line as the wallet object.
import type { FileFacts } from '../code/types.js'

export type HookTarget = 'fetch' | 'xhr' | 'wallet'

export interface WalletHook {
  target: HookTarget
  /** The hooked path without its global prefix: `fetch`, `ethereum.request`. */
  name: string
  line: number
  key: string
  needle: string
}

const GLOBAL_PREFIX = /^(?:(?:window|globalThis|global|self|top|parent|document\.defaultView)\.)+/

const HOOKS: [RegExp, HookTarget][] = [
  [/^fetch$/, 'fetch'],
  [/^XMLHttpRequest(?:\.prototype(?:\.(?:open|send|setRequestHeader))?)?$/, 'xhr'],
  [/^ethereum(?:\.(?:request|send|sendAsync|enable|providers))?$/, 'wallet'],
  [
    /^(?:phantom\.)?solana(?:\.(?:request|connect|signTransaction|signAllTransactions|signAndSendTransaction|signMessage))?$/,
    'wallet'
  ],
  [
    /^(?:tronWeb|tronLink)(?:\.trx)?(?:\.(?:sign|sendTransaction|sendRawTransaction|request))?$/,
    'wallet'
  ]
]

/** The global a member path names, without `window.`/`globalThis.`: `fetch`, `ethereum.request`. */
export function globalName(path: string): string {
  return path.replace(GLOBAL_PREFIX, '')
}

function targetOf(name: string): HookTarget | undefined {
  return HOOKS.find(([pattern]) => pattern.test(name))?.[1]
}

function hook(target: HookTarget, name: string, line: number): WalletHook {
  const needle = name.split('.').pop() ?? name
  return { target, name, line, key: `hook:${name}`, needle }
}

/** Every hook on fetch, XHR or a wallet provider in a file's facts. */
export function walletHooks(facts: FileFacts): WalletHook[] {
  const hooks: WalletHook[] = []
  for (const member of facts.members) {
    const name = globalName(member.path)
    const target = targetOf(name)
    if (!target) continue
    if (member.assigned) hooks.push(hook(target, name, member.line))
    else if (target === 'wallet' && proxiedOnLine(facts, member.line)) {
      hooks.push(hook(target, name, member.line))
    }
  }
  return hooks
}

function proxiedOnLine(facts: FileFacts, line: number): boolean {
  return facts.calls.some((call) => call.line === line && call.callee === 'new Proxy')
}

const LINE_HOOK =
  /\b(?:window|globalThis|self)\.(fetch|ethereum|solana|tronWeb)\s*=(?!=)|XMLHttpRequest\.prototype\.(open|send)\s*=(?!=)/

/** A hook written in one line of a script the parser did not read. */
export function walletHooksInLine(text: string, line: number): WalletHook[] {
  if (text.length > 4096) return []
  const match = LINE_HOOK.exec(text)
  if (!match) return []
  const name = match[1] ?? `XMLHttpRequest.prototype.${match[2] ?? 'open'}`
  const target = targetOf(name)
  return target ? [hook(target, name, line)] : []
}
