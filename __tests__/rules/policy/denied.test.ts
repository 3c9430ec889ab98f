import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/policy/denied.js'
import type { DenyEntry } from '../../../src/config.js'
import { makeChange, makeContext, makeManifest } from '../../helpers/factories.js'

const FILE = '.github/lockgate.yml'

function check(deny: unknown, opts: { name?: string; version?: string; publisher?: string } = {}) {
  const name = opts.name ?? 'event-stream'
  const version = opts.version ?? '3.3.6'
  return rule.check(
    makeContext({
      change: makeChange({ name, version, previousVersion: '3.3.5' }),
      manifest: makeManifest({
        name,
        version,
        ...(opts.publisher ? { _npmUser: { name: opts.publisher } } : {})
      }),
      options: { deny, file: FILE }
    })
  )
}

const byRange: DenyEntry = {
  package: 'event-stream',
  versions: '>=3.3.6 <4',
  reason: 'flatmap-stream backdoor',
  line: 12
}

describe('policy/denied', () => {
  it('flags a version inside a denied range, critical, with the entry as evidence', async () => {
    const findings = await check([byRange])
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'policy/denied',
        severity: 'critical',
        package: { name: 'event-stream', version: '3.3.6', previous: '3.3.5' },
        evidence: [{ file: FILE, line: 12, snippet: 'reason: flatmap-stream backdoor' }]
      })
    ])
    expect(findings[0]?.message).toBe(
      'event-stream@3.3.6 is denied by .github/lockgate.yml (event-stream@>=3.3.6 <4): ' +
        'flatmap-stream backdoor'
    )
  })

  it.each([
    ['a version outside the range', [byRange], { version: '3.3.5' }],
    ['another package', [byRange], { name: 'event-streams' }],
    [
      'another publisher',
      [{ publisher: 'right9ctrl', reason: 'r', line: 3 }],
      { publisher: 'dominictarr' }
    ],
    ['no publisher in the metadata', [{ publisher: 'right9ctrl', reason: 'r', line: 3 }], {}],
    ['no deny list', undefined, {}],
    ['a malformed deny list', [{ package: 'event-stream' }, 'x'], {}]
  ])('ignores %s', async (_name, deny, opts) => {
    expect(await check(deny, opts)).toEqual([])
  })

  it('flags a version published by a denied account, whatever the case', async () => {
    const findings = await check([{ publisher: 'Right9ctrl', reason: 'hijacked', line: 5 }], {
      publisher: 'right9ctrl'
    })
    expect(findings.map((f) => f.message)).toEqual([
      'event-stream@3.3.6 was published by Right9ctrl, denied by .github/lockgate.yml: hijacked'
    ])
  })

  it('matches name globs and prereleases', async () => {
    const entry = { package: 'event-*', versions: '*', reason: 'r', line: 1 }
    expect(await check([entry], { version: '4.0.0-rc.1' })).toHaveLength(1)
  })
})
