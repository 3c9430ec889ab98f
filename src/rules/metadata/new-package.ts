// metadata/new-package
//
// Detects: a package added in this PR that was first published recently (less than 30 days
// before the scan) and has few versions (at most 3).
//
// Why: attacker-owned packages (typosquats, impersonations, dependency-confusion names) are
// typically days old when they land in someone's lockfile; a dependency with no history has no
// track record to trust. It is high when the package is also very new (< 7 days) and its unscoped
// name looks like a popular package's (a near-miss or a distinctive popular name inside it).
//
// Needs the packument's `time` (`created`, or the earliest version's time): when it is missing
// (some mirrors drop it) the rule says nothing, and the run-wide "metadata unavailable" notice
// reports it. A time in the future (a skewed mirror) counts as "just published".
//
// Known false positives: a brand-new package of a known vendor or of your own organisation, a
// freshly split-out package of a monorepo. Scoped names are never raised to high (a scope is
// owned).
import { makeFinding } from '../finding.js'
import { describeLookalike, findLookalike } from '../lib/popularity/lookalike.js'
import { splitName } from '../lib/popularity/names.js'
import { DAY_MS, maturityOf } from '../lib/popularity/timeline.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/new-package',
  title: 'Newly published package added',
  description:
    'A package added in this change was first published in the last weeks and has almost no ' +
    'release history: attacker-owned packages look like this when they are installed.',
  defaultSeverity: 'medium',
  version: 1
}

const RECENT_MS = 30 * DAY_MS
const VERY_RECENT_MS = 7 * DAY_MS
const FEW_VERSIONS = 3

function check(ctx: RuleContext) {
  if (ctx.change.kind !== 'added') return []
  const { ageMs, versions } = maturityOf(ctx.packument, ctx.now)
  if (ageMs === undefined || ageMs >= RECENT_MS || versions > FEW_VERSIONS) return []
  const age = describeAge(ageMs)
  const plural = versions === 1 ? '' : 's'
  const base = `Added package "${ctx.change.name}" was first published ${age} and has ${versions} version${plural}`
  const lookalike = ageMs < VERY_RECENT_MS ? lookalikeOf(ctx.change.name) : undefined
  if (lookalike) {
    return [
      makeFinding(
        ctx,
        meta,
        `${base}, and its name ${lookalike}: check it before trusting it.`,
        [],
        'high'
      )
    ]
  }
  return [makeFinding(ctx, meta, `${base}: a dependency with no track record.`)]
}

function lookalikeOf(name: string): string | undefined {
  if (splitName(name).scope !== undefined) return undefined
  const lookalike = findLookalike(name)
  return lookalike ? describeLookalike(lookalike) : undefined
}

function describeAge(ageMs: number): string {
  const hours = Math.floor(ageMs / 3_600_000)
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`
  return `${Math.floor(ageMs / DAY_MS)} days ago`
}

export const rule: Rule = { meta, check }
