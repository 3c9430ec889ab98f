// How much a host says: which hosts are not endpoints at all (loopback, documentation, XML
// namespaces), which are throwaway collection services attackers favour, and which hosts belong to
// the package itself. The lists are short on purpose; each entry is a decision, documented here.
import type { Manifest, PackageFiles } from '../../types.js'
import { findHosts, isIPv4, type HostMatch } from './hosts.js'

/** Not network endpoints: loopback, placeholders (RFC 2606/6761) and schema or namespace URLs. */
const IGNORED_HOSTS = new Set([
  'localhost',
  '127.0.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '[::1]',
  '[::]',
  'example.com',
  'example.org',
  'example.net',
  'www.w3.org',
  'w3.org',
  'json-schema.org',
  'schema.org',
  'purl.org',
  'xmlns.com',
  'ns.adobe.com'
])
const IGNORED_SUFFIXES = ['.localhost', '.example', '.test', '.invalid', '.local']
const IGNORED_PARENTS = ['example.com', 'example.org', 'example.net', 'w3.org']

/**
 * Where stolen data is sent, by category. An honest library rarely hard-codes any of these: they
 * are throwaway collectors, anonymous drop boxes or tunnels to someone's laptop. Shai-Hulud posted
 * to webhook.site; stealers of the typosquat kind post to Discord webhooks and Telegram bots.
 */
export type ExfilCategory =
  'request bin' | 'chat webhook' | 'paste site' | 'tunnel' | 'out-of-band testing'

interface ExfilService {
  /** The host or parent domain (`webhook.site` also covers `x.webhook.site`). */
  domain: string
  category: ExfilCategory
  /**
   * When set, only URLs whose path starts like this count: `discord.com` itself is a normal
   * host, `discord.com/api/webhooks/...` is a drop box.
   */
  path?: RegExp
}

const DISCORD_WEBHOOK = /^\/api\/(?:v\d{1,2}\/)?webhooks\//i
const TELEGRAM_BOT = /^\/bot/i

const EXFIL_TABLE: [ExfilCategory, string[], RegExp?][] = [
  // request bins and webhook catchers: anyone gets a URL that records what is posted to it
  [
    'request bin',
    [
      'webhook.site',
      'webhook.cool',
      'pipedream.net',
      'requestbin.com',
      'requestbin.net',
      'requestcatcher.com',
      'hookbin.com',
      'beeceptor.com',
      'postb.in',
      'requestinspector.com',
      'ptsv2.com',
      'ptsv3.com'
    ]
  ],
  // chat webhooks and bot APIs: a message to a channel the attacker reads
  ['chat webhook', ['hooks.slack.com']],
  ['chat webhook', ['discord.com', 'discordapp.com'], DISCORD_WEBHOOK],
  ['chat webhook', ['api.telegram.org'], TELEGRAM_BOT],
  // paste sites and anonymous file drops
  [
    'paste site',
    [
      'pastebin.com',
      'paste.ee',
      'hastebin.com',
      'ghostbin.com',
      'ghostbin.co',
      'transfer.sh',
      'file.io',
      '0x0.st',
      'termbin.com',
      'paste.rs'
    ]
  ],
  // tunnels: a public name for a machine behind NAT
  [
    'tunnel',
    [
      'ngrok.io',
      'ngrok.app',
      'ngrok.dev',
      'ngrok-free.app',
      'ngrok-free.dev',
      'trycloudflare.com',
      'loca.lt',
      'localtunnel.me',
      'serveo.net',
      'serveousercontent.com',
      'pagekite.me',
      'bore.pub',
      'lhr.life'
    ]
  ],
  // out-of-band testing: DNS/HTTP interaction catchers built for exploitation
  [
    'out-of-band testing',
    [
      'oast.fun',
      'oast.pro',
      'oast.live',
      'oast.me',
      'oast.site',
      'oast.online',
      'oastify.com',
      'interact.sh',
      'burpcollaborator.net',
      'canarytokens.com',
      'canarytokens.org',
      'dnslog.cn',
      'ceye.io'
    ]
  ]
]

const EXFIL_SERVICES: ExfilService[] = EXFIL_TABLE.flatMap(([category, domains, path]) =>
  domains.map((domain) => ({ domain, category, ...(path ? { path } : {}) }))
)

/** Hosts that are collectors whatever the path (for the shared-suffix list below). */
const EXFIL_DOMAINS = EXFIL_SERVICES.filter((service) => !service.path).map((s) => s.domain)

/** Code-hosting web pages: usually a link in an error message; lowered to `low`. */
const LINK_HOSTS = new Set(['github.com', 'www.github.com', 'gitlab.com', 'bitbucket.org'])

