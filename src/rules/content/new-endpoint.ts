// content/new-endpoint
//
// Detects: a network endpoint (URL host, host name given to a `host`/`hostname` key, quoted IPv4
// literal) that this version's code introduces and that appears nowhere in the previous version's
// files (same host, or another host of the same site: `api.x.com` is not new when `x.com` was
// there).
//
// Why: the exfiltrating releases of xrpl (a `fetch` of the wallet seed to a new host), Shai-Hulud
// (a webhook.site collector) and axios 2026 (a raw IP) all added an endpoint the package never
// talked to before. Talking to the network is normal; starting to talk to somewhere new is news.
//
// Where endpoints are read: in JavaScript files the parser reads, only from the string literals
// this version introduces (decoded: escapes, concatenations, base64), so comments never count; in
// other code files (shell, Python...) and in JavaScript the parser cannot read (Flow, broken
// code), from the introduced lines with comments removed (block comments tracked across lines).
//
// Severity, for a changed package: medium; high for a raw IP, an unusual port (not 80, 443, 8080,
// 8443) or a known exfiltration service, by category (see host-policy.ts): request bins and webhook
// catchers (webhook.site, pipedream...), chat webhooks and bot APIs (matched on the URL path:
// `discord.com/api/webhooks/`, `api.telegram.org/bot...`, `hooks.slack.com`), paste sites and
// file drops, tunnels (ngrok, trycloudflare, localtunnel...) and out-of-band testing domains
// (oast.*, interact.sh, burpcollaborator.net...). Low, for an ordinary host:
// - the package's own homepage or repository site, code-hosting web links, and raw files of its
//   own GitHub organisation (`raw.githubusercontent.com/<owner>/…`);
// - a URL inside a sentence (`See https://x.org/link/e for more information.`): a link in an
//   error or help message, shown to a person;
// - any new host in an endpoint catalogue, a package whose previous version already named at
//   least 20 distinct sites in the URLs of its code, comments left out (viem's chain list: a new
//   chain's RPC host is routine; see CATALOGUE_MIN_SITES in host-policy.ts). Links in comments
//   do not count: a bundle's license headers name many sites it never talks to.
// For an added package (or an unreadable previous version) a host is a capability, not a change:
// info, except the alarming kinds above (medium).
//
// Known false positives: a new API the package legitimately starts to use (e.g. a new mirror); a
// chat or tunnelling client library that starts to support a new service (high).
// Known gaps: an attacker host written inside prose, or added to a catalogue package, is low here
// (content/exfiltration-chain still combines it with what the code sends).
// Ignored: comments, docs, tests, type declarations, source maps, loopback, RFC 2606 example hosts,
// XML/JSON schema namespaces.
import type { Evidence, Finding, PackageFiles, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import { introducedFacts } from '../lib/code/index.js'
import type { StringFact } from '../lib/code/types.js'
import { hasCStyleComments, isCommentLine, withoutComments } from '../lib/code-files.js'
import {
  findHosts,
  isInSentence,
  isIPv4,
  isPlausibleHost,
  quotedAround,
  type HostMatch
} from '../lib/hosts.js'
import {
  exfilCategory,
  isEndpointCatalogue,
  isExfilService,
  isIgnoredHost,
  isKnownEndpoint,
  isLinkHost,
  isOwnRawContent,
  knownEndpoints,
  ownGitHubOwners,
  ownSites,
  siteOf,
  type KnownEndpoints
} from '../lib/host-policy.js'
import { collectIntroduced, hasBaseline, splitLines, type SourceLine } from '../lib/introduced.js'
import { readsAsJavaScript } from '../lib/secrets/signals.js'
import { clipAround, listSome } from '../lib/text.js'

const meta: RuleMeta = {
  id: 'content/new-endpoint',
  title: 'New network endpoint',
  description:
    'This version adds code that refers to a host the previous version never mentioned: where ' +
    'stolen data usually goes (a collector, a raw IP, an attacker domain).',
  defaultSeverity: 'medium',
  version: 2
}

const MAX_HOSTS_LISTED = 5
const MAX_EVIDENCE = 10
const MAX_HOSTS_PER_STRING = 20
const USUAL_PORTS = new Set([80, 443, 8080, 8443])
/** How far before a bare host literal a `host:` key is looked for. */
const KEY_WINDOW = 80

/** An endpoint found in introduced code, before grading. */
interface Candidate {
  match: HostMatch
  file: string
  line: number
  snippet: string
  /** True when the URL sits in a sentence (an error or help message). */
  inProse: boolean
}

interface NewHost {
  match: HostMatch
  severity: Severity
  evidence: Evidence
}

interface Grading {
  known: KnownEndpoints | undefined
  own: Set<string>
  /** GitHub owners of the package's repository, for its own raw files. */
  owners: Set<string>
  /** Asked only for an ordinary new host (it reads the previous version's code once). */
  catalogue: () => boolean
}

function check(ctx: RuleContext): Finding[] {
  const known = hasBaseline(ctx) ? knownEndpoints(ctx.previousFiles) : undefined
  const grading = {
    known,
    own: ownSites(ctx.manifest),
    owners: ownGitHubOwners(ctx.manifest),
    catalogue: () => isEndpointCatalogue(ctx.previousFiles)
  }
  const hosts = new Map<string, NewHost>()
  const parsed = parsedJavaScript(ctx)
  const introduced = collectIntroduced(ctx)
  const candidates = withProsePieces([
    ...candidatesFromStrings(ctx, parsed),
    ...candidatesFromLines(ctx, introduced.lines, new Set(parsed.keys()))
  ])
  for (const candidate of candidates) {
    const { match } = candidate
    if (isIgnoredHost(match.host) || (known && isKnownEndpoint(known, match))) continue
    const severity = severityOf(candidate, grading)
    const seen = hosts.get(match.host)
    // one entry per host, but a webhook path on a host first seen as a link upgrades it
    if (seen && severityRank(seen.severity) <= severityRank(severity)) continue
    const evidence = { file: candidate.file, line: candidate.line, snippet: candidate.snippet }
    hosts.set(match.host, { match, severity, evidence })
  }
  if (hosts.size === 0) return []
  return [findingFor(ctx, [...hosts.values()], introduced.capped)]
}

/**
 * A message written as a `+` chain has the URL in a literal of its own: the parser reports the
 * pieces and the joined message. The piece is as much prose as the message it belongs to.
 */
function withProsePieces(candidates: Candidate[]): Candidate[] {
  const key = (c: Candidate) => `${c.file}\0${c.line}\0${c.match.host}`
  const prose = new Set(candidates.filter((c) => c.inProse).map(key))
  return candidates.map((c) => (c.inProse || !prose.has(key(c)) ? c : { ...c, inProse: true }))
}

/** Introduced string literals of the JavaScript files the parser read, by file. */
function parsedJavaScript(ctx: RuleContext): Map<string, StringFact[]> {
  const byFile = new Map<string, StringFact[]>()
  for (const entry of introducedFacts(ctx)) {
    const file = ctx.files?.files.get(entry.file)
    if (file && entry.facts.parsed && readsAsJavaScript(file)) {
      byFile.set(entry.file, entry.facts.strings)
    }
  }
  return byFile
}

function candidatesFromStrings(ctx: RuleContext, parsed: Map<string, StringFact[]>): Candidate[] {
  const candidates: Candidate[] = []
  for (const [file, strings] of parsed) {
    const lines = linesOf(ctx.files, file)
    for (const fact of strings) candidates.push(...hostsInString(file, fact, lines))
  }
  return candidates
}

/**
 * Endpoints in one string literal: its URLs; for a decoded string (base64, char codes...) also the
 * host keys and quoted IPs of the code it decodes to; for a bare host name or IP, only when the
 * line gives it to a host-like key or quotes it as an IP (not a version number or a range).
 */
function hostsInString(file: string, fact: StringFact, lines: string[]): Candidate[] {
  const value = fact.value
  // composed from several literals: may hold code (keys, quoted IPs), is still plain text
  const composed = fact.decodedFrom !== undefined && fact.decodedFrom !== 'template'
  const encoded = fact.decodedFrom !== undefined && ENCODINGS.has(fact.decodedFrom)
  const found = value.includes('://')
    ? findHosts(value, MAX_HOSTS_PER_STRING).filter((m) => composed || m.kind === 'url')
    : composed
      ? findHosts(value, MAX_HOSTS_PER_STRING)
      : bareHost(value, lines[fact.line - 1] ?? '')
  return found.map((match) => {
    const line = lineOfHost(lines, fact.line, match.host)
    const text = lines[line - 1] ?? ''
    const at = text.toLowerCase().indexOf(match.host)
    return {
      match,
      file,
      line,
      snippet: at === -1 ? clipAround(value, match.index) : clipAround(text, at),
      // an encoded sentence is not a message shown to a person
      inProse: match.kind === 'url' && !encoded && isInSentence(value, match.index)
    }
  })
}

/** Encodings that hide a string from a reader (as opposed to joining literals). */
const ENCODINGS: ReadonlySet<string> = new Set(['base64', 'hex', 'char-codes', 'uri', 'escapes'])
/** A literal split over lines (a template, a `+` chain) is followed this far for its host. */
const MAX_LITERAL_LINES = 20

/** The line where a host of a literal starting at `start` is written, or `start`. */
function lineOfHost(lines: string[], start: number, host: string): number {
  const last = Math.min(lines.length, start + MAX_LITERAL_LINES)
  for (let line = start; line <= last; line++) {
    if ((lines[line - 1] ?? '').toLowerCase().includes(host)) return line
  }
  return start
}

/** `hostname: 'api.x.io'` or `'203.0.113.7'` on the source line, with its context checks. */
function bareHost(value: string, lineText: string): HostMatch[] {
  const host = value.trim().toLowerCase()
  if (host.length > 253 || !(isPlausibleHost(host) || isIPv4(host.replace(/:\d{1,5}$/, '')))) {
    return []
  }
  const at = lineText.indexOf(value)
  if (at === -1) return []
  const window = lineText.slice(Math.max(0, at - KEY_WINDOW), at + value.length + 8)
  const confirmed = findHosts(window).find((m) => m.kind !== 'url' && m.host === host)
  return confirmed ? [{ ...confirmed, index: 0 }] : []
}

/**
 * Endpoints in introduced lines of files the parser did not read: shell and other scripts, and
 * JavaScript that did not parse (its comments removed, block comments tracked across lines).
 */
function candidatesFromLines(
  ctx: RuleContext,
  lines: SourceLine[],
  parsed: Set<string>
): Candidate[] {
  const candidates: Candidate[] = []
  const stripped = new Map<string, string[]>()
  for (const line of lines) {
    if (parsed.has(line.file)) continue
    const text = codeOfLine(ctx.files, line, stripped)
    if (text === undefined) continue
    for (const match of findHosts(text)) {
      const quoted = match.kind === 'url' ? quotedAround(text, match.index) : undefined
      const offset = quoted === undefined ? 0 : text.lastIndexOf(quoted, match.index)
      candidates.push({
        match,
        file: line.file,
        line: line.line,
        snippet: clipAround(line.text, match.index),
        inProse: quoted !== undefined && isInSentence(quoted, match.index - offset)
      })
    }
  }
  return candidates
}

/**
 * The code part of a line, or undefined for a line that is all comment. In a C-style file the
 * comments are removed with the whole file in view (block comments span lines); a line that looks
 * like a comment on its own (`// …`, ` * @see …`) is skipped as before, unless a closed
 * `/* … *\/` is followed by code on the same line.
 */
function codeOfLine(
  files: PackageFiles | undefined,
  line: SourceLine,
  stripped: Map<string, string[]>
): string | undefined {
  const looksLikeComment = isCommentLine(line.file, line.text)
  if (!hasCStyleComments(line.file)) return looksLikeComment ? undefined : line.text
  let code = stripped.get(line.file)
  if (!code) {
    code = withoutComments(files?.files.get(line.file)?.text ?? '')
    stripped.set(line.file, code)
  }
  const text = code[line.line - 1] ?? line.text
  if (text.trim() === '') return undefined
  return looksLikeComment && !line.text.trimStart().startsWith('/*') ? undefined : text
}

const linesCache = new WeakMap<PackageFiles, Map<string, string[]>>()

function linesOf(files: PackageFiles | undefined, path: string): string[] {
  if (!files) return []
  const byPath = linesCache.get(files) ?? new Map<string, string[]>()
  linesCache.set(files, byPath)
  const cached = byPath.get(path)
  if (cached) return cached
  const lines = splitLines(files.files.get(path)?.text ?? '')
  byPath.set(path, lines)
  return lines
}

function findingFor(ctx: RuleContext, hosts: NewHost[], capped: boolean): Finding {
  const ordered = [...hosts].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
  const worst = ordered[0]?.severity ?? 'info'
  const names = ordered.map(({ match }) => describeHost(match))
  const verb = hasBaseline(ctx) ? 'This version adds code that talks to' : 'The package refers to'
  const plural = names.length === 1 ? 'a new host' : `${names.length} new hosts`
  const note = capped ? ' (only part of the new code was read)' : ''
  const message = `${verb} ${plural}: ${listSome(names, MAX_HOSTS_LISTED)}${note}.`
  const evidence = uniqueByLine(ordered.map((host) => host.evidence)).slice(0, MAX_EVIDENCE)
  return makeFinding(ctx, meta, message, evidence, worst)
}

/** `webhook.site (request bin)`, `203.0.113.7:4444 (raw IP)`. */
function describeHost(match: HostMatch): string {
  const name = match.port ? `${match.host}:${match.port}` : match.host
  const category = exfilCategory(match.host, match.path) ?? (match.isIp ? 'raw IP' : undefined)
  return category ? `${name} (${category})` : name
}

/** Several new hosts on one line are one piece of evidence. */
function uniqueByLine(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>()
  return evidence.filter((item) => {
    const key = `${item.file}:${item.line}`
    return !seen.has(key) && Boolean(seen.add(key))
  })
}

/**
 * Graded: collectors, chat webhooks, paste sites, tunnels, out-of-band domains, raw IPs and
 * unusual ports are alarming (high on a changed package, medium on an added one, where a host is
 * a capability rather than a change); the package's own sites, code-hosting links, links in
 * prose and new hosts of an endpoint catalogue are low.
 */
function severityOf(candidate: Candidate, grading: Grading): Severity {
  const { match } = candidate
  const unusualPort = match.port !== undefined && !USUAL_PORTS.has(match.port)
  const alarming = match.isIp || isExfilService(match.host, match.path) || unusualPort
  if (!grading.known) return alarming ? 'medium' : 'info'
  if (alarming) return 'high'
  if (grading.own.has(siteOf(match.host)) || isLinkHost(match.host)) return 'low'
  if (isOwnRawContent(match, grading.owners)) return 'low'
  if (candidate.inProse || grading.catalogue()) return 'low'
  return 'medium'
}

export const rule: Rule = { meta, check }
