// How much a host says: which hosts are not endpoints at all (loopback, documentation, XML
// namespaces), which are throwaway collection services attackers favour, and which hosts belong to
// the package itself. The lists are short on purpose; each entry is a decision, documented here.
import type { Manifest } from '../../types.js'
import { isIPv4 } from './hosts.js'

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
 * Request collectors and tunnels: where stolen data is posted (Shai-Hulud used webhook.site). An
 * honest library rarely hard-codes one. Chat webhooks (Discord, Telegram) are left out: their
 * hosts are also what honest client libraries talk to.
 */
const EXFIL_SERVICES = [
  'webhook.site',
  'pipedream.net',
  'requestbin.com',
  'requestcatcher.com',
  'ngrok.io',
  'ngrok-free.app',
  'ngrok.app',
  'burpcollaborator.net',
  'oast.fun',
  'oast.pro',
  'oast.live',
  'oast.me',
  'interact.sh',
  'beeceptor.com',
  'hookbin.com',
  'pastebin.com',
  'transfer.sh'
]

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
  ...EXFIL_SERVICES
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

export function isExfilService(host: string): boolean {
  return EXFIL_SERVICES.some((service) => isUnder(host, service))
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
