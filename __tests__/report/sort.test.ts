import { describe, it, expect } from '@jest/globals'
import { sortFindings } from '../../src/report/sort.js'
import { makeFinding } from './report-factory.js'

describe('sortFindings', () => {
  it('orders by severity, then lockfile, line, rule id and package name', () => {
    const low = makeFinding({ severity: 'low' })
    const critical = makeFinding({ severity: 'critical' })
    const laterLockfile = makeFinding({ location: { lockfile: 'b/package-lock.json', line: 1 } })
    const line5 = makeFinding({ location: { lockfile: 'a/package-lock.json', line: 5 } })
    const line20 = makeFinding({ location: { lockfile: 'a/package-lock.json', line: 20 } })
    const ruleB = makeFinding({
      ruleId: 'z/rule',
      location: { lockfile: 'a/package-lock.json', line: 20 }
    })
    const pkgB = makeFinding({
      ruleId: 'z/rule',
      location: { lockfile: 'a/package-lock.json', line: 20 },
      package: { name: 'zzz', version: '1.0.0' }
    })
    const input = [pkgB, low, ruleB, laterLockfile, line20, critical, line5]

    expect(sortFindings(input)).toEqual([critical, line5, line20, ruleB, pkgB, laterLockfile, low])
  })

  it('returns a new array and leaves the input untouched', () => {
    const input = [makeFinding({ severity: 'info' }), makeFinding({ severity: 'critical' })]
    const copy = [...input]
    const sorted = sortFindings(input)
    expect(input).toEqual(copy)
    expect(sorted).not.toBe(input)
  })

  it('gives the same order whatever the input order (deterministic)', () => {
    const findings = ['b', 'a', 'c'].map((name) =>
      makeFinding({ package: { name, version: '1.0.0' } })
    )
    const names = (list: typeof findings) => sortFindings(list).map((f) => f.package.name)
    expect(names(findings)).toEqual(['a', 'b', 'c'])
    expect(names([...findings].reverse())).toEqual(['a', 'b', 'c'])
  })
})
