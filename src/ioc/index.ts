// Lookup structures over the IOC entries. Text matching runs over attacker-controlled files of
// several MB (minified bundles), so it never builds a regex out of indicators: it walks host-like
// tokens with one linear character-class regex and looks each candidate up in hash maps.
import { isIP } from 'node:net'
import semver from 'semver'
import type { IocEntry, IocIndex, IocTextMatch, IocType } from '../rules/types.js'
import { trimTrailingDots } from './feed.js'

/** Most matches reported for one text: a file full of indicators needs no more to be judged. */
export const MAX_TEXT_MATCHES = 200
const MAX_DOMAIN_LENGTH = 253
const MAX_EMAIL_LOCAL = 64
const MAX_SCHEME = 16
const MAX_AUTHORITY = 256

/** Maximal runs of characters that may form a host name or an IPv4 address. */
const EMAIL_LOCAL_CHAR = /[A-Za-z0-9._%+-]/
// Letters only: `git+https://x` is compared as `https://x`, `a.https://` as `https://`.
const SCHEME_CHAR = /[A-Za-z]/
const AUTHORITY_CHAR = /[A-Za-z0-9_.\-:@[\]%]/
const IPV6_CHAR = /[0-9A-Fa-f:.]/
const DIGIT_OR_DOT = /[0-9.]/

export type VersionMatchKind = 'exact' | 'range' | 'all'

/** How a package entry names its versions: a list of exact versions, a real range, or all. */
export function versionMatchKind(entry: IocEntry): VersionMatchKind {
  const versions = entry.versions?.trim()
  if (versions === undefined || versions === '' || versions === '*') return 'all'
  const range = new semver.Range(versions, { includePrerelease: true })
  const exactOnly = range.set.every((set) => set.length === 1 && set[0].operator === '')
  return exactOnly ? 'exact' : 'range'
}

export function buildIocIndex(entries: IocEntry[]): IocIndex {
  const byType = groupByType(entries)
  const packages = groupBy(byType.package, (entry) => entry.value)
  const publishers = groupBy(byType.publisher, (entry) => entry.value)
  const hashes = groupBy(byType.sha256, (entry) => entry.value)
  const text = new TextMatcher(byType)
  return {
    size: entries.length,
    matchPackage: (name, version) =>
      (packages.get(name.toLowerCase()) ?? []).filter((entry) => versionMatches(entry, version)),
    matchPublisher: (name) => publishers.get(name.trim().toLowerCase()) ?? [],
    matchHash: (sha256) => hashes.get(sha256.trim().toLowerCase()) ?? [],
    matchText: (input) => text.match(input)
  }
}

function versionMatches(entry: IocEntry, version: string): boolean {
  if (versionMatchKind(entry) === 'all') return true
  return semver.satisfies(version, entry.versions ?? '*', { includePrerelease: true })
}

class TextMatcher {
  private readonly domains: Map<string, IocEntry[]>
  private readonly emails: Map<string, IocEntry[]>
  private readonly ipv4: Map<string, IocEntry[]>
  private readonly ipv6: IocEntry[]
  /** URL entries keyed by `scheme://authority`, compared by prefix below that. */
  private readonly urls: Map<string, IocEntry[]>
  /** Last labels of indicator domains: a cheap filter before the suffix walk. */
  private readonly tlds: Set<string>

  constructor(byType: Record<IocType, IocEntry[]>) {
    this.domains = groupBy(byType.domain, (entry) => entry.value)
    this.emails = groupBy(byType.email, (entry) => entry.value)
    this.ipv4 = groupBy(
      byType.ip.filter((entry) => isIP(entry.value) === 4),
      (entry) => entry.value
    )
    this.ipv6 = byType.ip.filter((entry) => isIP(entry.value) === 6)
    this.urls = groupBy(byType.url, (entry) => urlOrigin(entry.value))
    const hosts = [...this.domains.keys(), ...[...this.emails.keys()].map((e) => e.split('@')[1])]
    this.tlds = new Set(hosts.map((host) => host.slice(host.lastIndexOf('.') + 1)))
  }

  match(text: string): IocTextMatch[] {
    const found: IocTextMatch[] = []
    if (this.domains.size + this.emails.size + this.ipv4.size > 0) this.scanHosts(text, found)
    if (this.urls.size > 0) this.scanUrls(text, found)
    for (const entry of this.ipv6) scanLiteral(text, entry, IPV6_CHAR, found)
    found.sort((a, b) => a.index - b.index)
    return found.slice(0, MAX_TEXT_MATCHES)
  }

  private scanHosts(text: string, found: IocTextMatch[]): void {
    // Only tokens with a dot can be a domain, an address or an IP: they are found from the dots
    // (a regex over every token allocated every identifier of the text, millions in a bundle).
    for (let dot = text.indexOf('.'); dot !== -1;) {
      if (found.length >= MAX_TEXT_MATCHES) return
      const { start, end } = tokenAround(text, dot)
      const raw = trimTrailingDots(text.slice(start, end))
      if (raw.includes('.')) {
        this.matchIpv4(raw, start, found)
        this.matchDomain(text, raw, start, found)
      }
      dot = text.indexOf('.', end)
    }
  }

