import { describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { readFileSync } from 'node:fs'
import { isCalendarDate, keyPath, loadConfig, parseConfigFile } from '../src/config-file.js'
import { GateError } from '../src/errors.js'
import { RULES } from '../src/rules/index.js'

const FILE = '.github/lockgate.yml'

const FULL_FILE = `# yaml-language-server: $schema=../lockgate.schema.json
fail-on: medium
warn-only: true
min-release-age: 3 days
min-release-age-exclude: ['@acme/*']
allowed-registries:
  - https://npm.acme.test/
ioc-feeds: [feeds/acme.json]
osv: offline
osv-db: osv/npm.zip
lockfiles: [apps/*/package-lock.json]
rules:
  content/new-endpoint:
    severity: low
  metadata/typosquat:
    enabled: false
  content/minified-blob-added:
    options: { minBytes: 4096 }
allow:
  - package: left-pad
    versions: ^1.3.0
    rules: [content/new-endpoint]
    reason: telemetry endpoint reviewed by security (SEC-12)
    expires: 2099-01-31
  - package: '@acme/*'
    reason: our own packages
deny:
  - package: event-stream
    versions: '>=3.3.6 <4'
    reason: flatmap-stream backdoor
  - publisher: mallory
    reason: account we do not trust
`

/** The message thrown for a file text, or a failure when it parses. */
function errorFor(text: string): GateError {
  try {
    parseConfigFile(text, FILE)
  } catch (error) {
    if (error instanceof GateError) return error
    throw error
  }
  throw new Error('the file was accepted')
}

describe('parseConfigFile', () => {
  it('reads every key', () => {
    const file = parseConfigFile(FULL_FILE, FILE)
    expect(file.path).toBe(FILE)
    expect(file.settings).toEqual({
      failOn: 'medium',
      warnOnly: true,
      minReleaseAge: '3 days',
      minReleaseAgeExclude: ['@acme/*'],
      allowedRegistries: ['https://npm.acme.test/'],
      iocFeeds: ['feeds/acme.json'],
      osv: 'offline',
      osvDb: 'osv/npm.zip',
      lockfiles: ['apps/*/package-lock.json']
    })
    expect(file.policy.rules).toEqual({
      'content/new-endpoint': { severity: 'low' },
      'metadata/typosquat': { enabled: false },
      'content/minified-blob-added': { options: { minBytes: 4096 } }
    })
    expect(file.policy.allow).toEqual([
      {
        package: 'left-pad',
        versions: '^1.3.0',
        rules: ['content/new-endpoint'],
        reason: 'telemetry endpoint reviewed by security (SEC-12)',
        expires: '2099-01-31',
        line: 20
      },
      { package: '@acme/*', versions: '*', reason: 'our own packages', line: 25 }
    ])
    expect(file.policy.deny).toEqual([
      {
        package: 'event-stream',
        versions: '>=3.3.6 <4',
        reason: 'flatmap-stream backdoor',
        line: 28
      },
      { publisher: 'mallory', reason: 'account we do not trust', line: 31 }
    ])
  })

  it('accepts an empty file and a file of comments', () => {
    expect(parseConfigFile('', FILE).policy).toEqual({ rules: {}, allow: [], deny: [] })
    expect(parseConfigFile('# nothing yet\n', FILE).settings).toEqual({})
  })

  it.each([
    ['an unknown key', 'fail-on: high\nfail_on: low\n', 2, 'fail_on is not a known key'],
    [
      'an unknown key in an entry',
      'allow:\n  - package: a\n    reason: r\n    until: 2099-01-01\n',
      4,
      'allow[0].until is not a known key (known: package, versions, rules, reason, expires)'
    ],
    [
      'a bad severity',
      'rules:\n  content/new-endpoint:\n    severity: severe\n',
      3,
      'rules["content/new-endpoint"].severity is "severe", not one of: critical, high, medium, low, info'
    ],
    ['a bad fail-on', '\nfail-on: sometimes\n', 2, 'fail-on is "sometimes", not one of'],
    [
      'a missing reason',
      'allow:\n  - package: a\n    reason: ok\n  - package: b\n    versions: 1.0.0\n',
      4,
      'allow[1].reason is required'
    ],
    [
      'an empty reason',
      'allow:\n  - package: a\n    reason: ""\n',
      3,
      'allow[0].reason must not be empty'
    ],
    [
      'a bad range',
      'deny:\n  - package: a\n    versions: ">=1 <<2"\n    reason: r\n',
      3,
      'deny[0].versions ">=1 <<2" is not a semver range'
    ],
    [
      'a bad date format',
      'allow:\n  - package: a\n    reason: r\n    expires: 31/01/2099\n',
      4,
      'allow[0].expires must be a date written YYYY-MM-DD'
    ],
    [
      'a date that is no day',
      'allow:\n  - package: a\n    reason: r\n    expires: 2099-02-30\n',
      4,
      'allow[0].expires "2099-02-30" is not a calendar date'
    ],
    [
      'an unknown rule id',
      'rules:\n  content/new-endpoint: {}\n  content/no-such-rule:\n    enabled: false\n',
      3,
      'rules["content/no-such-rule"]: unknown rule id "content/no-such-rule"'
    ],
    [
      'an unknown rule id in an allow entry',
      'allow:\n  - package: a\n    reason: r\n    rules:\n      - ioc/nope\n',
      5,
      'allow[0].rules[0]: unknown rule id "ioc/nope"'
    ],
    ['a wrong type', 'warn-only: yes please\n', 1, 'warn-only must be true or false'],
    ['a list where a map goes', '- a\n- b\n', 1, 'the file must be a mapping'],
    ['a bad duration', 'min-release-age: 3\n', 1, 'min-release-age "3" is not a duration'],
    [
      'a deny entry without package or publisher',
      'deny:\n  - versions: "1"\n    reason: r\n',
      2,
      'deny[0] needs a package or a publisher'
    ],
    [
      'a deny entry with both',
      'deny:\n  - package: a\n    publisher: b\n    reason: r\n',
      2,
      'deny[0] has both a package and a publisher'
    ],
    [
      'a try to disable the deny rule',
      'rules:\n  policy/denied:\n    enabled: false\n',
      2,
      'deny entries always fail'
    ],
    [
      'a YAML syntax error',
      'allow:\n  - package: a\n   reason: r\n',
      3,
      'YAML: Sequence item without - indicator'
    ],
    ['a duplicate key', 'osv: off\nosv: online\n', 2, 'YAML:']
  ])('rejects %s, naming the key and the line', (_name, text, line, message) => {
    const error = errorFor(text)
    expect(error.code).toBe('ECONFIG')
    expect(error.file).toBe(FILE)
    expect(error.line).toBe(line)
    expect(error.message).toContain(`${FILE}:${line}: `)
    expect(error.message).toContain(message)
  })

  it('refuses alias bombs', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`
      )
    const error = errorFor(levels.join('\n') + '\n')
    expect(error.message).toMatch(/^\.github\/lockgate\.yml:1: YAML: .*alias/i)
  })

  it('lists every problem, in line order', () => {
    const error = errorFor('allow:\n  - package: a\n  - reason: r\nosv: sometimes\n')
    expect(error.message.split('\n')).toEqual([
      `${FILE}:2: allow[0].reason is required`,
      `${FILE}:3: allow[1].package is required`,
      `${FILE}:4: osv is "sometimes", not one of: online, offline, off`
    ])
    expect(error.line).toBe(2)
  })
})

describe('loadConfig', () => {
  async function workspaceWith(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'lockgate-config-'))
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true })
      await writeFile(join(dir, path), text)
    }
    return dir
  }

  it('uses the defaults when the default file does not exist', async () => {
    const workspace = await workspaceWith({})
    const config = await loadConfig({ workspace })
    expect(config).toMatchObject({ failOn: 'high', warnOnly: false, minReleaseAgeMs: 0 })
    expect(config.policy).toEqual({ file: FILE, rules: {}, allow: [], deny: [] })
  })

  it('fails when a file named explicitly does not exist', async () => {
    const workspace = await workspaceWith({})
    await expect(loadConfig({ workspace, config: 'lockgate.yml' })).rejects.toThrow(
      'cannot read the configuration file lockgate.yml: no such file'
    )
  })

  it('reads the default file, or the one named, relative to the workspace', async () => {
    const workspace = await workspaceWith({
      [FILE]: 'fail-on: critical\n',
      'config/gate.yml': 'fail-on: low\nallow:\n  - package: a\n    reason: r\n'
    })
    expect((await loadConfig({ workspace })).failOn).toBe('critical')
    const named = await loadConfig({ workspace, config: 'config/gate.yml' })
    expect(named.failOn).toBe('low')
    expect(named.policy.file).toBe('config/gate.yml')
    expect(named.policy.allow).toEqual([{ package: 'a', versions: '*', reason: 'r', line: 3 }])
  })

  it('lets every given input override the file, and keeps the file for the rest', async () => {
    const workspace = await workspaceWith({ [FILE]: FULL_FILE })
    const fromFile = await loadConfig({ workspace })
    expect(fromFile).toMatchObject({
      failOn: 'medium',
      warnOnly: true,
      minReleaseAgeMs: 3 * 86_400_000,
      minReleaseAgeExclude: ['@acme/*'],
      allowedRegistries: ['https://npm.acme.test/'],
      iocFeeds: ['feeds/acme.json'],
      osv: 'offline',
      osvDb: join(workspace, 'osv', 'npm.zip'),
      lockfileGlobs: ['apps/*/package-lock.json']
    })
    const overridden = await loadConfig({
      workspace,
      failOn: 'critical',
      warnOnly: 'false',
      minReleaseAge: '0',
      minReleaseAgeExclude: 'x-*',
      allowedRegistries: 'https://other.test/',
      iocFeeds: 'one.json, two.json',
      osv: 'off',
      lockfiles: 'package-lock.json'
    })
    expect(overridden).toMatchObject({
      failOn: 'critical',
      warnOnly: false,
      minReleaseAgeMs: 0,
      minReleaseAgeExclude: ['x-*'],
      allowedRegistries: ['https://other.test/'],
      iocFeeds: ['one.json', 'two.json'],
      osv: 'off',
      lockfileGlobs: ['package-lock.json']
    })
    // the policy itself has no input: it always comes from the file
    expect(overridden.policy.deny).toHaveLength(2)
  })

  it('treats an osv-db input alone as offline, whatever the file says', async () => {
    const workspace = await workspaceWith({ [FILE]: 'osv: off\n' })
    expect(await loadConfig({ workspace, osvDb: 'snap.zip' })).toMatchObject({ osv: 'offline' })
  })

  it('rejects a warn-only input that is not a boolean', async () => {
    const workspace = await workspaceWith({})
    await expect(loadConfig({ workspace, warnOnly: 'maybe' })).rejects.toThrow(
      'warn-only "maybe" is not one of: true, false'
    )
  })
})

describe('the JSON schema', () => {
  const schema = JSON.parse(readFileSync('lockgate.schema.json', 'utf8'))

  it('describes every key, for editors', () => {
    for (const [key, property] of Object.entries(schema.properties)) {
      expect([key, (property as { description?: string }).description?.length]).toEqual([
        key,
        expect.any(Number)
      ])
    }
    for (const definition of Object.values(schema.$defs) as { properties: object }[]) {
      for (const property of Object.values(definition.properties)) {
        expect(property.description.length).toBeGreaterThan(10)
      }
    }
  })

  it('accepts the README example', () => {
    const readme = readFileSync('README.md', 'utf8')
    const start = readme.indexOf('# yaml-language-server: $schema=')
    const example = readme.slice(start, readme.indexOf('```', start))
    expect(start).toBeGreaterThan(0)
    expect(() => parseConfigFile(example, FILE)).not.toThrow()
    expect(parse(example).allow.length).toBeGreaterThan(0)
  })

  it('knows every rule id the README example could use', () => {
    const ids = RULES.map((rule) => rule.meta.id)
    expect(ids).toContain('policy/denied')
    expect(ids).toContain('policy/allow-expired')
  })
})

describe('helpers', () => {
  it('prints key paths the way the file reads', () => {
    expect(keyPath(['allow', 1, 'reason'])).toBe('allow[1].reason')
    expect(keyPath(['rules', 'content/x', 'severity'])).toBe('rules["content/x"].severity')
    expect(keyPath(['fail-on'])).toBe('fail-on')
  })

  it('tells calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true)
    expect(isCalendarDate('2023-02-29')).toBe(false)
    expect(isCalendarDate('2023-13-01')).toBe(false)
  })
})
