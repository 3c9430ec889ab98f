// `lockfile/integrity-changed` across lockfile formats, from real lockfile text: the same name
// and version with another integrity is reported on the head entry's line in every format that
// carries an npm integrity, and a yarn classic -> berry migration (berry has no npm integrity,
// its `checksum` hashes yarn's own archive) is not mistaken for tampering.
import { describe, expect, it } from '@jest/globals'
import { diffLockfiles } from '../../../src/diff/diff-lockfiles.js'
import { parseLockfile } from '../../../src/lockfile/index.js'
import { rule } from '../../../src/rules/lockfile/integrity-changed.js'
import type { PackageChange } from '../../../src/types.js'
import { makeContext } from '../../helpers/factories.js'
import { readFixture } from '../../lockfile/fixture.js'

async function findingsFor(changes: PackageChange[]) {
  const all = await Promise.all(changes.map((change) => rule.check(makeContext({ change }))))
  return all.flat()
}

/** Swaps the first integrity of `name@version`'s entry (found from its key line) for another. */
function swapIntegrity(text: string, keyLine: number): string {
  const lines = text.split('\n')
  for (let i = keyLine; i < lines.length; i++) {
    const at = lines[i].indexOf('sha512-')
    if (at >= 0) {
      lines[i] = `${lines[i].slice(0, at)}sha512-${'E'.repeat(86)}==${lines[i].slice(at + 7 + 88)}`
      return lines.join('\n')
    }
  }
  throw new Error('no integrity after the key')
}

function lineStarting(text: string, prefix: string): number {
  return text.split('\n').findIndex((line) => line.trimStart().startsWith(prefix)) + 1
}

describe('lockfile/integrity-changed on every format that carries an npm integrity', () => {
  it.each([
    ['package-lock.json', 'real-small.v3.json', '"node_modules/ms"'],
    ['pnpm-lock.yaml', 'pnpm/v9.pnpm10.yaml', 'ms@2.1.3:'],
    ['yarn.lock', 'yarn/real/classic-1.22.22.yarn.lock', 'ms@2.1.3']
  ])('%s (%s): a swapped integrity for the same version', async (path, fixture, key) => {
    const base = readFixture(fixture)
    const line = lineStarting(base, key)
    expect(line).toBeGreaterThan(0)
    const head = swapIntegrity(base, line)
    const changes = diffLockfiles(parseLockfile(path, base), parseLockfile(path, head))
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'changed', name: 'ms', version: '2.1.3', line })
    ])
    const findings = await findingsFor(changes)
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'lockfile/integrity-changed',
        location: { lockfile: path, line },
        message: expect.stringMatching(/integrity changed from sha512-\S+ to sha512-EEEE/)
      })
    ])
  })

  it('the unchanged lockfile of every format yields no change at all', () => {
    for (const [path, fixture] of [
      ['package-lock.json', 'real-small.v3.json'],
      ['pnpm-lock.yaml', 'pnpm/v9.pnpm10.yaml'],
      ['yarn.lock', 'yarn/real/classic-1.22.22.yarn.lock'],
      ['yarn.lock', 'yarn/real/berry-4.18.1.yarn.lock']
    ]) {
      const text = readFixture(fixture)
      expect(diffLockfiles(parseLockfile(path, text), parseLockfile(path, text))).toEqual([])
    }
  })

  it('a yarn classic -> berry migration of the same project is not tampering', async () => {
    const classic = parseLockfile('yarn.lock', readFixture('yarn/real/classic-1.22.22.yarn.lock'))
    const berry = parseLockfile('yarn.lock', readFixture('yarn/real/berry-4.18.1.yarn.lock'))
    expect(berry.packages.every((entry) => entry.integrity === undefined)).toBe(true)
    const changes = diffLockfiles(classic, berry)
    expect(await findingsFor(changes)).toEqual([])
  })
})
