// Generates the real yarn.lock fixtures in __tests__/fixtures/lockfiles/yarn/real/: the same small
// project locked by yarn classic and by several yarn berry releases, each installed from the
// configured npm registry into a temporary folder. The tests never run this script; they read the
// files it wrote. Run it again with `node scripts/lockfile-fixtures/yarn.mjs` to refresh them.
//
// Nothing is hard-coded about the registry: it is read from `npm config get registry`. Yarn
// classic writes that registry's host into every `resolved` URL; the fixtures must not carry a
// real host name, so that prefix is rewritten to PLACEHOLDER_REGISTRY (the `#sha1` fragment and
// the integrity are left untouched, so they still match what the registry serves).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const OUT = fileURLToPath(new URL('../../__tests__/fixtures/lockfiles/yarn/real/', import.meta.url))
const PLACEHOLDER_REGISTRY = 'https://registry.example.test/'

const CLASSIC = {
  label: 'classic-1.22.22',
  tool: 'yarn1',
  spec: 'yarn@1.22.22',
  bin: 'bin/yarn.js'
}
// One berry release per lockfile version it writes (measured with this script):
//   3.1.1 -> 5, 3.2.4 -> 6 (3.8.7 writes the same), 4.0.0 -> 8 (4.9.0 too), 4.14.0 -> 9,
//   4.18.1 -> 10.
// Not generated: yarn 2.4.2 (lockfile 4) throws on an old invalid version in express's packument
// ("Invalid Version: 1.0.0beta") and yarn 3.0.2 fails on Node 20 ("Premature close"); the
// version 4 fixture is hand-made.
const BERRY = ['3.1.1', '3.2.4', '4.0.0', '4.14.0', '4.18.1'].map((version) => ({
  label: `berry-${version}`,
  tool: `berry${version.replaceAll('.', '')}`,
  spec: `@yarnpkg/cli-dist@${version}`,
  bin: 'bin/yarn.js'
}))

const ROOT_MANIFEST = {
  name: 'lockgate-yarn-fixture',
  version: '1.0.0',
  private: true,
  workspaces: ['packages/*'],
  dependencies: {
    express: '4.21.2',
    '@babel/code-frame': '7.26.2',
    ms: '^2.1.3',
    // berry locks `resolve` through its built-in `patch:` (compat/resolve): a real patch entry
    resolve: '^1.22.8',
    'sw-cjs': 'npm:string-width@^4.2.0'
  },
  devDependencies: { 'is-number': '^7.0.0' }
}
const WORKSPACE_MANIFEST = {
  name: '@fixture/util',
  version: '0.1.0',
  private: true,
  dependencies: { ms: '^2.1.2' }
}

function run(command, args, options = {}) {
  return execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    ...options
  })
}

function configuredRegistry() {
  const registry = run('npm', ['config', 'get', 'registry']).trim()
  return registry.endsWith('/') ? registry : `${registry}/`
}

function installTools(dir, tools) {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n')
  const specs = tools.map(({ tool, spec }) => `${tool}@npm:${spec}`)
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...specs], { cwd: dir })
}

function writeProject(dir, extraFiles) {
  mkdirSync(join(dir, 'packages/util'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(ROOT_MANIFEST, null, 2)}\n`)
  writeFileSync(
    join(dir, 'packages/util/package.json'),
    `${JSON.stringify(WORKSPACE_MANIFEST, null, 2)}\n`
  )
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, name), text)
}

function lockClassic(work, toolsDir, registry) {
  const dir = join(work, CLASSIC.label)
  writeProject(dir, {})
  const yarn = join(toolsDir, 'node_modules', CLASSIC.tool, CLASSIC.bin)
  const args = [
    'install',
    '--ignore-scripts',
    '--non-interactive',
    '--no-progress',
    '--ignore-engines'
  ]
  args.push('--registry', registry, '--cache-folder', join(work, 'classic-cache'), '--no-bin-links')
  run(process.execPath, [yarn, ...args], {
    cwd: dir,
    env: { ...process.env, YARN_ENABLE_TELEMETRY: '0' }
  })
  return readFileSync(join(dir, 'yarn.lock'), 'utf8').replaceAll(registry, PLACEHOLDER_REGISTRY)
}

function lockBerry(work, toolsDir, registry, berry) {
  const dir = join(work, berry.label)
  const yarnrc = [
    `npmRegistryServer: ${JSON.stringify(registry.replace(/\/$/, ''))}`,
    'nodeLinker: node-modules',
    'enableTelemetry: false',
    'enableGlobalCache: false',
    ''
  ].join('\n')
  writeProject(dir, { '.yarnrc.yml': yarnrc })
  const env = {
    ...process.env,
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_GLOBAL_CACHE: '0',
    YARN_ENABLE_IMMUTABLE_INSTALLS: '0',
    YARN_IGNORE_PATH: '1',
    COREPACK_ENABLE_STRICT: '0'
  }
  const yarn = join(toolsDir, 'node_modules', berry.tool, berry.bin)
  run(process.execPath, [yarn, 'install', '--mode=update-lockfile'], { cwd: dir, env })
  return readFileSync(join(dir, 'yarn.lock'), 'utf8')
}

/** The fixtures must not name a real registry host: every URL left must use the placeholder. */
function checkNoRealHost(label, text) {
  for (const url of text.match(/https?:\/\/[^\s"#]+/g) ?? []) {
    if (!url.startsWith(PLACEHOLDER_REGISTRY)) throw new Error(`${label}: unexpected URL ${url}`)
  }
}

/** A release that cannot lock this project is reported and skipped: the others still count. */
function tryLock(label, lock) {
  try {
    return lock()
  } catch (error) {
    const output = String(error.stdout ?? error.message)
      .split('\n')
      .slice(-12)
      .join('\n')
    console.error(`${label}: FAILED, no fixture written\n${output}`)
    return undefined
  }
}

function main() {
  const registry = configuredRegistry()
  const only = process.argv.slice(2)
  const berries = only.length > 0 ? BERRY.filter((b) => only.includes(b.label)) : BERRY
  const work = mkdtempSync(join(tmpdir(), 'lockgate-yarn-'))
  try {
    const toolsDir = join(work, 'tools')
    installTools(toolsDir, [CLASSIC, ...berries])
    mkdirSync(OUT, { recursive: true })
    const outputs = [[CLASSIC.label, () => lockClassic(work, toolsDir, registry)]]
    for (const berry of berries)
      outputs.push([berry.label, () => lockBerry(work, toolsDir, registry, berry)])
    for (const [label, lock] of outputs) {
      const text = tryLock(label, lock)
      if (text === undefined) continue
      checkNoRealHost(label, text)
      writeFileSync(join(OUT, `${label}.yarn.lock`), text)
      const version = /^__metadata:\n {2}version: (\d+)/m.exec(text)?.[1] ?? 'v1'
      console.log(`${label}: ${text.split('\n').length} lines, lockfile ${version}`)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

main()
