// content/credential-harvesting
//
// Detects: code this version introduces that reads credentials (`.npmrc`, `.ssh/id_rsa`,
// `.aws/credentials`, `.config/gcloud`, `.azure`, `.kube/config`, `.docker/config.json`, `.env`,
// `.git-credentials`, `.netrc`, browser and wallet stores, token environment variables such as
// `NPM_TOKEN` or `*_SECRET`, the whole `process.env`, cloud metadata endpoints), graded by whether
// the same version also introduces a network sink (`fetch`, `http(s).request`, axios, sockets,
// WebSocket, DNS lookups of computed names, `curl` in a child process, `sendMail`).
//
// Why: Nx "s1ngularity" and Shai-Hulud collected tokens, keys and the environment and sent them
// out; a stolen npm or GitHub token is how the worms spread. Reading a credential is sometimes
// honest; reading one and, in the same release, starting to talk to the network is the shape of
// theft. The correlation is explicit:
//
//   changed package: source alone = low; source + sink in the package's new code = high;
//                    source + sink in the same file = critical.
//   added package:   source alone = info; source + sink in the package = low; same file = medium,
//                    high when the file reads a wallet or browser store, or the credential files
//                    of three different tools (a bundled CLI reading many token variables is not).
//
// In a minified bundle (a minified-shaped file, or source and sink only on lines over ~1,000
// characters) "the same file" says little: a whole program shares it. There the same-file grade
// falls back to the same-package one.
//
// "Introduced" means absent from the whole previous version: a CLI that already read `NPM_TOKEN`
// (in any file) to authenticate to its registry does not introduce it again by moving the code.
// A package's own variables (`POSTMARK_SERVER_TOKEN` in `postmark-mcp`, `AWS_*` in `@aws-sdk/*`)
// are configuration, not harvesting. `process.env` copied into a child process's `env` is ignored.
// Test-only variables (`TEST_NPM_PASSWORD`, `E2E_GITHUB_TOKEN`) are the package's own test
// switches, not a victim's credentials.
//
// Known false positives: an honest new integration that reads another service's token (e.g. a
// release tool adding `GITLAB_TOKEN` support) next to its new HTTP call; a dotenv loader added to
// a file that also gains a fetch.
import type { Evidence, Finding, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import { hasBaseline } from '../lib/introduced.js'
import { listSome } from '../lib/text.js'
import {
  credentialSources,
  credentialSourcesInLine,
  type CredentialSource
} from '../lib/secrets/credential-sources.js'
import { isLongLine, isMinifiedFile } from '../lib/secrets/dense.js'
import { evidenceAt, uniqueEvidence } from '../lib/secrets/evidence.js'
import { networkSinks, networkSinksInLine, type NetworkSink } from '../lib/secrets/network-sinks.js'
import { introducedSignals, type Detector, type FileSignals } from '../lib/secrets/signals.js'

const meta: RuleMeta = {
  id: 'content/credential-harvesting',
  title: 'Credential harvesting',
  description:
    'This version adds code that reads credentials (token files, SSH or cloud keys, token ' +
    'environment variables, the whole environment, wallet stores), worst when the same new code ' +
    'also sends data over the network.',
  defaultSeverity: 'high',
  version: 1
}

const MAX_EVIDENCE = 8
const MAX_NAMES = 6
const STRONG_GROUPS = new Set(['wallet', 'browser'])
const STRONG_GROUP_COUNT = 3

type Tagged =
  (CredentialSource & { role: 'source' }) | (NetworkSink & { role: 'sink'; ignoreBaseline: true })

function detector(packageName: string): Detector<Tagged> {
  const tag = (sources: CredentialSource[], sinks: NetworkSink[]): Tagged[] => [
    ...sources.map((source) => ({ ...source, role: 'source' as const })),
    ...sinks.map((sink) => ({ ...sink, role: 'sink' as const, ignoreBaseline: true as const }))
  ]
  return {
    fromFacts: (facts) => tag(credentialSources(facts, { packageName }), networkSinks(facts)),
    fromLine: (text, line) =>
      tag(credentialSourcesInLine(text, line, { packageName }), networkSinksInLine(text, line))
  }
}

interface FileVerdict {
  file: string
  sources: CredentialSource[]
  sinks: NetworkSink[]
  /** True when the file's sources and sinks are close enough for "same file" to mean something. */
  sameFileCounts: boolean
}

function check(ctx: RuleContext): Finding[] {
  const perFile = introducedSignals(ctx, detector(ctx.change.name)).map((entry) =>
    split(ctx, entry)
  )
  const withSources = perFile.filter((entry) => entry.sources.length > 0)
  if (withSources.length === 0) return []
  const packageHasSink = perFile.some((entry) => entry.sinks.length > 0)
  const changed = hasBaseline(ctx)
  const ranked = withSources
    .map((entry) => ({ entry, severity: severityOf(entry, packageHasSink, changed) }))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
  const worst = ranked[0]
  if (!worst) return []
  const sinkFile = worst.entry.sinks.length > 0 ? worst.entry : perFile.find((e) => e.sinks.length)
  const message = describe(worst.entry, sinkFile, changed)
  const evidence = evidenceFor(ctx, worst.entry, sinkFile)
  return [makeFinding(ctx, meta, message, evidence, worst.severity)]
}

function split(ctx: RuleContext, entry: FileSignals<Tagged>): FileVerdict {
  const sources: CredentialSource[] = []
  const sinks: NetworkSink[] = []
  for (const signal of entry.signals) {
    if (signal.role === 'source') sources.push(signal)
    else sinks.push(signal)
  }
  const verdict = { file: entry.file, sources, sinks, sameFileCounts: false }
  return { ...verdict, sameFileCounts: sameFileCounts(ctx, verdict) }
}

/**
 * A source and a sink in one readable file: at least one of each on an ordinary line, in a file
 * that is not minified in shape. In a bundle, one file (one line) holds a whole program.
 */
function sameFileCounts(ctx: RuleContext, entry: FileVerdict): boolean {
  if (entry.sources.length === 0 || entry.sinks.length === 0) return false
  if (isMinifiedFile(ctx.files, entry.file)) return false
  const ordinary = (signal: { line: number }) => !isLongLine(ctx.files, entry.file, signal.line)
  return entry.sources.some(ordinary) && entry.sinks.some(ordinary)
}

function severityOf(entry: FileVerdict, packageHasSink: boolean, changed: boolean): Severity {
  const sameFile = entry.sameFileCounts
  if (changed) return sameFile ? 'critical' : packageHasSink ? 'high' : 'low'
  if (!sameFile) return packageHasSink ? 'low' : 'info'
  return isStrong(entry.sources) ? 'high' : 'medium'
}

/**
 * Wallet or browser stores, or the credential files of several other tools at once: a harvester,
 * not a client. Environment variables do not count here: a bundled CLI reads many tokens.
 */
function isStrong(sources: CredentialSource[]): boolean {
  const groups = new Set(sources.map((source) => source.group))
  const fileGroups = new Set(
    sources.filter((source) => source.kind === 'credential-file').map((source) => source.group)
  )
  return (
    [...groups].some((group) => STRONG_GROUPS.has(group)) || fileGroups.size >= STRONG_GROUP_COUNT
  )
}

function describe(entry: FileVerdict, sinkFile: FileVerdict | undefined, changed: boolean): string {
  const names = listSome([...new Set(entry.sources.map((source) => source.name))], MAX_NAMES)
  const subject = changed ? 'This version adds code that reads' : 'The package reads'
  const read = `${subject} credentials (${names}) in ${entry.file}`
  if (!sinkFile) return `${read}; it adds no network code.`
  const sinks = listSome([...new Set(sinkFile.sinks.map((sink) => sink.name))], MAX_NAMES)
  const where =
    sinkFile.file !== entry.file
      ? `in ${sinkFile.file}`
      : entry.sameFileCounts
        ? 'in the same file'
        : 'in the same file, a minified bundle (graded as the same package)'
  const verb = changed ? 'and new network code' : 'and network code'
  return `${read}, ${verb} ${where} (${sinks}).`
}

function evidenceFor(
  ctx: RuleContext,
  entry: FileVerdict,
  sinkFile: FileVerdict | undefined
): Evidence[] {
  const at = (file: string, signal: { line: number; needle?: string }) =>
    evidenceAt(ctx.files, file, signal.line, signal.needle)
  const sources = entry.sources.map((source) => at(entry.file, source))
  const sinks = (sinkFile?.sinks ?? []).slice(0, 2).map((sink) => at(sinkFile?.file ?? '', sink))
  const half = Math.max(1, MAX_EVIDENCE - sinks.length)
  return uniqueEvidence([...uniqueEvidence(sources, half), ...sinks], MAX_EVIDENCE)
}

export const rule: Rule = { meta, check }
