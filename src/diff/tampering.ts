// Tells lockfile tampering from npm's own noise, for two entries of the same name and version.
// A `resolved` or `integrity` that changes value means different bytes or a different origin for
// a version that was already reviewed. A field that merely appears, or both disappearing
// together, is what npm configs and npm versions do on their own, and is not reported.
import type { LockedPackage } from '../types.js'

export interface Tampering {
  field: 'integrity' | 'resolved' | 'source'
  before: string
  after: string
}

const ABSENT = '(none)'
// Weakest to strongest; an algorithm not listed counts as the weakest.
const ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512']
const MAX_HASHES = 16

export function findTampering(base: LockedPackage, head: LockedPackage): Tampering[] {
  const found: Tampering[] = []
  const integrity = integrityTampering(base, head)
  if (integrity) found.push(integrity)
  if (
    base.resolved !== undefined &&
    head.resolved !== undefined &&
    base.resolved !== head.resolved
  ) {
    found.push({ field: 'resolved', before: base.resolved, after: head.resolved })
  } else if (base.source !== head.source) {
    found.push({ field: 'source', before: base.source, after: head.source })
  }
  return found
}

function integrityTampering(base: LockedPackage, head: LockedPackage): Tampering | undefined {
  if (base.integrity === undefined) return undefined
  if (head.integrity === undefined) {
    // Dropping the hash while pointing somewhere new lets any bytes through.
    const redirected = head.resolved !== undefined && head.resolved !== base.resolved
    return redirected ? { field: 'integrity', before: base.integrity, after: ABSENT } : undefined
  }
  if (!integrityConflicts(base.integrity, head.integrity)) return undefined
  return { field: 'integrity', before: base.integrity, after: head.integrity }
}

/**
 * Whether two SRI strings cannot describe the same bytes: an algorithm they share with no digest
 * in common, or no shared algorithm and no upgrade (npm replaces an old `sha1-` with `sha512-`
 * when it re-reads registry metadata; going the other way is a downgrade).
 */
export function integrityConflicts(before: string, after: string): boolean {
  if (before === after) return false
  const old = parseIntegrity(before)
  const now = parseIntegrity(after)
  if (old.size === 0 || now.size === 0) return true
  let shared = false
  for (const [algorithm, digests] of now) {
    const previous = old.get(algorithm)
    if (!previous) continue
    shared = true
    if (![...digests].some((digest) => previous.has(digest))) return true
  }
  return shared ? false : strength(now) <= strength(old)
}

function parseIntegrity(sri: string): Map<string, Set<string>> {
  const hashes = new Map<string, Set<string>>()
  for (const token of sri.trim().split(/\s+/).slice(0, MAX_HASHES)) {
    const dash = token.indexOf('-')
    if (dash <= 0) continue
    const algorithm = token.slice(0, dash).toLowerCase()
    const digest = token.slice(dash + 1).split('?')[0]
    if (digest === '') continue
    hashes.set(algorithm, (hashes.get(algorithm) ?? new Set()).add(digest))
  }
  return hashes
}

function strength(hashes: Map<string, Set<string>>): number {
  return Math.max(...[...hashes.keys()].map((algorithm) => ALGORITHMS.indexOf(algorithm)))
}
