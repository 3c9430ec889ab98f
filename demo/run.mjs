// `npm run demo`: replays the postmark-mcp backdoor with no network beyond this machine.
// A local registry (Verdaccio) serves synthetic copies of postmark-mcp 1.0.15 and 1.0.16; a temp git
// repository locks 1.0.15 in its base commit and 1.0.16 in its head commit; the real CLI
// (dist/cli.js) scans the pull request between them and prints what it found.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cleanNpmEnv, publish, startLocalRegistry } from '../test/support/local-registry.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = join(root, 'demo', 'fixtures')

const registry = await startLocalRegistry()
const repo = mkdtempSync(join(tmpdir(), 'lockgate-demo-'))
let exitCode = 1
try {
  console.log(`Local registry: ${registry.url}`)
  await publish(join(fixtures, 'postmark-mcp-1.0.15'), registry.npmrc)
  await publish(join(fixtures, 'postmark-mcp-1.0.16'), registry.npmrc)
  console.log('Published replays of postmark-mcp 1.0.15 and 1.0.16.')

  const base = commitLockfile(repo, registry, '1.0.15', 'base: lock postmark-mcp 1.0.15')
  const head = commitLockfile(repo, registry, '1.0.16', 'head: bump postmark-mcp to 1.0.16')
  console.log(`Pull request: ${base.slice(0, 7)} (1.0.15) -> ${head.slice(0, 7)} (1.0.16)\n`)
  console.log(`$ lockgate scan <repo> --base ${base.slice(0, 7)} --head ${head.slice(0, 7)}\n`)

  const scan = spawnSync(
    process.execPath,
    // --osv off: the demo needs no network; the bundled feed and the diff do the work
    [join(root, 'dist', 'cli.js'), 'scan', repo, '--base', base, '--head', head, '--osv', 'off'],
    { stdio: 'inherit', env: cleanNpmEnv({ NPM_CONFIG_USERCONFIG: registry.npmrc }) }
  )
  console.log(`\nlockgate exited with ${scan.status} (1 = the gate failed).`)
  if (scan.status === 1) {
    console.log(
      'The gate caught the backdoor: the PR would fail on the postmark-mcp lockfile line.'
    )
    exitCode = 0
  } else {
    console.log('Unexpected: the gate did not fail on the backdoored version.')
  }
} finally {
  registry.stop()
  rmSync(repo, { recursive: true, force: true })
}
process.exit(exitCode)

/** Writes package.json locking one postmark-mcp version, lets npm write the lockfile, commits. */
function commitLockfile(repo, registry, version, message) {
  if (version === '1.0.15') {
    git(repo, ['init', '-q', '-b', 'main'])
    writeFileSync(join(repo, '.npmrc'), `registry=${registry.url}\n`)
  }
  const manifest = {
    name: 'demo-app',
    version: '1.0.0',
    private: true,
    dependencies: { 'postmark-mcp': version }
  }
  writeFileSync(join(repo, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  execFileSync(
    'npm',
    ['install', '--package-lock-only', '--ignore-scripts', '--userconfig', registry.npmrc],
    {
      cwd: repo,
      env: cleanNpmEnv(),
      stdio: 'ignore'
    }
  )
  git(repo, ['add', '-A'])
  git(repo, [
    '-c',
    'user.name=demo',
    '-c',
    'user.email=demo@localhost',
    'commit',
    '-q',
    '-m',
    message
  ])
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

function git(cwd, args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8' })
}
