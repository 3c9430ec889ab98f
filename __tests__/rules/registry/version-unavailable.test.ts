import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/registry/version-unavailable.js'
import type { FetchProblem } from '../../../src/types.js'
import { makeChange, makeContext } from '../../helpers/factories.js'

const problem = (code: FetchProblem['code'], which: FetchProblem['which']): FetchProblem => ({
  code,
  which,
  message: `example-pkg is not served by http://127.0.0.1:1/ (${code})`
})

describe('registry/version-unavailable', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({ id: 'registry/version-unavailable', defaultSeverity: 'high' })
  })

  it.each<[string, FetchProblem[], Record<string, unknown>[]]>([
    [
      'a removed version',
      [problem('ENOTFOUND_VERSION', 'new')],
      [
        {
          severity: 'high',
          message: expect.stringMatching(/example-pkg@1\.0\.1 is no longer served/)
        }
      ]
    ],
    [
      'a removed package',
      [problem('ENOTFOUND_PACKAGE', 'new')],
      [
        {
          severity: 'high',
          message: expect.stringMatching(/the package example-pkg is not served/)
        }
      ]
    ],
    [
      'a removed previous version',
      [problem('ENOTFOUND_VERSION', 'previous')],
      [{ severity: 'low', message: expect.stringMatching(/previous version example-pkg@1\.0\.0/) }]
    ],
    ['other problems', [problem('EREGISTRY', 'new'), problem('EINTEGRITY', 'new')], []],
    ['no problem', [], []]
  ])('%s', async (_what, problems, expected) => {
    const findings = await rule.check(makeContext({ change: makeChange({ line: 12 }), problems }))
    expect(findings).toEqual(
      expected.map((e) =>
        expect.objectContaining({
          ruleId: 'registry/version-unavailable',
          location: { lockfile: 'package-lock.json', line: 12 },
          evidence: [expect.objectContaining({ file: 'lockfile', line: 12 })],
          ...e
        })
      )
    )
  })
})