  private matchIpv4(raw: string, start: number, found: IocTextMatch[]): void {
    if (this.ipv4.size === 0) return
    // The trailing digits-and-dots run: `1142.11.206.73` or `142.11.206.73.5` are other numbers.
    const runStart = walkBack(raw, raw.length, DIGIT_OR_DOT, 16)
    const candidate = raw.slice(runStart)
    for (const entry of this.ipv4.get(candidate) ?? []) {
      found.push({ entry, index: start + runStart, match: candidate })
    }
  }

  private matchDomain(text: string, raw: string, start: number, found: IocTextMatch[]): void {
    // A domain is at most 253 characters, so only the tail of a long token can match.
    const cut = Math.max(0, raw.length - MAX_DOMAIN_LENGTH - 1)
    const tail = raw.slice(cut).toLowerCase()
    if (!this.tlds.has(tail.slice(tail.lastIndexOf('.') + 1))) return
    if (cut === 0 && text[start - 1] === '@') this.matchEmail(text, tail, start, found)
    for (const offset of labelStarts(tail, cut === 0)) {
      for (const entry of this.domains.get(tail.slice(offset)) ?? []) {
        found.push({ entry, index: start + cut + offset, match: raw.slice(cut + offset) })
      }
    }
  }

  private matchEmail(text: string, host: string, hostStart: number, found: IocTextMatch[]): void {
    const at = hostStart - 1
    const localStart = walkBack(text, at, EMAIL_LOCAL_CHAR, MAX_EMAIL_LOCAL + 1)
    // Empty, or longer than any address allows: the tail of a longer local part is not a match.
    if (localStart === at || at - localStart > MAX_EMAIL_LOCAL) return
    const address = `${text.slice(localStart, at).toLowerCase()}@${host}`
    for (const entry of this.emails.get(address) ?? []) {
      found.push({
        entry,
        index: localStart,
        match: text.slice(localStart, hostStart + host.length)
      })
    }
  }

  private scanUrls(text: string, found: IocTextMatch[]): void {
    for (let sep = text.indexOf('://'); sep !== -1; sep = text.indexOf('://', sep + 3)) {
      if (found.length >= MAX_TEXT_MATCHES) return
      const schemeStart = walkBack(text, sep, SCHEME_CHAR, MAX_SCHEME)
      if (schemeStart === sep) continue
      const authorityEnd = walkForward(text, sep + 3, AUTHORITY_CHAR, MAX_AUTHORITY)
      const origin = trimTrailingDots(text.slice(schemeStart, authorityEnd).toLowerCase())
      for (const entry of this.urls.get(origin) ?? []) {
        const path = entry.value.slice(origin.length)
        const originEnd = schemeStart + origin.length
        if (text.startsWith(path, originEnd)) {
          found.push({
            entry,
            index: schemeStart,
            match: text.slice(schemeStart, originEnd + path.length)
          })
        }
      }
    }
  }
}

/** Label starts of a host with at least two labels: `a.b.c` gives 0 and 2 (never the bare TLD). */
function labelStarts(host: string, startsAtBoundary: boolean): number[] {
  const starts = startsAtBoundary ? [0] : []
  for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
    if (host.indexOf('.', dot + 1) === -1) break
    starts.push(dot + 1)
  }
  return starts
}

/** Case-insensitive literal search with a boundary check; IPv6 indicators are rare. */
function scanLiteral(text: string, entry: IocEntry, boundary: RegExp, found: IocTextMatch[]): void {
  const escaped = entry.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(escaped, 'gi')
  for (let hit = pattern.exec(text); hit; hit = pattern.exec(text)) {
    const before = text[hit.index - 1] ?? ''
    const after = text[hit.index + hit[0].length] ?? ''
    if (!boundary.test(before) && !boundary.test(after)) {
      found.push({ entry, index: hit.index, match: hit[0] })
    }
  }
}

/** The maximal run of host characters (`[A-Za-z0-9_.-]`) around `index`. */
function tokenAround(text: string, index: number): { start: number; end: number } {
  let start = index
  while (start > 0 && isHostTokenChar(text.charCodeAt(start - 1))) start -= 1
  let end = index + 1
  while (end < text.length && isHostTokenChar(text.charCodeAt(end))) end += 1
  return { start, end }
}

function isHostTokenChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 46 || // .
    code === 45 // -
  )
}

function walkBack(text: string, from: number, allowed: RegExp, max: number): number {
  let start = from
  while (start > 0 && from - start < max && allowed.test(text[start - 1])) start -= 1
  return start
}

function walkForward(text: string, from: number, allowed: RegExp, max: number): number {
  let end = from
  while (end < text.length && end - from < max && allowed.test(text[end])) end += 1
  return end
}

/** `scheme://authority` of a normalised URL indicator. */
function urlOrigin(url: string): string {
  const authorityStart = url.indexOf('://') + 3
  const end = url.slice(authorityStart).search(/[/?#]/)
  return end === -1 ? url : url.slice(0, authorityStart + end)
}

function groupByType(entries: IocEntry[]): Record<IocType, IocEntry[]> {
  const groups: Record<IocType, IocEntry[]> = {
    package: [],
    publisher: [],
    domain: [],
    email: [],
    url: [],
    ip: [],
    sha256: []
  }
  for (const entry of entries) groups[entry.type].push(entry)
  return groups
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    const list = map.get(key(item))
    if (list) list.push(item)
    else map.set(key(item), [item])
  }
  return map
}
