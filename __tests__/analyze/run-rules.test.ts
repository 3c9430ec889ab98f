import { describe, expect, it } from '@jest/globals'
import { runRules } from '../../src/analyze/run-rules.js'
import { makeFinding } from '../../src/rules/finding.js'
import type { Rule } from '../../src/rules/types.js'
import { EMPTY_IOCS, makeChange } from '../helpers/factories.js'

const meta = (id: string) => ({
  id,
  title: id,
  description: id,
  defaultSeverity: 'high' as const,
  version: 1
})

const alwaysFinds: Rule = {
  meta: meta('test/always'),
  check: (ctx) => [makeFinding(ctx, meta('test/always'), `seen ${ctx.change.name}`)]
}
const throws: Rule = {
  meta: meta('test/throws'),
  check: () => {
    throw new Error('boom')
  }
}
const asyncOptions: Rule = {
  meta: meta('test/options'),
  check: async (ctx) =>
    ctx.options.enabled ? [makeFinding(ctx, meta('test/options'), 'with options')] : []
}

describe('runRules', () => {
  const packages = [
    { change: makeChange({ name: 'a', line: 4 }), problems: [] },
    { change: makeChange({ name: 'b', line: 9 }), problems: [] }
  ]

  it('runs every rule on every package, isolating a rule that throws', async () => {
    const result = await runRules({
      rules: [alwaysFinds, throws, asyncOptions],
      packages,
      iocs: EMPTY_IOCS,
      now: new Date(),
      optionsFor: (id) => (id === 'test/options' ? { enabled: true } : {})
    })
    expect(result.findings.map((f) => `${f.ruleId}:${f.package.name}:${f.location.line}`)).toEqual([
      'test/always:a:4',
      'test/options:a:4',
      'test/always:b:9',
      'test/options:b:9'
    ])
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'ERULE',
        ruleId: 'test/throws',
        package: 'a@1.0.1',
        line: 4
      }),
      expect.objectContaining({ code: 'ERULE', ruleId: 'test/throws', package: 'b@1.0.1', line: 9 })
    ])
    expect(result.errors[0].message).toContain('boom')
  })
})
