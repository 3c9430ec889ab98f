// Finds network endpoints in a line of code: URLs (anchored on `://`), bare host names given to a
// host-like key (`hostname: 'api.x.io'`) and quoted IPv4 literals. Each scan is linear: URLs are
// expanded by hand around `://`, and the two regexes only use bounded quantifiers.

export type HostKind = 'url' | 'host' | 'ip'

export interface HostMatch {
  /** Lower-cased host name or IP, without port. */
  host: string
  port?: number
  kind: HostKind
  /** Offset of the match in the searched text. */
  index: number
  /** True when the host is an IPv4 or IPv6 literal. */
  isIp: boolean
  /**
   * For a URL, the start of its path (`/api/webhooks/123`), bounded and cut at the first quote,
   * space or template brace: what tells a chat webhook from a link to the same host.
   */
  path?: string
}

const NETWORK_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp'])
const SCHEME_CHAR = /[A-Za-z0-9+.-]/
const HOST_CHAR = /[A-Za-z0-9._-]/
const MAX_HOST = 253
const MAX_PATH = 200
/** Characters that end a URL path in code: quotes, spaces, template braces, markup. */
const PATH_END = /[\s"'`<>\\{}|^]/
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
// A standalone IPv4 literal: inside quotes, optionally followed by a port. `v1.2.3.4` or a fifth
// dotted part is not an IP (the lookarounds reject a letter, digit or dot on either side).
const QUOTED_IP = new RegExp(`(?<=["'\`])${OCTET}(?:\\.${OCTET}){3}(?=["'\`:/])`, 'g')
const HOST_KEY =
  /(?<![\w$])["'`]?(?:host|hostname|domain|server|servername|endpoint)["'`]?\s{0,8}(?::|=(?![=>]))\s{0,8}["'`]([A-Za-z0-9.-]{1,253})["'`]/gi
/** Cheap tests that let most lines skip the two lookbehind regexes (asked of every new line). */
const HOST_KEY_WORD = /host|domain|server|endpoint/i
const DOTTED_DIGITS = /\d\.\d/
const VERSION_NEARBY = /version|semver|\bv$/i
/** `server: 'main.js'` names a file, not a host. */
const FILE_EXTENSION_TLD = /\.(?:js|mjs|cjs|ts|json|md|html|css|txt|map|node|sh|py|yml|yaml)$/

export function findHosts(text: string, max = 100): HostMatch[] {
  const found = [...findUrlHosts(text, max), ...findKeyedHosts(text), ...findQuotedIps(text)]
  const seen = new Set<number>()
  // A URL's host is also a quoted IP or keyed host sometimes: keep one match per position.
  return found
    .filter((match) => !seen.has(match.index) && seen.add(match.index))
    .sort((a, b) => a.index - b.index)
    .slice(0, max)
}

function findUrlHosts(text: string, max: number): HostMatch[] {
  const matches: HostMatch[] = []
  let marker = text.indexOf('://')
  while (marker !== -1 && matches.length < max) {
    const match = urlHostAt(text, marker)
    if (match) matches.push(match)
    marker = text.indexOf('://', marker + 3)
  }
  return matches
}

function urlHostAt(text: string, marker: number): HostMatch | undefined {
  let schemeStart = marker
  while (
    schemeStart > 0 &&
    marker - schemeStart < 16 &&
    SCHEME_CHAR.test(text[schemeStart - 1] ?? '')
  ) {
    schemeStart--
  }
  if (!NETWORK_SCHEMES.has(text.slice(schemeStart, marker).toLowerCase())) return undefined
  let start = marker + 3
  let end = scanHost(text, start)
  if (text[end] === '@') {
    // user:password@host: skip the user information (bounded like the host)
    start = end + 1
    end = scanHost(text, start)
  }
  const host = normaliseHost(text.slice(start, end))
  if (!isPlausibleHost(host)) return undefined
  const port = readPort(text, end)
  const path = readPath(text, afterPort(text, end))
  return {
    host,
    kind: 'url',
    index: start,
    isIp: isIPv4(host) || host.startsWith('['),
    ...(port ? { port } : {}),
    ...(path ? { path } : {})
  }
}

function afterPort(text: string, end: number): number {
  if (text[end] !== ':') return end
  let index = end + 1
  while (index < text.length && index - end <= 5 && /\d/.test(text[index] ?? '')) index++
  return index
}

function readPath(text: string, start: number): string | undefined {
  if (text[start] !== '/') return undefined
  let end = start + 1
  while (end < text.length && end - start < MAX_PATH && !PATH_END.test(text[end] ?? '')) end++
  return text.slice(start, end)
}

function scanHost(text: string, start: number): number {
  if (text[start] === '[') {
    const close = text.indexOf(']', start)
    return close !== -1 && close - start < 48 ? close + 1 : start
  }
  let end = start
  while (end < text.length && end - start < MAX_HOST && HOST_CHAR.test(text[end] ?? '')) end++
  // `user:pass@` shapes: let the caller see an `@` right after a `:secret`
  if (text[end] === ':') {
    let look = end + 1
    while (look < text.length && look - end < 64 && /[^/@\s"'`]/.test(text[look] ?? '')) look++
    if (text[look] === '@') return look
  }
  return end
}

function readPort(text: string, end: number): number | undefined {
  if (text[end] !== ':') return undefined
  const digits = /^\d{1,5}/.exec(text.slice(end + 1, end + 6))
  return digits ? Number(digits[0]) : undefined
}

function findKeyedHosts(text: string): HostMatch[] {
  const matches: HostMatch[] = []
  if (!HOST_KEY_WORD.test(text)) return matches
  for (const match of text.matchAll(HOST_KEY)) {
    const host = normaliseHost(match[1] ?? '')
    if (!isPlausibleHost(host) || FILE_EXTENSION_TLD.test(host)) continue
    const index = (match.index ?? 0) + match[0].length - host.length - 1
    matches.push({ host, kind: 'host', index, isIp: isIPv4(host) })
  }
  return matches
}

function findQuotedIps(text: string): HostMatch[] {
  const matches: HostMatch[] = []
  if (!DOTTED_DIGITS.test(text)) return matches
  for (const match of text.matchAll(QUOTED_IP)) {
    const index = match.index ?? 0
    if (VERSION_NEARBY.test(text.slice(Math.max(0, index - 40), index))) continue
    // `'10.0.0.0/8'` is a network range (CIDR), not a host anything connects to
    if (/^\/\d/.test(text.slice(index + match[0].length, index + match[0].length + 2))) continue
    matches.push({ host: match[0], kind: 'ip', index, isIp: true })
  }
  return matches
}

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '')
}

const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`)

export function isIPv4(host: string): boolean {
  return IPV4.test(host)
}

/** A dotted name with a letter TLD, an IPv4 literal or a bracketed IPv6 literal. */
export function isPlausibleHost(host: string): boolean {
  // an IPv6 literal has only hex digits, colons and dots (`[${address}]` is a template, not a host)
  if (host.startsWith('[')) return /^\[[0-9a-f:.]{2,45}\]$/.test(host) && host.includes(':')
  if (isIPv4(host)) return true
  const labels = host.split('.')
  if (labels.length < 2) return false
  if (labels.some((label) => label === '' || label.length > 63 || label.startsWith('-')))
    return false
  return /^[a-z][a-z0-9-]{1,62}$/.test(labels[labels.length - 1] ?? '') && !/\d$/.test(host)
}

/** A word of prose: letters (an apostrophe inside), maybe wrapped in punctuation. */
const PROSE_WORD = /^[("'[]?[A-Za-z][A-Za-z'’-]{0,30}[.,:;!?)"'\]]{0,3}$/
/** Shell syntax: a command line (`curl … | sh`, `a && b`, `$(…)`) is not prose. */
const SHELL_SYNTAX = /\|\||&&|\$\(|[|`]/
const MIN_PROSE_WORDS = 3
const PROSE_TOKENS_EACH_SIDE = 6
const PROSE_RADIUS = 300

