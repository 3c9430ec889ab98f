// The correlation table: which combinations of introduced signals make a threat. One row per
// combination, each naming its signals and its scope. A row fires only when every one of its groups
// is met by a signal this version introduces; a capability alone (uses the network, reads the
// environment, spawns a process) never fires.
//
// Severities: `severity` when the previous version is known (the signals are what the release
// added), `withoutBaseline` for an added package, where every capability counts as "introduced"
// and only strong shapes should fail the gate.
import type { Severity } from '../../../types.js'
import type { Signal } from './collect.js'
import type { SignalKind } from './signals.js'

export interface SignalGroup {
  /** Interchangeable kinds: one signal of any of them meets the group. */
  kinds: SignalKind[]
  /**
   * Within this many lines of the row's first group (same file): "feeding", not just "nearby".
   * On a dense line (over ~1,000 characters, or in a minified file) line distance means nothing:
   * there the signal must be linked to the first group's (the decoded literal is the very
   * argument of the dynamic-code call on that line), or the group is not met.
   */
  near?: number
}

export interface Combination {
  id: string
  /** What the combination means, for the finding message. */
  title: string
  scope: 'file' | 'package'
  requires: SignalGroup[]
  severity: Severity
  withoutBaseline: Severity
}

export const COMBINATIONS: readonly Combination[] = [
  {
    // Nx telemetry.js, Shai-Hulud bundle.js: secrets read and sent from the same code
    id: 'credentials-to-network',
    title: 'a new credential or environment read and a new network sink in the same file',
    scope: 'file',
    requires: [{ kinds: ['credential-read'] }, { kinds: ['network-sink'] }],
    severity: 'critical',
    withoutBaseline: 'medium'
  },
  {
    // harvest in one file, post to a collector from another
    id: 'credentials-to-collector',
    title:
      'a new credential read and a new exfiltration endpoint (collector, webhook, raw IP) in the same package',
    scope: 'package',
    requires: [{ kinds: ['credential-read'] }, { kinds: ['exfil-host'] }],
    severity: 'critical',
    withoutBaseline: 'high'
  },
  {
    // Shai-Hulud 1 and 2: `node bundle.js` / `node setup_bun.js` running an obfuscated payload
    id: 'install-runs-obfuscated-file',
    title:
      'a new install script that runs a new or changed file that is obfuscated or a large minified blob',
    scope: 'file',
    requires: [{ kinds: ['install-runs-file'] }, { kinds: ['obfuscation', 'large-blob'] }],
    severity: 'critical',
    withoutBaseline: 'high'
  },
  {
    // Nx, Scavenger, Shai-Hulud 2: the install script's new file starts processes or posts to a
    // collector
    id: 'install-runs-active-file',
    title:
      'a new install script that runs a new or changed file that spawns processes or contacts an exfiltration endpoint',
    scope: 'file',
    requires: [{ kinds: ['install-runs-file'] }, { kinds: ['spawn', 'exfil-host'] }],
    severity: 'critical',
    withoutBaseline: 'medium'
  },
  {
    // a host named in a thank-you banner is not contacted: the file must also send something
    id: 'install-runs-file-calling-new-host',
    title:
      'a new install script that runs a new or changed file that sends requests to a new endpoint',
    scope: 'file',
    requires: [
      { kinds: ['install-runs-file'] },
      { kinds: ['new-host'] },
      { kinds: ['network-sink'] }
    ],
    severity: 'critical',
    withoutBaseline: 'medium'
  },
  {
    // a decoded payload handed to eval, in a file that also fetches
    id: 'decode-eval-network',
    title: 'a new decode feeding dynamic code execution, with a network sink in the same file',
    scope: 'file',
    requires: [
      { kinds: ['dynamic-code'] },
      { kinds: ['decode'], near: 5 },
      { kinds: ['network-sink', 'new-host', 'exfil-host'] }
    ],
    severity: 'critical',
    withoutBaseline: 'high'
  },
  {
    // xrpl 4.2.1: a plain fetch posting the wallet seed to a host the package never used
    id: 'key-material-to-new-host',
    title: 'wallet key material sent in a request to a new endpoint',
    scope: 'file',
    requires: [
      { kinds: ['request'] },
      { kinds: ['key-material'], near: 6 },
      { kinds: ['new-host', 'exfil-host'], near: 6 }
    ],
    severity: 'critical',
    withoutBaseline: 'high'
  },
  {
    // the qix wave: fetch/XHR/wallet hooks swapping addresses for the attacker's
    id: 'wallet-hook',
    title:
      'a new hook on fetch, XMLHttpRequest or a wallet API and wallet address literals in the same file',
    scope: 'file',
    requires: [{ kinds: ['network-hook'] }, { kinds: ['wallet-literal'] }],
    severity: 'critical',
    withoutBaseline: 'high'
  }
]

export interface CombinationMatch {
  combination: Combination
  /** The file for a same-file row; undefined for a package row. */
  file?: string
  /** One signal per group, in the row's order. */
  signals: Signal[]
}

/** Every row met by the signals: one match per row and file (package rows: at most one). */
export function matchCombinations(
  signals: Signal[],
  table: readonly Combination[] = COMBINATIONS
): CombinationMatch[] {
  const byScope = new Map<string, Signal[]>()
  for (const signal of signals) {
    const group = byScope.get(signal.scope)
    if (group) group.push(signal)
    else byScope.set(signal.scope, [signal])
  }
  const matches: CombinationMatch[] = []
  for (const combination of table) {
    if (combination.scope === 'package') {
      const met = meet(combination.requires, signals)
      if (met) matches.push({ combination, signals: met })
      continue
    }
    for (const [file, inFile] of byScope) {
      const met = meet(combination.requires, inFile)
      if (met) matches.push({ combination, file, signals: met })
    }
  }
  return matches
}

/** One signal per group, the `near` groups close to the first group's signal; or undefined. */
function meet(groups: SignalGroup[], signals: Signal[]): Signal[] | undefined {
  const [first, ...rest] = groups
  if (!first) return undefined
  for (const anchor of signals.filter((signal) => first.kinds.includes(signal.kind))) {
    const others = rest.map((group) =>
      signals.find(
        (signal) =>
          group.kinds.includes(signal.kind) &&
          (group.near === undefined || isNear(anchor, signal, group.near))
      )
    )
    if (others.every((signal) => signal !== undefined)) return [anchor, ...(others as Signal[])]
  }
  return undefined
}

function isNear(a: Signal, b: Signal, lines: number): boolean {
  if (a.evidence.file !== b.evidence.file) return false
  if (a.dense || b.dense) return isLinked(a, b)
  return Math.abs(a.line - b.line) <= lines
}

/** The same value on the same line: `eval(atob('…'))`, whose decoded text is eval's argument. */
function isLinked(a: Signal, b: Signal): boolean {
  return a.line === b.line && a.link !== undefined && a.link === b.link
}
