// "An integrity that differs from what the registry serves" needs no rule of its own: every
// parser hands the lockfile's integrity to the registry client, pacote refuses other bytes with
// EINTEGRITY, and `registry/integrity-mismatch` reports it on the entry's line. This table proves
// that path for every format that carries an npm integrity, end to end from the lockfile text,
// and that yarn berry's `checksum` (not an npm integrity) is never compared with one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { allAsAdded } from '../../../src/diff/diff-lockfiles.js'
import { parseLockfile } from '../../../src/lockfile/index.js'
import { fetchChanges } from '../../../src/registry/fetch-packages.js'
import { rule } from '../../../src/rules/registry/integrity-mismatch.js'
import { EMPTY_IOCS } from '../../helpers/factories.js'
import { startFakeRegistry, type FakeRegistry } from '../../helpers/fake-registry.js'

const NAME = 'pinned-pkg'
const VERSION = '1.0.0'

let registry: FakeRegistry
let cacheDir: string
let served: string
let other: string

beforeAll(async () => {
  registry = await startFakeRegistry([
    { name: NAME, versions: [{ version: VERSION, files: { 'index.js': 'module.exports = 1\n' } }] },
    { name: 'other-pkg', versions: [{ version: VERSION, files: { 'index.js': 'evil()\n' } }] }
  ])
  cacheDir = mkdtempSync(join(tmpdir(), 'lockgate-integrity-'))
  served = registry.integrityOf(NAME, VERSION)
  other = registry.integrityOf('other-pkg', VERSION)
})

afterAll(async () => {
  await registry.close()
  rmSync(cacheDir, { recursive: true, force: true })
})

const tarball = () => `${registry.url}${NAME}/-/${NAME}-${VERSION}.tgz`

/** [lockfile path, text pinning NAME@VERSION with `integrity`, the entry's key line] */
type Case = [string, (integrity: string) => string, number]

const npmLock = (integrity: string) =>
  JSON.stringify(
    {
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: { [NAME]: VERSION } },
        [`node_modules/${NAME}`]: { version: VERSION, resolved: tarball(), integrity }
      }
    },
    null,
    2
  )

const CASES: Case[] = [
  ['package-lock.json', npmLock, 11],
  ['npm-shrinkwrap.json', npmLock, 11],
  [
    'pnpm-lock.yaml',
    (integrity) =>
      [
        "lockfileVersion: '9.0'",
        '',
        'importers:',
        '',
        '  .:',
        '    dependencies:',
        `      ${NAME}:`,
        `        specifier: ${VERSION}`,
        `        version: ${VERSION}`,
        '',
        'packages:',
        '',
        `  ${NAME}@${VERSION}:`,
        `    resolution: {integrity: ${integrity}}`,
        '',
        'snapshots:',
        '',
        `  ${NAME}@${VERSION}: {}`,
        ''
      ].join('\n'),
    13
  ],
  [
    'yarn.lock',
    (integrity) =>
      [
        '# yarn lockfile v1',
        '',
        '',
        `${NAME}@${VERSION}:`,
        `  version "${VERSION}"`,
        `  resolved "${tarball()}"`,
        `  integrity ${integrity}`,
        ''
      ].join('\n'),
    4
  ],
  [
    'bun.lock',
    (integrity) =>
      [
        '{',
        '  "lockfileVersion": 1,',
        '  "workspaces": {',
        '    "": {',
        '      "name": "app",',
        `      "dependencies": { "${NAME}": "${VERSION}" },`,
        '    },',
        '  },',
        '  "packages": {',
        `    "${NAME}": ["${NAME}@${VERSION}", "", {}, "${integrity}"],`,
        '  }',
        '}',
        ''
      ].join('\n'),
    10
  ]
]

async function findingsFor(path: string, text: string) {
  const parsed = parseLockfile(path, text)
  const changes = allAsAdded(parsed)
  const fetched = await fetchChanges(changes, {
    npmOptionsFor: () => ({ registry: registry.url }),
    cacheDir,
    retry: { retries: 0, factor: 1, minTimeout: 5, maxTimeout: 10 }
  })
  const findings = await Promise.all(
    fetched.map((evidence) =>
      rule.check({ ...evidence, iocs: EMPTY_IOCS, options: {}, now: new Date() })
    )
  )
  return { parsed, findings: findings.flat() }
}

describe('an integrity the registry does not serve, for every format that carries one', () => {
  it.each(CASES)(
    '%s: reported as registry/integrity-mismatch on the entry line',
    async (path, text, line) => {
      const { parsed, findings } = await findingsFor(path, text(other))
      expect(parsed.packages).toEqual([
        expect.objectContaining({ name: NAME, integrity: other, line })
      ])
      expect(findings).toEqual([
        expect.objectContaining({
          ruleId: 'registry/integrity-mismatch',
          severity: 'critical',
          location: { lockfile: path, line }
        })
      ])
    }
  )

  it.each(CASES)('%s: the integrity the registry serves passes', async (path, text) => {
    const { findings } = await findingsFor(path, text(served))
    expect(findings).toEqual([])
  })

  it('yarn berry: a `checksum` is not an npm integrity and is never compared with one', async () => {
    const text = [
      '__metadata:',
      '  version: 8',
      '  cacheKey: 10c0',
      '',
      `"${NAME}@npm:${VERSION}":`,
      `  version: ${VERSION}`,
      `  resolution: "${NAME}@npm:${VERSION}"`,
      `  checksum: 10c0/${'f'.repeat(128)}`,
      '  languageName: node',
      '  linkType: hard',
      ''
    ].join('\n')
    const { parsed, findings } = await findingsFor('yarn.lock', text)
    expect(parsed.packages).toEqual([expect.objectContaining({ name: NAME, line: 5 })])
    expect(parsed.packages[0].integrity).toBeUndefined()
    expect(findings).toEqual([])
  })
})
