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
// 8443) or a known exfiltration service, by category (see host-policy.ts): request bins and webhook
// catchers (webhook.site, pipedream...), chat webhooks and bot APIs (matched on the URL path:
// `discord.com/api/webhooks/`, `api.telegram.org/bot...`, `hooks.slack.com`), paste sites and
// file drops, tunnels (ngrok, trycloudflare, localtunnel...) and out-of-band testing domains
// (oast.*, interact.sh, burpcollaborator.net...). Low for the package's own homepage or repository
// site and for code-hosting web links (usually in error messages). For an added package (or an
// unreadable previous version) a host is a capability, not a change: info, except the alarming
// kinds above (medium).
//
// Known false positives: a new API the package legitimately starts to use (e.g. a new mirror); a
// chat or tunnelling client library that starts to support a new service (high).
// Ignored: comments, docs, tests, type declarations, source maps, loopback, RFC 2606 example hosts,
// XML/JSON schema namespaces.
import type { Evidence, Finding, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import { isCommentLine } from '../lib/code-files.js'
import { findHosts, type HostMatch } from '../lib/hosts.js'
import {
  exfilCategory,
  isExfilService,
  isIgnoredHost,
  isKnownEndpoint,
  isLinkHost,
  knownEndpoints,
  ownSites,
  siteOf
} from '../lib/host-policy.js'
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
const USUAL_PORTS = new Set([80, 443, 8080, 8443])

interface NewHost {
  match: HostMatch
  severity: Severity
  evidence: Evidence
}

function check(ctx: RuleContext): Finding[] {
  const introduced = collectIntroduced(ctx)
  const known = hasBaseline(ctx) ? knownEndpoints(ctx.previousFiles) : undefined
  const own = ownSites(ctx.manifest)
  const hosts = new Map<string, NewHost>()
  for (const line of introduced.lines) {
    if (isCommentLine(line.file, line.text)) continue
    for (const match of findHosts(line.text)) {
      if (isIgnoredHost(match.host) || (known && isKnownEndpoint(known, match))) continue
      const severity = severityOf(match, own, known !== undefined)
      const seen = hosts.get(match.host)
      // one entry per host, but a webhook path on a host first seen as a link upgrades it
      if (seen && severityRank(seen.severity) <= severityRank(severity)) continue
      const evidence = {
        file: line.file,
        line: line.line,
        snippet: clipAround(line.text, match.index)
      }
      hosts.set(match.host, { match, severity, evidence })
    }
  }
  if (hosts.size === 0) return []
  return [findingFor(ctx, [...hosts.values()], introduced.capped)]
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
 * a capability rather than a change); the package's own sites and code-hosting links are low.
 */
function severityOf(match: HostMatch, own: Set<string>, changed: boolean): Severity {
  const unusualPort = match.port !== undefined && !USUAL_PORTS.has(match.port)
  const alarming = match.isIp || isExfilService(match.host, match.path) || unusualPort
  if (!changed) return alarming ? 'medium' : 'info'
  if (alarming) return 'high'
  if (own.has(siteOf(match.host)) || isLinkHost(match.host)) return 'low'
  return 'medium'
}

export const rule: Rule = { meta, check }
