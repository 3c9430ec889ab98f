import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/registry/unpack-limit.js'
import type { RuleContext } from '../../../src/rules/types.js'
import { makeContext, makeFiles } from '../../helpers/factories.js'

const withLimits = (limitsHit: string[]) => ({ ...makeFiles({ 'index.js': 'x' }), limitsHit })
const TOTAL = 'the package unpacks to more than 256 MiB; reading stopped at dist/big.js'

describe('registry/unpack-limit', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({ id: 'registry/unpack-limit', defaultSeverity: 'medium' })
  })

  it.each<[string, Partial<RuleContext>, Record<string, unknown>[]]>([
    [
      'a limit hit while unpacking the new version',
      { files: withLimits([TOTAL]) },
      [
        {
          severity: 'medium',
          message: expect.stringMatching(/only partly analysed: the package unpacks/),
          evidence: [{ snippet: TOTAL }]
        }
      ]
    ],
    [
      'a tarball too large to download',
      {
        problems: [
          {
            code: 'ELIMIT',
            which: 'new',
            message: 'example-pkg@1.0.1: the tarball is larger than 256 MiB'
          }
        ]
      },
      [{ severity: 'medium', message: expect.stringMatching(/larger than 256 MiB/) }]
    ],
    [
      'a limit hit in the previous version',
      {
        files: withLimits([]),
        previousFiles: withLimits(['the package has more than 20000 files'])
      },
      [
        {
          severity: 'low',
          message: expect.stringMatching(
            /previous version example-pkg@1\.0\.0 was only partly read/
          )
        }
      ]
    ],
    ['a package read completely', { files: withLimits([]), previousFiles: withLimits([]) }, []],
    ['no tarball at all', {}, []]
  ])('%s', async (_what, overrides, expected) => {
    const findings = await rule.check(makeContext(overrides))
    expect(findings).toEqual(
      expected.map((e) => expect.objectContaining({ ruleId: 'registry/unpack-limit', ...e }))
    )
  })

  it('keeps at most five sentences as evidence', async () => {
    const many = Array.from(
      { length: 9 },
      (_, i) => `file${i}.bin is larger than 256 MiB: it was not hashed`
    )
    const [finding] = await rule.check(makeContext({ files: withLimits(many) }))
    expect(finding.evidence).toHaveLength(5)
  })
})