/** Hosting suffixes where anyone gets a subdomain: compare the full host, not the parent. */
const SHARED_SUFFIXES = [
  'herokuapp.com',
  'workers.dev',
  'pages.dev',
  'github.io',
  'vercel.app',
  'netlify.app',
  'glitch.me',
  'repl.co',
  'web.app',
  'firebaseapp.com',
  'appspot.com',
  'azurewebsites.net',
  'amazonaws.com',
  'cloudfront.net',
  ...EXFIL_DOMAINS
]

function isUnder(host: string, parent: string): boolean {
  return host === parent || host.endsWith(`.${parent}`)
}

export function isIgnoredHost(host: string): boolean {
  if (IGNORED_HOSTS.has(host) || host.startsWith('schemas.')) return true
  if (isIPv4(host) && (host.startsWith('127.') || host.startsWith('255.255.'))) return true
  if (IGNORED_SUFFIXES.some((suffix) => host.endsWith(suffix))) return true
  return IGNORED_PARENTS.some((parent) => isUnder(host, parent))
}

/**
 * The exfiltration category of an endpoint, or undefined for an ordinary host. `path` is the URL
 * path when known; path-qualified entries (chat webhooks on a normal host) need it.
 */
export function exfilCategory(host: string, path?: string): ExfilCategory | undefined {
  for (const service of EXFIL_SERVICES) {
    if (!isUnder(host, service.domain)) continue
    if (!service.path || (path !== undefined && service.path.test(path))) return service.category
  }
  return undefined
}

export function isExfilService(host: string, path?: string): boolean {
  return exfilCategory(host, path) !== undefined
}

export function isLinkHost(host: string): boolean {
  return LINK_HOSTS.has(host)
}

/**
 * The organisation-level name a host belongs to: `api.stripe.com` -> `stripe.com`, `a.b.co.uk` ->
 * `b.co.uk` (a two-letter TLD under a short second level is treated as a public suffix). Hosts on
 * shared hosting keep their full name, since their neighbours are other people.
 */
export function siteOf(host: string): string {
  if (isIPv4(host) || host.startsWith('[')) return host
  const shared = SHARED_SUFFIXES.find((suffix) => host.endsWith(`.${suffix}`))
  if (shared) return host
  const labels = host.split('.')
  const tld = labels[labels.length - 1] ?? ''
  const second = labels[labels.length - 2] ?? ''
  const keep = tld.length === 2 && second.length <= 3 && labels.length > 2 ? 3 : 2
  return labels.slice(-keep).join('.')
}

/** Sites of the package's declared homepage and repository: its own infrastructure. */
export function ownSites(manifest: Manifest | undefined): Set<string> {
  const sites = new Set<string>()
  const repository =
    typeof manifest?.repository === 'string' ? manifest.repository : manifest?.repository?.url
  for (const value of [manifest?.homepage, repository]) {
    const host = hostOfUrlish(value)
    if (host) sites.add(siteOf(host))
  }
  return sites
}

/** Host of `https://h/...`, `git+https://h/...`, `git@h:o/r.git` or `github:o/r`. */
function hostOfUrlish(value: string | undefined): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined
  if (/^(?:github:)?[\w.-]+\/[\w.-]+$/.test(value)) return 'github.com'
  const match = /^(?:[a-z+]+:\/\/)?(?:[^@/]{1,128}@)?([A-Za-z0-9.-]{1,253})/i.exec(value)
  return match?.[1]?.toLowerCase()
}

export interface KnownEndpoints {
  hosts: Set<string>
  sites: Set<string>
  /** `site#category` for every categorised endpoint (a Discord webhook is not known because a Discord link was). */
  categorised: Set<string>
}

const MAX_HOSTS_PER_FILE = 2000

/** Every host and site mentioned anywhere in a version's files, docs included. */
export function knownEndpoints(files: PackageFiles | undefined): KnownEndpoints {
  const known: KnownEndpoints = { hosts: new Set(), sites: new Set(), categorised: new Set() }
  for (const file of files?.files.values() ?? []) {
    if (file.text === undefined) continue
    for (const match of findHosts(file.text, MAX_HOSTS_PER_FILE)) {
      known.hosts.add(match.host)
      known.sites.add(siteOf(match.host))
      const category = exfilCategory(match.host, match.path)
      if (category) known.categorised.add(`${siteOf(match.host)}#${category}`)
    }
  }
  return known
}

/** True when a version with these endpoints already talked to this one (same host, site or drop box). */
export function isKnownEndpoint(known: KnownEndpoints, match: HostMatch): boolean {
  const category = exfilCategory(match.host, match.path)
  if (category) return known.categorised.has(`${siteOf(match.host)}#${category}`)
  return known.hosts.has(match.host) || known.sites.has(siteOf(match.host))
}
