import { describe, expect, it } from '@jest/globals'
import type { Signal } from '../../../../src/rules/lib/correlation/collect.js'
import {
  COMBINATIONS,
  matchCombinations,
  type Combination
} from '../../../../src/rules/lib/correlation/combinations.js'
import type { SignalKind } from '../../../../src/rules/lib/correlation/signals.js'

function signal(kind: SignalKind, scope: string, line: number): Signal {
  return { kind, scope, line, detail: kind, evidence: { file: scope, line } }
}

const NEAR_ROW: Combination = {
  id: 'test-near',
  title: 'test',
  scope: 'file',
  requires: [{ kinds: ['dynamic-code'] }, { kinds: ['decode'], near: 2 }],
  severity: 'critical',
  withoutBaseline: 'high'
}

describe('matchCombinations', () => {
  it('has readable, unique rows that each need at least two signals', () => {
    const ids = COMBINATIONS.map((row) => row.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const row of COMBINATIONS) expect(row.requires.length).toBeGreaterThanOrEqual(2)
  })

  it('never fires on one signal of each kind alone', () => {
    const kinds = new Set(COMBINATIONS.flatMap((row) => row.requires.flatMap((g) => g.kinds)))
    for (const kind of kinds) expect(matchCombinations([signal(kind, 'a.js', 1)])).toEqual([])
  })

  it('matches a same-file row per file, and a package row across files', () => {
    const signals = [
      signal('credential-read', 'a.js', 1),
      signal('network-sink', 'a.js', 9),
      signal('exfil-host', 'b.js', 3)
    ]
    const ids = matchCombinations(signals).map(
      (match) => `${match.combination.id}@${match.file ?? '*'}`
    )
    expect(ids).toEqual(['credentials-to-network@a.js', 'credentials-to-collector@*'])
  })

  it('does not match a same-file row across files', () => {
    const signals = [signal('credential-read', 'a.js', 1), signal('network-sink', 'b.js', 1)]
    expect(matchCombinations(signals)).toEqual([])
  })

  it.each([
    [3, 1, true],
    [3, 5, true],
    [3, 6, false],
    [10, 1, false]
  ])('near: dynamic code at %i, decode at %i -> %s', (evalLine, decodeLine, expected) => {
    const signals = [signal('dynamic-code', 'a.js', evalLine), signal('decode', 'a.js', decodeLine)]
    expect(matchCombinations(signals, [NEAR_ROW]).length > 0).toBe(expected)
  })

  it('on a dense line (a bundle), needs the decode to be the dynamic-code argument', () => {
    const dense = (kind: SignalKind, line: number, link?: string): Signal => ({
      ...signal(kind, 'bundle.js', line),
      dense: true,
      ...(link !== undefined ? { link } : {})
    })
    const unrelated = [dense('dynamic-code', 49, 'return this'), dense('decode', 49)]
    expect(matchCombinations(unrelated, [NEAR_ROW])).toEqual([])
    const otherValue = [dense('dynamic-code', 49, 'return this'), dense('decode', 49, 'alert(1)')]
    expect(matchCombinations(otherValue, [NEAR_ROW])).toEqual([])
    const otherLine = [dense('dynamic-code', 49, 'alert(1)'), dense('decode', 48, 'alert(1)')]
    expect(matchCombinations(otherLine, [NEAR_ROW])).toEqual([])
    const linked = [dense('dynamic-code', 49, 'alert(1)'), dense('decode', 49, 'alert(1)')]
    expect(matchCombinations(linked, [NEAR_ROW])).toHaveLength(1)
  })

  it('does not let a dense signal pair with a nearby ordinary one by line distance', () => {
    const signals = [
      signal('dynamic-code', 'a.js', 3),
      { ...signal('decode', 'a.js', 2), dense: true }
    ]
    expect(matchCombinations(signals, [NEAR_ROW])).toEqual([])
  })
})
