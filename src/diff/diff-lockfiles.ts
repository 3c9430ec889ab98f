// Compares the base and head versions of one lockfile and returns what the head brings in.
// Entries are keyed by their lockfile path, so a second copy of a package at another path is
// seen on its own. Removed packages are not changes: they cannot bring code in.
import type { LockedPackage, ParsedLockfile, PackageChange } from '../types.js'
import { findTampering } from './tampering.js'

export function diffLockfiles(
  base: ParsedLockfile | undefined,
  head: ParsedLockfile
): PackageChange[] {
  if (!base) return allAsAdded(head)
  const basePaths = new Map(base.packages.map((locked) => [locked.path, locked]))
  const baseVersions = groupByNameAndVersion(base.packages)
  const changes: PackageChange[] = []
  for (const locked of head.packages) {
    const change = compareEntry(locked, head.path, basePaths.get(locked.path), baseVersions)
    if (change) changes.push(change)
  }
  return sortByLine(changes)
}

/** Every entry as `added`: for a new lockfile, or a full scan with no base. */
export function allAsAdded(head: ParsedLockfile): PackageChange[] {
  return sortByLine(head.packages.map((locked) => toChange(locked, head.path)))
}

function compareEntry(
  locked: LockedPackage,
  lockfile: string,
  atSamePath: LockedPackage | undefined,
  baseVersions: Map<string, LockedPackage[]>
): PackageChange | undefined {
  const samePackage = atSamePath?.name === locked.name ? atSamePath : undefined
  if (samePackage?.version === locked.version) {
    return findTampering(samePackage, locked).length === 0
      ? undefined
      : toChange(locked, lockfile, samePackage)
  }
  // npm moves and copies packages between paths when it deduplicates: a version already locked
  // elsewhere in base is not new code, unless its integrity or origin differ from every copy.
  const sameVersion = baseVersions.get(versionKey(locked)) ?? []
  if (sameVersion.some((copy) => findTampering(copy, locked).length === 0)) return undefined
  return toChange(locked, lockfile, sameVersion[0] ?? samePackage)
}

function toChange(
  locked: LockedPackage,
  lockfile: string,
  previous?: LockedPackage
): PackageChange {
  return {
    kind: previous ? 'changed' : 'added',
    name: locked.name,
    version: locked.version,
    lockfile,
    line: locked.line,
    locked,
    ...(previous ? { previous } : {})
  }
}

function groupByNameAndVersion(packages: LockedPackage[]): Map<string, LockedPackage[]> {
  const groups = new Map<string, LockedPackage[]>()
  for (const locked of packages) {
    const key = versionKey(locked)
    const group = groups.get(key)
    if (group) group.push(locked)
    else groups.set(key, [locked])
  }
  return groups
}

function versionKey(locked: LockedPackage): string {
  return `${locked.name}@${locked.version}`
}

function sortByLine(changes: PackageChange[]): PackageChange[] {
  return changes.sort((a, b) => a.line - b.line || a.locked.path.localeCompare(b.locked.path))
}
