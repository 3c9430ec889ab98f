// A generated lockfile the size of a large real one (~750 KB, ~2,500 entries, nested copies and
// scoped names): parsing must stay linear and every line must still be exact.
import { describe, expect, it } from '@jest/globals'
import { parseLockfile } from '../../src/lockfile/index.js'

const ENTRIES = 2500

function largeLockfile(): string {
  const packages: Record<string, unknown> = { '': { name: 'big', version: '1.0.0' } }
  for (let i = 0; i < ENTRIES; i++) {
    const name = i % 5 === 0 ? `@scope-${i % 7}/pkg-${i}` : `pkg-${i}`
    const path =
      i % 3 === 0 ? `node_modules/parent-${i}/node_modules/${name}` : `node_modules/${name}`
    packages[path] = {
      version: `1.${i % 10}.${i}`,
      integrity: `sha512-${'A'.repeat(86)}${String(i).padStart(2, '0')}`,
      license: 'MIT',
      dependencies: { 'dep-a': '^1.0.0', 'dep-b': '^2.0.0' },
      engines: { node: '>=18' },
      funding: { type: 'github', url: 'https://example.test/sponsors/someone' }
    }
  }
  return `${JSON.stringify({ name: 'big', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`
}

describe('parseLockfile on a large lockfile', () => {
  it('reads every entry on the line of its key', () => {
    const text = largeLockfile()
    expect(text.length).toBeGreaterThan(700_000)
    const parsed = parseLockfile('package-lock.json', text)
    expect(parsed.packages).toHaveLength(ENTRIES)
    const lines = text.split('\n')
    for (const locked of parsed.packages) {
      expect(lines[locked.line - 1]).toBe(`    ${JSON.stringify(locked.path)}: {`)
    }
    expect(parsed.packages[0]).toMatchObject({ name: '@scope-0/pkg-0', line: 11 })
  })
})
