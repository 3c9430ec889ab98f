import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/too-new.js'
import type { RuleOptions } from '../../../src/rules/types.js'
import { bumpContext, makePackument, NOW } from '../lib/metadata/factories.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString()
const THREE_DAYS: RuleOptions = { minReleaseAgeMs: 3 * DAY, exclude: [] }

function check(published: string | undefined, options: RuleOptions, name?: string) {
  const packument = makePackument({
    '1.0.0': { time: ago(100 * DAY) },
    '1.0.1': { time: published }
  })
  const ctx = bumpContext(packument, '1.0.0', '1.0.1', { options })
  if (name) ctx.change = { ...ctx.change, name }
  return rule.check(ctx)
}

describe('metadata/too-new', () => {
  it('holds a version published 2 hours ago under a 3-day cooldown, saying both', async () => {
    const findings = await check(ago(2 * HOUR), THREE_DAYS)
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'metadata/too-new', severity: 'high' })
    ])
    expect(findings[0].message).toMatch(/published 2 hours ago; the cooldown is 3 days/)
    expect(findings[0].evidence[0].snippet).toBe(`time["1.0.1"]: ${ago(2 * HOUR)}`)
  })

  it.each<[string, string | undefined, RuleOptions, string | undefined]>([
    ['a version older than the cooldown', ago(4 * DAY), THREE_DAYS, undefined],
    ['a cooldown of 0 (disabled)', ago(2 * HOUR), { minReleaseAgeMs: 0, exclude: [] }, undefined],
    ['no options at all', ago(2 * HOUR), {}, undefined],
    ['an excluded scope', ago(2 * HOUR), { ...THREE_DAYS, exclude: ['@acme/*'] }, '@acme/lib'],
    ['no publish time', undefined, THREE_DAYS, undefined],
    ['an unreadable publish time', 'yesterday-ish', THREE_DAYS, undefined]
  ])('lets through %s', async (_label, published, options, name) => {
    expect(await check(published, options, name)).toEqual([])
  })

  it('holds names the exclusions do not match', async () => {
    const options = { ...THREE_DAYS, exclude: ['@acme/*'] }
    expect(await check(ago(2 * HOUR), options, '@other/lib')).toHaveLength(1)
  })

  it('treats a publish time in the future as just published', async () => {
    const findings = await check(new Date(NOW.getTime() + HOUR).toISOString(), THREE_DAYS)
    expect(findings[0].message).toMatch(/published less than a minute ago/)
  })

  it('applies to added packages too (the lockfile pins what npm ci installs)', async () => {
    const packument = makePackument({ '1.0.1': { time: ago(HOUR) } })
    const ctx = bumpContext(packument, null, '1.0.1', { options: THREE_DAYS })
    expect(await rule.check(ctx)).toHaveLength(1)
  })

  it('does not act on scrambled publish times', async () => {
    // 1.0.0 .. 1.0.5 "published" in reverse order, as a scrambling mirror serves them
    const versions: Record<string, { time: string }> = { '1.0.6': { time: ago(HOUR) } }
    for (let patch = 0; patch <= 5; patch++) {
      versions[`1.0.${patch}`] = { time: ago(patch * DAY + 2 * HOUR) }
    }
    const ctx = bumpContext(makePackument(versions), '1.0.5', '1.0.6', { options: THREE_DAYS })
    expect(await rule.check(ctx)).toEqual([])
  })
})
