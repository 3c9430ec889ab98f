// Detects: a locked version published less than `min-release-age` before the scan (a cooldown).
// Options: `minReleaseAgeMs` (0 disables the rule, the default) and `exclude` (package-name globs,
// e.g. the organisation's own `@acme/*`).
// Why: most malicious versions are found and removed within hours or days; a lockfile that waits
// does not install them. This holds lockfile entries, so it closes the gap `npm ci` leaves open
// (install-time cooldowns only apply when a version is resolved, not when a lockfile pins it).
// False positives: an urgent security fix; exclude the package or lower the cooldown. Needs real
// publish times: missing or scrambled `time` (some mirrors) means no finding, and the
// metadata-gap notice says the cooldown could not be applied.
import picomatch from 'picomatch'
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import { formatDuration, judgeTimes, publishTime } from '../lib/metadata/time.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/too-new',
  title: 'Version newer than the cooldown',
  description:
    'The version was published less than min-release-age before the scan: malicious versions ' +
    'are usually found and removed within hours or days.',
  defaultSeverity: 'high',
  version: 1
}

interface CooldownOptions {
  minReleaseAgeMs: number
  exclude: string[]
}

function optionsOf(ctx: RuleContext): CooldownOptions {
  const { minReleaseAgeMs, exclude } = ctx.options
  return {
    minReleaseAgeMs: typeof minReleaseAgeMs === 'number' ? minReleaseAgeMs : 0,
    exclude: Array.isArray(exclude) ? exclude.filter((g) => typeof g === 'string') : []
  }
}

function check(ctx: RuleContext): Finding[] {
  const { minReleaseAgeMs, exclude } = optionsOf(ctx)
  const { change } = ctx
  if (minReleaseAgeMs <= 0 || change.previous?.version === change.version) return []
  if (exclude.length > 0 && picomatch.isMatch(change.name, exclude)) return []
  const published = publishTime(ctx.packument, change.version)
  if (published === undefined || judgeTimes(ctx.packument) === 'scrambled') return []
  const age = Math.max(0, ctx.now.getTime() - published)
  if (age >= minReleaseAgeMs) return []
  const ageText = age < 60_000 ? 'less than a minute ago' : `${formatDuration(age)} ago`
  const message =
    `${change.name}@${change.version} was published ${ageText}; the cooldown is ` +
    `${formatDuration(minReleaseAgeMs)}: wait until ` +
    `${new Date(published + minReleaseAgeMs).toISOString()} or exclude the package`
  const snippet = `time["${change.version}"]: ${ctx.packument?.time?.[change.version]}`
  return [makeFinding(ctx, meta, message, [{ file: 'packument', snippet }])]
}

export const rule: Rule = { meta, check }