/**
 * True when the URL whose host starts at `index` sits in a sentence: whitespace-separated words
 * around it, as in an error or help message (`See https://x.org/link/e for more information.`).
 * Such a URL is a link shown to a person, not an endpoint the code connects to. Only the few
 * tokens next to the URL are looked at, and never a command line (`curl https://… | sh`).
 */
export function isInSentence(text: string, index: number): boolean {
  const start = Math.max(0, index - PROSE_RADIUS)
  const end = Math.min(text.length, index + PROSE_RADIUS)
  if (SHELL_SYNTAX.test(text.slice(start, end))) return false
  // the last piece before the host is the URL's own `https://`, the first after it the rest
  const before = text.slice(start, index).split(/\s+/).slice(0, -1)
  const after = text.slice(index, end).split(/\s+/).slice(1)
  const near = [...before.slice(-PROSE_TOKENS_EACH_SIDE), ...after.slice(0, PROSE_TOKENS_EACH_SIDE)]
  return near.filter((token) => PROSE_WORD.test(token)).length >= MIN_PROSE_WORDS
}

const QUOTES = new Set(['"', "'", '`'])

/**
 * The quoted string around `index` on a line of code (`'See https://x for more'`), or undefined
 * when the position is not between two matching quotes within reach. For the line-based reading,
 * where the parser's string literals are not available.
 */
export function quotedAround(text: string, index: number): string | undefined {
  let open = index - 1
  while (open >= 0 && index - open <= PROSE_RADIUS && !QUOTES.has(text[open] ?? '')) open--
  const quote = text[open]
  if (open < 0 || quote === undefined || !QUOTES.has(quote)) return undefined
  const close = text.indexOf(quote, index)
  if (close === -1 || close - index > PROSE_RADIUS) return undefined
  return text.slice(open + 1, close)
}
