// Compares the base and head versions of one lockfile and returns what the head brings in.
// Entries are keyed by their lockfile path, so a second copy of a package at another path is
// seen on its own. Removed packages are not changes: they cannot bring code in.
// pnpm and yarn key their entries by name *and version* (`a@1.0.1`, `a@^1.0.0`), so a bump never
// keeps its path: there the version it replaced is found by name, so that the rules compare the
// new code with the old rather than reading the whole package as new.
import semver from 'semver'
import type { LockedPackage, LockfileFormat, ParsedLockfile, PackageChange } from '../types.js'
import { findTampering } from './tampering.js'

const VERSIONED_KEYS: ReadonlySet<LockfileFormat> = new Set(['pnpm-lock', 'yarn-lock'])

export function diffLockfiles(
  base: ParsedLockfile | undefined,
  head: ParsedLockfile
): PackageChange[] {
  if (!base) return allAsAdded(head)
  const basePaths = new Map(base.packages.map((locked) => [locked.path, locked]))
  const baseVersions = groupByNameAndVersion(base.packages)
  const replaced = VERSIONED_KEYS.has(head.format) ? replacedVersions(base, head) : undefined
  const changes: PackageChange[] = []
  for (const locked of head.packages) {
    const atSamePath = basePaths.get(locked.path) ?? predecessor(locked, replaced)
    const change = compareEntry(locked, head.path, atSamePath, baseVersions)
    if (change) changes.push(change)
  }
  return sortByLine(changes)
}

/** Base entries, by name, whose version the head no longer locks: what a bump replaced. */
function replacedVersions(
  base: ParsedLockfile,
  head: ParsedLockfile
): Map<string, LockedPackage[]> {
  const inHead = new Set(head.packages.map(versionKey))
  const replaced = new Map<string, LockedPackage[]>()
  for (const locked of base.packages) {
    if (inHead.has(versionKey(locked))) continue
    const group = replaced.get(locked.name)
    if (group) group.push(locked)
    else replaced.set(locked.name, [locked])
  }
  return replaced
}

/** The replaced version a head entry most likely updates: the highest one below it, else the
 *  highest one (a downgrade). Undefined when no version of that name went away. */
function predecessor(
  locked: LockedPackage,
  replaced: Map<string, LockedPackage[]> | undefined
): LockedPackage | undefined {
  const candidates = replaced?.get(locked.name)
  if (!candidates) return undefined
  const valid = candidates.filter((entry) => semver.valid(entry.version) !== null)
  if (valid.length === 0) return candidates[0]
  const sorted = [...valid].sort((a, b) => semver.rcompare(a.version, b.version))
  const lower = semver.valid(locked.version)
    ? sorted.find((entry) => semver.lt(entry.version, locked.version))
    : undefined
  return lower ?? sorted[0]
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
