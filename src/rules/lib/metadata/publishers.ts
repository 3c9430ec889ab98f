// Who published a version, read from registry metadata (`_npmUser`), and who published the
// versions just before it. A publisher is compared with the previously locked version and with
// the recent history, never with "any earlier version": an account that published once, years
// ago, says nothing about today's release.
import semver from 'semver'
import { versionsBelow } from './versions.js'
import type { Manifest, Packument } from '../../../types.js'

/** How many versions before the new one count as "recent history". */
export const RECENT_HISTORY = 10

/** The publishing account's name, lower-cased; undefined when the registry did not say. */
export function publisherName(manifest: Manifest | undefined): string | undefined {
  const name = manifest?._npmUser?.name
  return typeof name === 'string' && name.trim() !== '' ? name.trim().toLowerCase() : undefined
}

/** True when the registry recorded an OIDC trusted publisher (CI) for this version. */
export function hasTrustedPublisher(manifest: Manifest | undefined): boolean {
  const trusted = manifest?._npmUser?.trustedPublisher
  return typeof trusted === 'object' && trusted !== null
}

/** The versions published just before `version` by semver order (at most `limit`), newest first. */
export function versionsBefore(
  packument: Packument | undefined,
  version: string,
  limit = RECENT_HISTORY
): string[] {
  if (!packument?.versions || semver.valid(version) === null) return []
  return versionsBelow(Object.keys(packument.versions), version)
    .reverse()
    .slice(0, limit)
    .map((v) => v.raw)
}

/** Publishers of the recent history before `version`, lower-cased. */
export function recentPublishers(packument: Packument | undefined, version: string): Set<string> {
  const names = new Set<string>()
  for (const v of versionsBefore(packument, version)) {
    const name = publisherName(packument?.versions[v])
    if (name) names.add(name)
  }
  return names
}

export interface PublisherComparison {
  previous: string
  current: string
  /** The current publisher also published one of the recent versions. */
  knownFromHistory: boolean
}

/**
 * The publisher of `current` compared with `previous`'s; undefined when either is unknown (the
 * metadata-gap notice reports that) or when they are the same account.
 */
export function comparePublishers(
  current: Manifest | undefined,
  previous: Manifest | undefined,
  packument: Packument | undefined
): PublisherComparison | undefined {
  const now = publisherName(current)
  const before = publisherName(previous)
  if (!now || !before || now === before) return undefined
  const history = current ? recentPublishers(packument, current.version) : new Set<string>()
  return { previous: before, current: now, knownFromHistory: history.has(now) }
}

/** A different account published, one that none of the recent versions had: the suspicious case. */
export function publisherIsNew(
  current: Manifest | undefined,
  previous: Manifest | undefined,
  packument: Packument | undefined
): boolean {
  const comparison = comparePublishers(current, previous, packument)
  return comparison !== undefined && !comparison.knownFromHistory
}
