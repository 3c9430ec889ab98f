// Wording shared by the IOC rules, so every finding names an indicator the same way.
import type { IocEntry } from '../rules/types.js'
import { versionMatchKind } from './index.js'

/** `postmark-mcp backdoor (2025-09), source MAL-2025-47604` (plus the feed when it is the user's). */
export function describeIncident(entry: IocEntry): string {
  const feed = entry.feed === 'bundled' ? '' : `, feed ${entry.feed}`
  return `${entry.incident}, source ${entry.source}${feed}`
}

/** Entries that carry the same indicator and incident, e.g. from two feeds, reported once. */
export function uniqueEntries(entries: IocEntry[]): IocEntry[] {
  const seen = new Set<string>()
  return entries.filter((entry) => {
    const key = `${entry.type}\u0000${entry.value}\u0000${entry.versions ?? ''}\u0000${entry.incident}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** `exact version`, `range >=1.0.16` or `all versions`. */
export function describeVersions(entry: IocEntry): string {
  const kind = versionMatchKind(entry)
  if (kind === 'all') return 'all versions'
  return kind === 'exact' ? `exact version listed (${entry.versions})` : `range ${entry.versions}`
}
