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
// Severity, for a changed package: medium; high for a raw IP, an unusual port (not 80, 443, 8080,
// 8443) or a throwaway request collector (webhook.site, pipedream, ngrok...); low for the package's
// own homepage or repository site and for code-hosting web links (usually in error messages).
// For an added package (or an unreadable previous version) a host is a capability, not a change:
// info, except raw IPs and request collectors (medium).
//
// Known false positives: a new API the package legitimately starts to use (e.g. a new mirror).
// Ignored: comments, docs, tests, type declarations, source maps, loopback, RFC 2606 example hosts,
// XML/JSON schema namespaces.
import type { Evidence, Finding, PackageFiles, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import { isCommentLine } from '../lib/code-files.js'
import { findHosts, type HostMatch } from '../lib/hosts.js'
import { isExfilService, isIgnoredHost, isLinkHost, ownSites, siteOf } from '../lib/host-policy.js'
import { collectIntroduced, hasBaseline } from '../lib/introduced.js'
import { clipAround, listSome } from '../lib/text.js'

const meta: RuleMeta = {
  id: 'content/new-endpoint',
  title: 'New network endpoint',
  description:
    'This version adds code that refers to a host the previous version never mentioned: where ' +
    'stolen data usually goes (a collector, a raw IP, an attacker domain).',
  defaultSeverity: 'medium',
  version: 1
}

const MAX_HOSTS_LISTED = 5
const MAX_EVIDENCE = 10
const MAX_HOSTS_PER_FILE = 2000
const USUAL_PORTS = new Set([80, 443, 8080, 8443])

interface NewHost {
  match: HostMatch
  severity: Severity
  evidence: Evidence
}

function check(ctx: RuleContext): Finding[] {
  const introduced = collectIntroduced(ctx)
  const known = hasBaseline(ctx) ? knownSites(ctx.previousFiles) : undefined
  const own = ownSites(ctx.manifest)
  const hosts = new Map<string, NewHost>()
  for (const line of introduced.lines) {
    if (isCommentLine(line.file, line.text)) continue
    for (const match of findHosts(line.text)) {
      if (hosts.has(match.host) || isIgnoredHost(match.host)) continue
      if (known && (known.hosts.has(match.host) || known.sites.has(siteOf(match.host)))) continue
      const evidence = {
        file: line.file,
        line: line.line,
        snippet: clipAround(line.text, match.index)
      }
      hosts.set(match.host, {
        match,
        severity: severityOf(match, own, known !== undefined),
        evidence
      })
    }
  }
  if (hosts.size === 0) return []
  return [findingFor(ctx, [...hosts.values()], introduced.capped)]
}

function findingFor(ctx: RuleContext, hosts: NewHost[], capped: boolean): Finding {
  const ordered = [...hosts].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
  const worst = ordered[0]?.severity ?? 'info'
  const names = ordered.map(({ match }) =>
    match.port ? `${match.host}:${match.port}` : match.host
  )
  const verb = hasBaseline(ctx) ? 'This version adds code that talks to' : 'The package refers to'
  const plural = names.length === 1 ? 'a new host' : `${names.length} new hosts`
  const note = capped ? ' (only part of the new code was read)' : ''
  const message = `${verb} ${plural}: ${listSome(names, MAX_HOSTS_LISTED)}${note}.`
  const evidence = uniqueByLine(ordered.map((host) => host.evidence)).slice(0, MAX_EVIDENCE)
  return makeFinding(ctx, meta, message, evidence, worst)
}

/** Several new hosts on one line are one piece of evidence. */
function uniqueByLine(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>()
  return evidence.filter((item) => {
    const key = `${item.file}:${item.line}`
    return !seen.has(key) && Boolean(seen.add(key))
  })
}

function severityOf(match: HostMatch, own: Set<string>, changed: boolean): Severity {
  const alarming = match.isIp || isExfilService(match.host)
  if (!changed) return alarming ? 'medium' : 'info'
  if (alarming || (match.port !== undefined && !USUAL_PORTS.has(match.port))) return 'high'
  if (own.has(siteOf(match.host)) || isLinkHost(match.host)) return 'low'
  return 'medium'
}

/** Every host and site mentioned anywhere in the previous version, docs included. */
function knownSites(previous: PackageFiles | undefined) {
  const hosts = new Set<string>()
  for (const file of previous?.files.values() ?? []) {
    if (file.text === undefined) continue
    for (const match of findHosts(file.text, MAX_HOSTS_PER_FILE)) hosts.add(match.host)
  }
  return { hosts, sites: new Set([...hosts].map(siteOf)) }
}

export const rule: Rule = { meta, check }
