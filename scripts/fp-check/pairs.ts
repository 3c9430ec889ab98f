// Pure helpers of the real-world false-positive check: reading the package list, choosing which
// two releases of a package to compare, and describing that pair as the PackageChange a lockfile
// diff would have produced. No I/O here, so that the choices are testable.
import semver from 'semver'
import type { LockedPackage, PackageChange, Packument } from '../../src/types.js'

/** The lockfile name findings point at: there is no real lockfile in this check. */
export const FP_LOCKFILE = 'fp-check'

export interface VersionPair {
  latest: string
  previous: string
}

/** Package names, one per line; `#` starts a comment; blank lines and duplicates are dropped. */
export function parsePackageList(text: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
  return [...new Set(names)]
}

/**
 * The `latest` dist-tag and the release before it: the highest stable version below latest on
 * the same major, else the highest stable version below latest. Ordered by semver, not by publish
 * time: `time` is not trustworthy on every mirror, and backports published after the latest
 * release are not "the release before it".
 */
export function choosePair(packument: Packument): VersionPair | { reason: string } {
  const latest = packument['dist-tags']?.latest
  if (!latest || semver.valid(latest) === null) return { reason: 'no valid `latest` dist-tag' }
  if (!packument.versions?.[latest]) return { reason: `latest ${latest} is not listed` }
  const lower = Object.keys(packument.versions)
    .filter((version) => semver.valid(version) !== null && semver.prerelease(version) === null)
    .filter((version) => semver.lt(version, latest))
    .sort(semver.rcompare)
  const sameMajor = lower.find((version) => semver.major(version) === semver.major(latest))
  const previous = sameMajor ?? lower[0]
  if (!previous) return { reason: `no stable release before ${latest}` }
  return { latest, previous }
}

/** The pair as a lockfile diff would report it, pinned to the packument's integrities. */
export function pairChange(packument: Packument, pair: VersionPair): PackageChange {
  const locked = lockedEntry(packument, pair.latest)
  return {
    kind: 'changed',
    name: packument.name,
    version: pair.latest,
    lockfile: FP_LOCKFILE,
    line: 0,
    locked,
    previous: lockedEntry(packument, pair.previous)
  }
}

function lockedEntry(packument: Packument, version: string): LockedPackage {
  const integrity = packument.versions[version]?.dist?.integrity
  return {
    name: packument.name,
    version,
    path: `node_modules/${packument.name}`,
    line: 0,
    source: 'registry',
    ...(typeof integrity === 'string' && integrity ? { integrity } : {})
  }
}
