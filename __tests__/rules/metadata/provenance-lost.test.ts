import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/provenance-lost.js'
import type { RuleContext } from '../../../src/rules/types.js'
import type { Manifest } from '../../../src/types.js'
import { bumpContext, makePackument, source, withProvenance } from '../lib/metadata/factories.js'

const attested = (version: string): Partial<Manifest> => ({ dist: withProvenance(version) })
const publishOnly: Partial<Manifest> = {
  dist: {
    attestations: {
      url: 'http://127.0.0.1:1/x',
      provenance: {
        predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1'
      }
    }
  }
}

function bump(
  previous: Partial<Manifest>,
  current: Partial<Manifest>,
  overrides: Partial<RuleContext> = {}
) {
  return rule.check(
    bumpContext(makePackument({ '1.0.0': previous, '1.0.1': current }), '1.0.0', '1.0.1', overrides)
  )
}

describe('metadata/provenance-lost', () => {
  it('flags a version published without the provenance the previous one had', async () => {
    const findings = await bump(attested('1.0.0'), {})
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'metadata/provenance-lost',
        severity: 'high',
        evidence: [{ file: 'packument', snippet: 'dist.attestations: provenance -> absent' }]
      })
    ])
    expect(findings[0].message).toMatch(/without the npm provenance that 1\.0\.0 had/)
  })

  it.each([
    [
      'a different repository',
      { repository: 'https://github.com/mallory/meta-pkg' },
      /repository: github\.com\/acme\/meta-pkg -> github\.com\/mallory\/meta-pkg/
    ],
    [
      'a different workflow',
      { workflow: '.github/workflows/sneaky.yml' },
      /workflow: \.github\/workflows\/release\.yml -> \.github\/workflows\/sneaky\.yml/
    ]
  ])('flags both attested but built from %s (high)', async (_label, change, pattern) => {
    const provenance = {
      previous: source(),
      current: source({ ref: 'refs/tags/v1.0.1', ...change })
    }
    const findings = await bump(attested('1.0.0'), attested('1.0.1'), { provenance })
    expect(findings).toHaveLength(1)
    expect(findings[0].severity).toBe('high')
    expect(findings[0].message).toMatch(pattern)
  })

  it('flags a ref that is neither a tag nor a branch at medium', async () => {
    const provenance = { previous: source(), current: source({ ref: 'refs/pull/12/merge' }) }
    const findings = await bump(attested('1.0.0'), attested('1.0.1'), { provenance })
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium' })])
  })

  it('says at low when both are attested but the bundles could not be read', async () => {
    const findings = await bump(attested('1.0.0'), attested('1.0.1'), {
      provenance: { previous: source() }
    })
    expect(findings).toEqual([expect.objectContaining({ severity: 'low' })])
    expect(findings[0].message).toMatch(/could not be read to compare/)
  })

  it.each<[string, Partial<Manifest>, Partial<Manifest>, Partial<RuleContext>]>([
    [
      'the same source, another tag',
      attested('1.0.0'),
      attested('1.0.1'),
      {
        provenance: {
          previous: source({ ref: 'refs/tags/v1.0.0' }),
          current: source({ repository: 'git+https://github.com/Acme/meta-pkg.git' })
        }
      }
    ],
    [
      'a release branch',
      attested('1.0.0'),
      attested('1.0.1'),
      {
        provenance: { previous: source(), current: source({ ref: 'refs/heads/main' }) }
      }
    ],
    ['no provenance before or now', {}, {}, {}],
    ['provenance gained', {}, attested('1.0.1'), {}],
    ['only a publish attestation before', publishOnly, {}, {}]
  ])('is quiet for %s', async (_label, previous, current, overrides) => {
    expect(await bump(previous, current, overrides)).toEqual([])
  })

  it('is quiet for an added package', async () => {
    const packument = makePackument({ '1.0.0': attested('1.0.0'), '1.0.1': {} })
    expect(await rule.check(bumpContext(packument, null, '1.0.1'))).toEqual([])
  })
})
