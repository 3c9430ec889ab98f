// What a cached verdict is valid for. A key names the exact tarballs compared (the integrity of
// the new version and of the previous one: a pull-request scan compares, a full scan does not),
// the file-dependent rules with their versions and options, and the feeds' file-content
// indicators. Package-version and publisher entries are left out on purpose: the rules that read
// them run on every scan, so a new "this version is malicious" entry never waits for the cache.
import { createHash } from 'node:crypto'
import type { IocEntry, IocType, Rule, RuleOptions } from '../rules/types.js'
import type { PackageChange } from '../types.js'
import { isFileDependent } from './file-dependent.js'

/** Bump when the entry format or the key recipe changes: older entries then never match. */
export const CACHE_FORMAT = 1

/** Indicator types searched for inside tarball contents (indicator-in-code, known-file-hash). */
const FILE_CONTENT_TYPES: ReadonlySet<IocType> = new Set(['domain', 'email', 'url', 'ip', 'sha256'])

export interface KeyParts {
  /** Hash of the file-dependent rules' ids, versions and options (`rulesHash`). */
  rules: string
  /** Hash of the feeds' file-content indicators (`feedContentHash`). */
  feeds: string
}

/** sha256 over the file-dependent rules (id, `meta.version`, options), independent of order. */
export function rulesHash(
  rules: readonly Rule[],
  optionsFor: (ruleId: string) => RuleOptions = () => ({})
): string {
  const described = rules
    .filter((rule) => isFileDependent(rule.meta.id))
    .map((rule) => [rule.meta.id, rule.meta.version, stableJson(optionsFor(rule.meta.id))])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  return sha256(JSON.stringify([CACHE_FORMAT, described]))
}

/**
 * sha256 over the indicators a tarball's contents are matched against. Incident, source and feed
 * are included because the findings quote them; order and duplicates do not matter.
 */
export function feedContentHash(entries: readonly IocEntry[]): string {
  const lines = entries
    .filter((entry) => FILE_CONTENT_TYPES.has(entry.type))
    .map((entry) =>
      JSON.stringify([entry.type, entry.value, entry.incident, entry.source, entry.feed])
    )
  return sha256(JSON.stringify([...new Set(lines)].sort()))
}

/**
 * The cache key of one change (hex sha256), or undefined when the change cannot be cached: a
 * tarball without an integrity in the lockfile is not pinned, the same name@version may be other
 * bytes tomorrow.
 */
export function changeKey(change: PackageChange, parts: KeyParts): string | undefined {
  const { locked, previous } = change
  if (locked.source !== 'registry' || !locked.integrity) return undefined
  if (previous && (previous.source !== 'registry' || !previous.integrity)) return undefined
  const side = (pkg: { name: string; version: string; integrity?: string }) => [
    pkg.name,
    pkg.version,
    pkg.integrity
  ]
  return sha256(
    JSON.stringify([
      CACHE_FORMAT,
      parts.rules,
      parts.feeds,
      side(locked),
      previous ? side(previous) : null
    ])
  )
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** JSON with object keys sorted, so that equal options always hash the same. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner
  )
}
