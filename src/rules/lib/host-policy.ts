// How much a host says: which hosts are not endpoints at all (loopback, documentation, XML
// namespaces), which are throwaway collection services attackers favour, and which hosts belong to
// the package itself. The lists are short on purpose; each entry is a decision, documented here.
import type { Manifest, PackageFiles } from '../../types.js'
import { hasCStyleComments, isCodeFile, isCommentLine, withoutComments } from './code-files.js'
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

/** Hosts that serve the raw files of a GitHub repository, under `/<owner>/<repo>/…`. */
const RAW_CONTENT_HOSTS = new Set(['raw.githubusercontent.com'])

/** GitHub owners of the package's homepage and repository (`yarnpkg` for yarnpkg/berry). */
export function ownGitHubOwners(manifest: Manifest | undefined): Set<string> {
  const owners = new Set<string>()
  const repository =
    typeof manifest?.repository === 'string' ? manifest.repository : manifest?.repository?.url
  for (const value of [manifest?.homepage, repository]) {
    if (typeof value !== 'string' || value.length > 2048) continue
    const owner =
      /^(?:github:)?([\w.-]{1,100})\/[\w.-]+$/.exec(value)?.[1] ??
      /github\.com[/:]([\w.-]{1,100})\//i.exec(value)?.[1]
    if (owner) owners.add(owner.toLowerCase())
  }
  return owners
}

/**
 * A raw file of the package's own GitHub organisation (`raw.githubusercontent.com/yarnpkg/…` in
 * yarn): the package reading its own repository, like a link to its own site.
 */
export function isOwnRawContent(match: HostMatch, owners: Set<string>): boolean {
  if (!RAW_CONTENT_HOSTS.has(match.host) || match.path === undefined) return false
  const owner = /^\/([\w.-]{1,100})\//.exec(match.path)?.[1]
  return owner !== undefined && owners.has(owner.toLowerCase())
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

const knownCache = new WeakMap<PackageFiles, KnownEndpoints>()

/**
 * Every host and site mentioned anywhere in a version's files, docs included. Computed once per
 * version: several rules ask (treat the result as read-only).
 */
export function knownEndpoints(files: PackageFiles | undefined): KnownEndpoints {
  const cached = files ? knownCache.get(files) : undefined
  if (cached) return cached
  const known = readEndpoints(files)
  if (files) knownCache.set(files, known)
  return known
}

function readEndpoints(files: PackageFiles | undefined): KnownEndpoints {
  const known: KnownEndpoints = { hosts: new Set(), sites: new Set(), categorised: new Set() }
  for (const file of files?.files.values() ?? []) {
    if (file.text === undefined) continue
    for (const match of findHosts(file.text, MAX_HOSTS_PER_FILE)) {
      const site = siteOf(match.host)
      known.hosts.add(match.host)
      known.sites.add(site)
      const category = exfilCategory(match.host, match.path)
      if (category) known.categorised.add(`${site}#${category}`)
    }
  }
  return known
}

/**
 * From this many distinct sites in its code (comments left out), a version is an endpoint
 * catalogue: viem lists the RPC and explorer hosts of hundreds of chains (660 sites), a bundled
 * CLI carries every service it talks to. One more ordinary host in such a package is routine (a
 * new chain), so content/new-endpoint grades it low; the alarming kinds (collectors, raw IPs,
 * unusual ports) are not affected. Measured: a typical library names 0-15 sites in its code
 * (axios 5, express 3, got 11, firebase 8, googleapis 6), most of them its own or standards bodies.
 */
export const CATALOGUE_MIN_SITES = 20

const catalogueCache = new WeakMap<PackageFiles, boolean>()

/** True when a version names at least CATALOGUE_MIN_SITES distinct sites in its code. */
export function isEndpointCatalogue(files: PackageFiles | undefined): boolean {
  if (!files) return false
  const cached = catalogueCache.get(files)
  if (cached !== undefined) return cached
  const sites = new Set<string>()
  for (const file of files.files.values()) {
    if (file.text === undefined || !isCodeFile(file.path)) continue
    for (const line of codeLinesOf(file.path, file.text)) {
      if (!line.includes('://')) continue
      for (const match of findHosts(line, MAX_HOSTS_PER_FILE)) {
        if (match.kind === 'url' && !isIgnoredHost(match.host)) sites.add(siteOf(match.host))
      }
    }
    if (sites.size >= CATALOGUE_MIN_SITES) break
  }
  const catalogue = sites.size >= CATALOGUE_MIN_SITES
  catalogueCache.set(files, catalogue)
  return catalogue
}

/** A code file's lines without its comments (C-style files) or its whole-line comments. */
function codeLinesOf(path: string, text: string): string[] {
  if (hasCStyleComments(path)) return withoutComments(text)
  return text.split(/\r?\n/).filter((line) => !isCommentLine(path, line))
}

/** True when a version with these endpoints already talked to this one (same host, site or drop box). */
export function isKnownEndpoint(known: KnownEndpoints, match: HostMatch): boolean {
  const category = exfilCategory(match.host, match.path)
  if (category) return known.categorised.has(`${siteOf(match.host)}#${category}`)
  return known.hosts.has(match.host) || known.sites.has(siteOf(match.host))
}
