// content/exfiltration-chain
//
// Detects: threats that combine in what this version introduces, as listed in the correlation
// table (src/rules/lib/correlation/combinations.ts): a new credential or environment read and a new
// network sink in the same file; a new credential read and a new exfiltration endpoint in the same
// package; a new install script that runs a new or changed file that is obfuscated, a large
// minified blob, spawns processes or contacts a new endpoint; a new decode feeding dynamic code
// execution with a network sink in the same file; wallet key material (`seed`, `mnemonic`,
// `privateKey`) next to a request to a new endpoint; a new hook on fetch/XHR/wallet APIs with
// wallet address literals in the same file.
//
// Why: a capability alone is context (most packages use the network, many read the environment).
// Each incident in INCIDENTS.md is a combination: Nx and Shai-Hulud read secrets and sent them,
// from a file an install script started; xrpl posted the wallet seed to a new host; the qix
// clipper hooked fetch and carried the attacker's wallets. One finding per package names every combination met and each signal's file:line.
//
// Severity: critical for a changed package (the row's `severity`); for an added package (or an
// unreadable previous version), where every capability counts as new, the row's calibrated
// `withoutBaseline` severity (high for strong shapes, medium otherwise).
//
// Known false positives: a release that adds authenticated uploads (a token read and a request in
// the same new file), an installer that starts downloading a prebuilt binary from a new host.
// Signals the previous version already had anywhere (same key) do not count, so a refactor or a
// reformat is quiet.
import type { Evidence, Finding, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import { collectSignals, type Signal } from '../lib/correlation/collect.js'
import { matchCombinations, type CombinationMatch } from '../lib/correlation/combinations.js'
import { SIGNAL_LABELS } from '../lib/correlation/signals.js'
import { hasBaseline } from '../lib/introduced.js'

const meta: RuleMeta = {
  id: 'content/exfiltration-chain',
  title: 'Threats combined in new code',
  description:
    'This version introduces several threat signals that together make an attack: reading ' +
    'secrets and sending them out, an install script running a new obfuscated or active file, ' +
    'decoded code executed next to a network call, or fetch/wallet hooks with wallet addresses.',
  defaultSeverity: 'critical',
  version: 1
}

const MAX_COMBINATIONS_LISTED = 3
const MAX_EVIDENCE = 10

function check(ctx: RuleContext): Finding[] {
  if (!ctx.files) return []
  const matches = matchCombinations(collectSignals(ctx))
  if (matches.length === 0) return []
  const baseline = hasBaseline(ctx)
  const graded = matches
    .map((match) => ({ match, severity: severityOf(match, baseline) }))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
  const worst = graded[0]?.severity ?? 'info'
  const listed = graded.slice(0, MAX_COMBINATIONS_LISTED).map(({ match }) => describe(match))
  const more =
    graded.length > MAX_COMBINATIONS_LISTED
      ? ` (+${graded.length - MAX_COMBINATIONS_LISTED} more)`
      : ''
  const lead = baseline ? 'This version combines' : 'The package combines'
  const message = `${lead} ${listed.join('; and ')}${more}.`
  const evidence = uniqueEvidence(graded.flatMap(({ match }) => match.signals))
  return [makeFinding(ctx, meta, message, evidence, worst)]
}

function severityOf(match: CombinationMatch, baseline: boolean): Severity {
  return baseline ? match.combination.severity : match.combination.withoutBaseline
}

/** `a new … in the same file (index.js): credential read process.env.NPM_TOKEN at index.js:3, …`. */
function describe(match: CombinationMatch): string {
  const where = match.file ? ` (${match.file})` : ''
  const signals = match.signals.map(
    (signal) => `${SIGNAL_LABELS[signal.kind]} ${signal.detail} at ${locationOf(signal)}`
  )
  return `${match.combination.title}${where}: ${signals.join(', ')}`
}

function locationOf(signal: Signal): string {
  return `${signal.evidence.file ?? signal.scope}:${signal.evidence.line ?? signal.line}`
}

function uniqueEvidence(signals: Signal[]): Evidence[] {
  const seen = new Set<string>()
  const evidence: Evidence[] = []
  for (const signal of signals) {
    const key = locationOf(signal)
    if (seen.has(key)) continue
    seen.add(key)
    evidence.push(signal.evidence)
  }
  return evidence.slice(0, MAX_EVIDENCE)
}

export const rule: Rule = { meta, check }
