import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/registry/integrity-mismatch.js'
import type { FetchProblem } from '../../../src/types.js'
import { makeContext } from '../../helpers/factories.js'

const problem = (code: FetchProblem['code'], which: FetchProblem['which']): FetchProblem => ({
  code,
  which,
  message: 'the tarball http://127.0.0.1:1/ serves for example-pkg@1.0.1 does not match'
})

describe('registry/integrity-mismatch', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({
      id: 'registry/integrity-mismatch',
      defaultSeverity: 'critical'
    })
  })

  it.each<[string, FetchProblem[], Record<string, unknown>[]]>([
    [
      'other bytes for the new version',
      [problem('EINTEGRITY', 'new')],
      [
        {
          severity: 'critical',
          message: expect.stringMatching(/serves example-pkg@1\.0\.1 with other bytes/)
        }
      ]
    ],
    [
      'other bytes for the previous version',
      [problem('EINTEGRITY', 'previous')],
      [
        {
          severity: 'medium',
          message: expect.stringMatching(/base lockfile pinned example-pkg@1\.0\.0/)
        }
      ]
    ],
    ['a missing version', [problem('ENOTFOUND_VERSION', 'new')], []],
    ['no problem', [], []]
  ])('%s', async (_what, problems, expected) => {
    const findings = await rule.check(makeContext({ problems }))
    expect(findings).toEqual(
      expected.map((e) => expect.objectContaining({ ruleId: 'registry/integrity-mismatch', ...e }))
    )
  })
})
