// pnpm and yarn key entries by name and version, so a bump changes the entry's key: the diff
// must still pair the new version with the one it replaced (a `changed` with `previous`), so the
// rules compare new code with old instead of reading the whole package as new.
import { describe, expect, it } from '@jest/globals'
import { diffLockfiles } from '../../src/diff/diff-lockfiles.js'
import { parseLockfile } from '../../src/lockfile/index.js'

const I = (c: string) => `sha512-${c.repeat(86)}==`

function pnpm(entries: [string, string][]): string {
  const lines = ["lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    dependencies:']
  // a second version of a name is installed under an alias, as pnpm writes it
  entries.forEach(([name, version], i) => {
    const alias = entries.findIndex(([other]) => other === name) === i ? name : `${name}-v${i}`
    const spec = alias === name ? version : `npm:${name}@${version}`
    const locked = alias === name ? version : `${name}@${version}`
    lines.push(`      ${alias}:`, `        specifier: ${spec}`, `        version: ${locked}`)
  })
  lines.push('', 'packages:', '')
  entries.forEach(([name, version], i) => {
    lines.push(`  ${name}@${version}:`, `    resolution: {integrity: ${I('ABCDEFGH'[i])}}`, '')
  })
  lines.push('snapshots:', '')
  for (const [name, version] of entries) lines.push(`  ${name}@${version}: {}`, '')
  return lines.join('\n')
}

function yarn(entries: [string, string, string][]): string {
  const lines = ['# yarn lockfile v1', '', '']
  entries.forEach(([name, range, version], i) => {
    lines.push(
      `${name}@${range}:`,
      `  version "${version}"`,
      `  resolved "https://npm.example.test/${name}/-/${name}-${version}.tgz"`,
      `  integrity ${I('ABCDEFGH'[i])}`,
      ''
    )
  })
  return lines.join('\n')
}

describe('diffLockfiles on lockfiles keyed by version', () => {
  it('pairs a pnpm bump with the version it replaced', () => {
    const base = parseLockfile(
      'pnpm-lock.yaml',
      pnpm([
        ['a', '1.0.0'],
        ['b', '2.0.0']
      ])
    )
    const head = parseLockfile(
      'pnpm-lock.yaml',
      pnpm([
        ['a', '1.0.1'],
        ['b', '2.0.0']
      ])
    )
    expect(diffLockfiles(base, head)).toEqual([
      expect.objectContaining({
        kind: 'changed',
        name: 'a',
        version: '1.0.1',
        previous: expect.objectContaining({ version: '1.0.0' })
      })
    ])
  })

  it('pairs a yarn bump whose descriptor changed with the version it replaced', () => {
    const base = parseLockfile('yarn.lock', yarn([['a', '1.0.0', '1.0.0']]))
    const head = parseLockfile('yarn.lock', yarn([['a', '1.0.1', '1.0.1']]))
    expect(diffLockfiles(base, head)).toEqual([
      expect.objectContaining({
        kind: 'changed',
        previous: expect.objectContaining({ version: '1.0.0' })
      })
    ])
  })

  it('pairs each new version with the highest replaced version below it', () => {
    const base = parseLockfile(
      'pnpm-lock.yaml',
      pnpm([
        ['a', '1.0.0'],
        ['a', '2.0.0']
      ])
    )
    const head = parseLockfile(
      'pnpm-lock.yaml',
      pnpm([
        ['a', '1.0.5'],
        ['a', '2.0.5']
      ])
    )
    const previous = diffLockfiles(base, head).map((c) => [c.version, c.previous?.version])
    expect(previous).toEqual([
      ['1.0.5', '1.0.0'],
      ['2.0.5', '2.0.0']
    ])
  })

  it('keeps a new version next to a kept one as added', () => {
    const base = parseLockfile('pnpm-lock.yaml', pnpm([['a', '1.0.0']]))
    const head = parseLockfile(
      'pnpm-lock.yaml',
      pnpm([
        ['a', '1.0.0'],
        ['a', '2.0.0']
      ])
    )
    expect(diffLockfiles(base, head)).toEqual([
      expect.objectContaining({ kind: 'added', version: '2.0.0' })
    ])
  })

  it('does not pair by name in npm lockfiles, whose keys are install paths', () => {
    const lock = (version: string, path: string) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: { '': { name: 'x' }, [path]: { version, integrity: I('A') } }
      })
    const base = parseLockfile('package-lock.json', lock('1.0.0', 'node_modules/a'))
    const head = parseLockfile('package-lock.json', lock('2.0.0', 'node_modules/b/node_modules/a'))
    expect(diffLockfiles(base, head)).toEqual([expect.objectContaining({ kind: 'added' })])
  })
})
