// Finds e-mail address literals without a regex over the whole text: each `@` is expanded left over
// local-part characters and right over domain characters, both bounded, so the cost is linear in
// the text whatever an attacker puts in it.

export interface EmailMatch {
  /** Lower-cased address. */
  address: string
  domain: string
  /** Offset of the first character of the address in the searched text. */
  start: number
  end: number
}

const MAX_LOCAL = 64
const MAX_DOMAIN = 253
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/
const DOMAIN_CHAR = /[A-Za-z0-9.-]/
const TLD = /^[a-z]{2,24}$/

/** Reserved for documentation and testing (RFC 2606, RFC 6761): placeholders, never real mail. */
const PLACEHOLDER_DOMAINS = ['example.com', 'example.org', 'example.net']
const PLACEHOLDER_SUFFIXES = ['.example', '.test', '.invalid', '.localhost', '.local']

export function findEmails(text: string, max = 200): EmailMatch[] {
  const matches: EmailMatch[] = []
  let at = text.indexOf('@')
  while (at !== -1 && matches.length < max) {
    const match = emailAround(text, at)
    if (match) matches.push(match)
    at = text.indexOf('@', match ? match.end : at + 1)
  }
  return matches
}

function emailAround(text: string, at: number): EmailMatch | undefined {
  let start = at
  while (start > 0 && at - start < MAX_LOCAL && LOCAL_CHAR.test(text[start - 1] ?? '')) start--
  while (start < at && text[start] === '.') start++
  let end = at + 1
  while (end < text.length && end - at <= MAX_DOMAIN && DOMAIN_CHAR.test(text[end] ?? '')) end++
  while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--
  if (start === at) return undefined
  const domain = text.slice(at + 1, end).toLowerCase()
  if (!isPlausibleDomain(domain)) return undefined
  const address = text.slice(start, end).toLowerCase()
  return { address, domain, start, end }
}

function isPlausibleDomain(domain: string): boolean {
  const labels = domain.split('.')
  if (labels.length < 2 || labels.some((label) => label === '')) return false
  return TLD.test(labels[labels.length - 1] ?? '')
}

/** Documentation placeholders (`you@example.com`) that no message is really sent to. */
export function isPlaceholderEmailDomain(domain: string): boolean {
  if (domain === 'localhost') return true
  if (PLACEHOLDER_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`))) return true
  return PLACEHOLDER_SUFFIXES.some((suffix) => domain.endsWith(suffix))
}
