// Detects: a package whose name and version are the same as in base, but whose `integrity` or
// `resolved` (or the kind of source they point at) changed value.
// Why: a published version never changes its bytes, so the only honest reasons for a new hash or
// a new origin are rare; an edited lockfile that swaps the tarball behind an already-reviewed
// version is a known attack (the diff shows one changed line in a file nobody reads).
// Known false positives: switching to a registry mirror that serves tarballs under another host
// changes `resolved` for every package (same integrity); republishing a git dependency at the
// same version. `sha1` -> `sha512` upgrades and fields that only appear or disappear are ignored
// upstream by the diff.
import type { Finding, LockedPackage } from '../../types.js'
import { findTampering, type Tampering } from '../../diff/tampering.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'lockfile/integrity-changed',
  title: 'Same version, different integrity or origin',
  description:
    'The lockfile pins the same name and version as before but a different integrity hash or ' +
    'tarball origin: the bytes behind an already-reviewed version were swapped, which is how ' +
    'lockfile tampering hides in a pull request.',
  defaultSeverity: 'critical',
  version: 1
}

const MAX_VALUE = 120

function check(ctx: RuleContext): Finding[] {
  const { change } = ctx
  const previous = change.previous
  if (!previous || !isSameVersion(previous, change.locked)) return []
  const tampering = findTampering(previous, change.locked)
  if (tampering.length === 0) return []
  const details = tampering.map(describe).join('; ')
  const message = `${change.name}@${change.version} is locked with the same version as before but ${details}`
  const evidence = tampering.map((t) => ({
    file: 'lockfile',
    line: change.line,
    snippet: describe(t)
  }))
  return [makeFinding(ctx, meta, message, evidence)]
}

function isSameVersion(previous: LockedPackage, locked: LockedPackage): boolean {
  return previous.name === locked.name && previous.version === locked.version
}

function describe(tampering: Tampering): string {
  return `${tampering.field} changed from ${clip(tampering.before)} to ${clip(tampering.after)}`
}

function clip(value: string): string {
  return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value
}

export const rule: Rule = { meta, check }
