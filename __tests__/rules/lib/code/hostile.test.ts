// Attacker-controlled input must cost bounded time and memory and never crash the scan. No
// wall-clock assertions: the per-test timeout is the guard.
import { describe, expect, it } from '@jest/globals'
import { factsOfSource } from './helpers.js'

const TIMEOUT = 20_000
const MiB = 1024 * 1024

describe('factsOf on hostile input', () => {
  it.each([
    ['100k nested parentheses', '('.repeat(100_000) + '1' + ')'.repeat(100_000)],
    ['100k nested arrays', `x = ${'['.repeat(100_000)}'deep'${']'.repeat(100_000)}`],
    ['100k nested functions', 'function f(){'.repeat(100_000) + '}'.repeat(100_000)],
    ['a 200k-term concatenation', `const s = ${Array(200_000).fill("'ab'").join(' + ')}`],
    ['a 100k-segment member chain', `a${'.b'.repeat(100_000)} = 1`],
    ['a 3 MB single line string', `var s = "${'A'.repeat(3 * MiB)}"`],
    ['a 3 MB line of stray quotes', `x = ${'"\\"\''.repeat(MiB)}`],
    ['a 1.5 MB line of unterminated templates', 'f(`'.repeat(500_000)],
    ['a 1.5 MB base64-looking literal', `var b = '${'QUFB'.repeat(400_000)}'`],
    ['many escapes', `var e = '${'\\x41'.repeat(400_000)}'`]
  ])(
    'survives %s',
    (_label, source) => {
      const facts = factsOfSource(source)
      expect(facts.strings.length).toBeLessThanOrEqual(20_000)
      expect(facts.calls.length).toBeLessThanOrEqual(20_000)
      expect(facts.identifiers.length).toBeLessThanOrEqual(5_000)
      for (const fact of facts.strings) expect(fact.value.length).toBeLessThanOrEqual(64 * 1024)
    },
    TIMEOUT
  )

  it(
    'still sees what follows a too-deep expression, lexically',
    () => {
      const source = `${'('.repeat(100_000)}1${')'.repeat(100_000)}\nrequire('child_process')`
      const facts = factsOfSource(source)
      expect(facts.parsed).toBe(false)
      expect(facts.imports).toEqual([{ specifier: 'child_process', line: 2 }])
    },
    TIMEOUT
  )

  it(
    'caps the facts of a file with a million literals',
    () => {
      const facts = factsOfSource(`x = [${Array(300_000).fill("'s'").join(',')}]`)
      expect(facts.strings).toHaveLength(20_000)
    },
    TIMEOUT
  )
})
