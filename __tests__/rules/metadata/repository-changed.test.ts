import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/metadata/repository-changed.js'
import type { RuleContext } from '../../../src/rules/types.js'
import type { Manifest } from '../../../src/types.js'
import { bumpContext, makePackument, source, withProvenance } from '../lib/metadata/factories.js'

function bump(
  previous: Partial<Manifest>,
  current: Partial<Manifest>,
  overrides: Partial<RuleContext> = {}
) {
  const packument = makePackument({ '1.0.0': previous, '1.0.1': current })
  return rule.check(bumpContext(packument, '1.0.0', '1.0.1', overrides))
}

const acme = { repository: { type: 'git', url: 'git+https://github.com/acme/meta-pkg.git' } }

describe('metadata/repository-changed', () => {
  it('flags another repository (medium), with both URLs as evidence', async () => {
    const findings = await bump(acme, { repository: 'https://github.com/mallory/meta-pkg' })
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'metadata/repository-changed',
        severity: 'medium',
        evidence: [
          {
            file: 'package.json',
            snippet:
              'repository: git+https://github.com/acme/meta-pkg.git -> https://github.com/mallory/meta-pkg'
          }
        ]
      })
    ])
    expect(findings[0].message).toMatch(
      /github\.com\/acme\/meta-pkg -> github\.com\/mallory\/meta-pkg/
    )
  })

  it('flags a removed repository', async () => {
    const findings = await bump(acme, {})
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium' })])
    expect(findings[0].message).toMatch(/no longer names its source repository/)
  })

  it('ranks high when the owner changed and the provenance was lost', async () => {
    const findings = await bump(
      { ...acme, dist: withProvenance('1.0.0') },
      { repository: 'github:mallory/meta-pkg' }
    )
    expect(findings).toEqual([expect.objectContaining({ severity: 'high' })])
  })

  it('ranks high when the owner changed and the attested repository changed too', async () => {
    const findings = await bump(
      { ...acme, dist: withProvenance('1.0.0') },
      { repository: 'github:mallory/meta-pkg', dist: withProvenance('1.0.1') },
      {
        provenance: {
          previous: source(),
          current: source({ repository: 'https://github.com/mallory/meta-pkg' })
        }
      }
    )
    expect(findings).toEqual([expect.objectContaining({ severity: 'high' })])
  })

  it('stays medium when only the repository name changed within the owner', async () => {
    const findings = await bump(
      { ...acme, dist: withProvenance('1.0.0') },
      { repository: 'github:acme/meta-pkg-next' }
    )
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium' })])
  })

  it.each([
    ['github:acme/meta-pkg'],
    ['acme/meta-pkg'],
    ['https://github.com/acme/meta-pkg'],
    ['https://www.github.com/Acme/Meta-Pkg/tree/main/packages/x'],
    ['git@github.com:acme/meta-pkg.git'],
    ['git://github.com/acme/meta-pkg.git']
  ])('is quiet for another spelling of the same repository: %s', async (url) => {
    expect(await bump(acme, { repository: { type: 'git', url } })).toEqual([])
  })

  it('is quiet when a repository is added where there was none', async () => {
    expect(await bump({}, acme)).toEqual([])
  })
})
