// The IOC feed format: validation and normalisation. A feed is data from outside (the bundled one
// is ours, user feeds may come from any URL), so every field is checked strictly and an invalid
// feed is an error naming the feed, the indicator and the field: a half-loaded feed would let a
// known-bad package pass silently.
import { isIP } from 'node:net'
import semver from 'semver'
import { GateError } from '../errors.js'
import type { IocEntry, IocType } from '../rules/types.js'

export const FEED_SCHEMA_VERSION = 1

export const IOC_TYPES: readonly IocType[] = [
  'package',
  'publisher',
  'domain',
  'email',
  'url',
  'ip',
  'sha256'
]

/** Longest indicator value accepted: bounds the work a hostile feed can cause. */
const MAX_VALUE_LENGTH = 2048
const MAX_TEXT_LENGTH = 500
const DATE = /^\d{4}-\d{2}-\d{2}$/
const SHA256 = /^[0-9a-f]{64}$/
// npm names: optional scope, then url-safe characters (legacy names may have capitals).
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9._~-][a-z0-9._~-]*$/
const PUBLISHER = /^[a-z0-9][a-z0-9._-]*$/
const DOMAIN_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/
const EMAIL_LOCAL = /^[a-z0-9._%+-]{1,64}$/
const URL_SCHEME = /^[a-z][a-z0-9+.-]{0,15}:\/\//

/** Parses and validates a feed's JSON text. `origin` names the feed in errors and in each entry. */
export function parseFeed(text: string, origin: string): IocEntry[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw feedError(origin, `is not valid JSON (${(error as Error).message})`)
  }
  return validateFeed(data, origin)
}

/** Validates an already-parsed feed object (the bundled feed is imported as JSON). */
export function validateFeed(data: unknown, origin: string): IocEntry[] {
  if (!isRecord(data)) throw feedError(origin, 'must be a JSON object')
  if (data.schema !== FEED_SCHEMA_VERSION) {
    throw feedError(origin, `schema ${JSON.stringify(data.schema)} is not supported (expected 1)`)
  }
  requireText(data.name, `${origin}: name`)
  if (typeof data.updated !== 'string' || !DATE.test(data.updated)) {
    throw feedError(origin, `updated ${JSON.stringify(data.updated)} is not a YYYY-MM-DD date`)
  }
  if (!Array.isArray(data.indicators)) throw feedError(origin, 'indicators must be an array')
  return data.indicators.map((raw: unknown, index: number) =>
    parseIndicator(raw, `${origin}: indicators[${index}]`, origin)
  )
}

function parseIndicator(raw: unknown, where: string, origin: string): IocEntry {
  if (!isRecord(raw)) throw new GateError('EFEED', `${where} must be an object`)
  const type = raw.type
  if (typeof type !== 'string' || !(IOC_TYPES as readonly string[]).includes(type)) {
    throw new GateError(
      'EFEED',
      `${where}.type ${JSON.stringify(type)} is not one of ${IOC_TYPES.join(', ')}`
    )
  }
  const iocType = type as IocType
  if (typeof raw.value !== 'string' || raw.value.length > MAX_VALUE_LENGTH) {
    throw new GateError('EFEED', `${where}.value must be a string of at most ${MAX_VALUE_LENGTH}`)
  }
  const value = normaliseValue(iocType, raw.value, `${where}.value`)
  const versions = parseVersions(iocType, raw.versions, `${where}.versions`)
  const incident = requireText(raw.incident, `${where}.incident`)
  const source = requireText(raw.source, `${where}.source`)
  return { type: iocType, value, ...(versions ? { versions } : {}), incident, source, feed: origin }
}

function parseVersions(type: IocType, versions: unknown, where: string): string | undefined {
  if (versions === undefined) return undefined
  if (type !== 'package') throw new GateError('EFEED', `${where} is only allowed for packages`)
  if (typeof versions !== 'string' || versions.length > MAX_VALUE_LENGTH) {
    throw new GateError('EFEED', `${where} must be a semver range string`)
  }
  const range = versions.trim()
  if (range === '' || semver.validRange(range) === null) {
    throw new GateError('EFEED', `${where} ${JSON.stringify(versions)} is not a valid semver range`)
  }
  return range
}

/** Lower-cases and checks a value the way the index will compare it. */
export function normaliseValue(type: IocType, raw: string, where: string): string {
  const value = raw.trim()
  const normalised = NORMALISERS[type](value)
  if (normalised === undefined) {
    throw new GateError('EFEED', `${where} ${JSON.stringify(raw)} is not a valid ${type}`)
  }
  return normalised
}

const NORMALISERS: Record<IocType, (value: string) => string | undefined> = {
  package: (value) => matchOrUndefined(value.toLowerCase(), PACKAGE_NAME),
  publisher: (value) => matchOrUndefined(value.toLowerCase(), PUBLISHER),
  domain: normaliseDomain,
  email: normaliseEmail,
  url: normaliseUrl,
  ip: (value) => (isIP(value) === 0 ? undefined : value.toLowerCase()),
  sha256: (value) => matchOrUndefined(value.toLowerCase(), SHA256)
}

export function normaliseDomain(raw: string): string | undefined {
  const domain = trimTrailingDots(raw.toLowerCase())
  if (domain.length === 0 || domain.length > 253 || isIP(domain) !== 0) return undefined
  const labels = domain.split('.')
  // A bare TLD would match every host under it.
  if (labels.length < 2) return undefined
  return labels.every((label) => DOMAIN_LABEL.test(label)) ? domain : undefined
}

function normaliseEmail(raw: string): string | undefined {
  const at = raw.lastIndexOf('@')
  if (at <= 0) return undefined
  const local = raw.slice(0, at).toLowerCase()
  const domain = normaliseDomain(raw.slice(at + 1))
  if (!EMAIL_LOCAL.test(local) || domain === undefined) return undefined
  return `${local}@${domain}`
}

/** Scheme and authority are case-insensitive; the path is kept as written. */
export function normaliseUrl(raw: string): string | undefined {
  if (!URL_SCHEME.test(raw.toLowerCase()) || /\s/.test(raw)) return undefined
  const schemeEnd = raw.indexOf('://') + 3
  const rest = raw.slice(schemeEnd)
  const authorityEnd = rest.search(/[/?#]/)
  const authority = (authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)).toLowerCase()
  if (authority.length === 0) return undefined
  const path = authorityEnd === -1 ? '' : rest.slice(authorityEnd)
  return `${raw.slice(0, schemeEnd).toLowerCase()}${trimTrailingDots(authority)}${path}`
}

/** Without a regex: `/\.+$/` is quadratic on a long run of dots. */
export function trimTrailingDots(value: string): string {
  let end = value.length
  while (end > 0 && value[end - 1] === '.') end -= 1
  return end === value.length ? value : value.slice(0, end)
}

function requireText(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT_LENGTH) {
    throw new GateError('EFEED', `${where} must be a non-empty string`)
  }
  return value.trim()
}

function matchOrUndefined(value: string, pattern: RegExp): string | undefined {
  return pattern.test(value) ? value : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function feedError(origin: string, problem: string): GateError {
  return new GateError('EFEED', `${origin}: ${problem}`)
}
