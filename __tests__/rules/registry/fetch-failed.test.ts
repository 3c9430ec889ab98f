import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/registry/fetch-failed.js'
import type { FetchProblem } from '../../../src/types.js'
import { makeContext } from '../../helpers/factories.js'

const problem = (code: FetchProblem['code'], which: FetchProblem['which']): FetchProblem => ({
  code,
  which,
  message: 'http://127.0.0.1:1/ answered HTTP 503 for example-pkg'
})

describe('registry/fetch-failed', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({ id: 'registry/fetch-failed', defaultSeverity: 'high' })
  })

  it.each<[string, FetchProblem[], Record<string, unknown>[]]>([
    [
      'an unreadable registry',
      [problem('EREGISTRY', 'new')],
      [
        {
          severity: 'high',
          message: expect.stringMatching(/example-pkg@1\.0\.1 was not analysed .*HTTP 503/)
        }
      ]
    ],
    [
      'an unreadable previous version',
      [problem('EREGISTRY', 'previous')],
      [
        {
          severity: 'medium',
          message: expect.stringMatching(
            /previous version example-pkg@1\.0\.0 could not be fetched/
          )
        }
      ]
    ],
    ['a source that is not a registry', [problem('ESOURCE', 'new')], []],
    ['no problem', [], []]
  ])('%s', async (_what, problems, expected) => {
    const findings = await rule.check(makeContext({ problems }))
    expect(findings).toEqual(
      expected.map((e) => expect.objectContaining({ ruleId: 'registry/fetch-failed', ...e }))
    )
  })
})
