#!/usr/bin/env node
// Regenerates the real pnpm and bun lockfile fixtures in __tests__/fixtures/lockfiles/{pnpm,bun}/.
// Not run by the tests. Installs the package managers from the configured npm registry into a
// temporary folder (several pnpm majors side by side through npm aliases), then resolves the same
// small project with each of them, without running any install script.
//
//   node scripts/lockfile-fixtures/pnpm-bun.mjs
//
// Registry hosts in the output are rewritten to a placeholder, so the fixtures never name a real
// registry and stay stable whichever mirror generated them.
import { execFileSync, spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FIXTURES = fileURLToPath(new URL('../../__tests__/fixtures/lockfiles/', import.meta.url))
const PLACEHOLDER_REGISTRY = 'https://npm.example.test/'
const PLACEHOLDER_TARBALLS = 'http://tarballs.example.test/'
const PLACEHOLDER_ROOT = '/fixture'

const PROJECT = {
  name: 'lockgate-fixture',
  version: '1.0.0',
  private: true,
  dependencies: {
    express: '4.21.2',
    '@babel/code-frame': '7.26.2',
    ms: '2.1.3',
    'sw-cjs': 'npm:string-width@^4.2.0'
  },
  devDependencies: { picocolors: '1.1.1' }
}

// Which pnpm writes which lockfileVersion.
const PNPM_MAJORS = [
  { alias: 'pnpm10', spec: 'pnpm@10', out: 'v9.pnpm10.yaml' },
  { alias: 'pnpm9', spec: 'pnpm@9', out: 'v9.pnpm9.yaml' },
  { alias: 'pnpm8', spec: 'pnpm@8', out: 'v6.pnpm8.yaml' },
  { alias: 'pnpm7', spec: 'pnpm@7', out: 'v5.4.pnpm7.yaml' }
]
// pnpm 6 (lockfileVersion 5.3) installs but hangs on Node 20 while resolving: the 5.3 fixture is
// hand-written from the 5.4 one (the two differ only in the version line and `specifiers`).

function run(command, args, cwd) {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit']
  })
}

function registry() {
  return run('npm', ['config', 'get', 'registry'], process.cwd()).trim()
}

function installTools(dir) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tools', private: true }))
  const specs = PNPM_MAJORS.map(({ alias, spec }) => `${alias}@npm:${spec}`)
  run('npm', ['install', '--no-save', ...specs, 'bun'], dir)
}

function project(dir, extra = {}) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...PROJECT, ...extra }, null, 2)}\n`)
  return dir
}

const replacements = []

/** Keeps the fixture free of the generating machine's registry host, ports and paths. */
function scrub(text) {
  const host = registry().replace(/\/?$/, '/')
  let out = text.split(host).join(PLACEHOLDER_REGISTRY)
  for (const [from, to] of replacements) out = out.split(from).join(to)
  return out
}

function save(folder, name, text) {
  mkdirSync(join(FIXTURES, folder), { recursive: true })
  writeFileSync(join(FIXTURES, folder, name), scrub(text))
  console.log(`wrote ${folder}/${name}`)
}

function generatePnpm(tools, work) {
  for (const { alias, out } of PNPM_MAJORS) {
    const pnpm = join(tools, 'node_modules', alias, 'bin', 'pnpm.cjs')
    const dir = project(join(work, alias))
    run('node', [pnpm, 'install', '--lockfile-only', '--ignore-scripts'], dir)
    save('pnpm', out, readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8'))
  }
  generatePnpmWorkspace(tools, work)
}

/** A real two-package workspace: importers for `.` and `packages/*`, a `workspace:` link. */
function generatePnpmWorkspace(tools, work) {
  const pnpm = join(tools, 'node_modules', 'pnpm10', 'bin', 'pnpm.cjs')
  const dir = project(join(work, 'workspace'), {
    dependencies: { ms: '2.1.3' },
    devDependencies: {}
  })
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
  const lib = join(dir, 'packages', 'lib')
  mkdirSync(lib, { recursive: true })
  const libManifest = { name: '@fixture/lib', version: '1.0.0', dependencies: { debug: '2.6.9' } }
  writeFileSync(join(lib, 'package.json'), JSON.stringify(libManifest, null, 2))
  const app = join(dir, 'packages', 'app')
  mkdirSync(app, { recursive: true })
  const appManifest = {
    name: '@fixture/app',
    version: '1.0.0',
    dependencies: { '@fixture/lib': 'workspace:*', 'sw-cjs': 'npm:string-width@^4.2.0' }
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify(appManifest, null, 2))
  run('node', [pnpm, 'install', '--lockfile-only', '--ignore-scripts'], dir)
  save('pnpm', 'workspace.v9.yaml', readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8'))
}

function bunBinary(tools) {
  const candidates = [
    join(tools, 'node_modules', 'bun', 'bin', 'bun.exe'),
    join(tools, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun')
  ]
  const found = candidates.find((path) => existsSync(path))
  if (!found) throw new Error('bun binary not found after npm install bun')
  return found
}

function generateBun(tools, work) {
  const bun = bunBinary(tools)
  const dir = project(join(work, 'bun'))
  // bun does not read npm's user config: point it at the configured registry explicitly.
  writeFileSync(join(dir, 'bunfig.toml'), `[install]\nregistry = "${registry()}"\n`)
  run(bun, ['install', '--lockfile-only', '--ignore-scripts'], dir)
  save('bun', 'real.bun.lock', readFileSync(join(dir, 'bun.lock'), 'utf8'))
  const workspace = join(work, 'bun-workspace')
  cpSync(join(work, 'workspace'), workspace, { recursive: true })
  rmSync(join(workspace, 'pnpm-lock.yaml'), { force: true })
  const manifest = JSON.parse(readFileSync(join(workspace, 'package.json'), 'utf8'))
  manifest.workspaces = ['packages/*']
  writeFileSync(join(workspace, 'package.json'), JSON.stringify(manifest, null, 2))
  writeFileSync(join(workspace, 'bunfig.toml'), `[install]\nregistry = "${registry()}"\n`)
  run(bun, ['install', '--lockfile-only', '--ignore-scripts'], workspace)
  save('bun', 'workspace.bun.lock', readFileSync(join(workspace, 'bun.lock'), 'utf8'))
}

// ---- non-registry sources: a local folder, a link, a local tarball, a git repository, a remote
// tarball served from 127.0.0.1, and a patched registry package ----

function sh(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: 'ignore' })
}

function makeSources(root) {
  const vendor = join(root, 'vendor')
  mkdirSync(join(vendor, 'folder-lib'), { recursive: true })
  writeFileSync(
    join(vendor, 'folder-lib', 'package.json'),
    '{"name":"folder-lib","version":"1.0.0"}'
  )
  for (const [name, version] of [
    ['tar-lib', '2.0.0'],
    ['remote-lib', '4.0.0']
  ]) {
    const staging = join(root, 'staging', name, 'package')
    mkdirSync(staging, { recursive: true })
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name, version }))
    sh(
      'tar',
      ['czf', join(vendor, `${name}-${version}.tgz`), '-C', join(staging, '..'), 'package'],
      root
    )
  }
  const git = join(root, 'git-lib')
  mkdirSync(git)
  writeFileSync(join(git, 'package.json'), '{"name":"git-lib","version":"3.0.0"}')
  sh('git', ['init', '-q'], git)
  sh('git', ['add', '.'], git)
  const author = ['-c', 'user.email=fixture@example.test', '-c', 'user.name=fixture']
  sh('git', [...author, 'commit', '-qm', 'init'], git)
  return { vendor, git }
}

function serveTarballs(vendor) {
  const server = createServer((request, response) => {
    const file = join(vendor, String(request.url).replace(/^\/+/, ''))
    if (!request.url?.endsWith('.tgz') || !existsSync(file)) return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/octet-stream' })
    response.end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const PATCH = `diff --git a/index.js b/index.js
--- a/index.js
+++ b/index.js
@@ -1,3 +1,3 @@
 /**
- * Helpers.
+ * Helpers (patched).
  */
`

function sourcesProject(
  dir,
  { vendor, git, tarballs },
  { withGit = true, withLink = true, pnpm = true }
) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'patches'), { recursive: true })
  cpSync(vendor, join(dir, 'vendor'), { recursive: true })
  const dependencies = {
    debug: '4.3.4',
    ms: '2.1.3',
    'folder-lib': 'file:./vendor/folder-lib',
    'tar-lib': './vendor/tar-lib-2.0.0.tgz',
    'remote-lib': `${tarballs}remote-lib-4.0.0.tgz`,
    ...(withLink ? { 'linked-lib': 'link:./vendor/folder-lib' } : {}),
    ...(withGit ? { 'git-lib': `git+file://${git}` } : {})
  }
  const manifest = { name: 'sources', version: '1.0.0', dependencies }
  if (pnpm) manifest.pnpm = { patchedDependencies: { 'ms@2.1.3': 'patches/ms@2.1.3.patch' } }
  else manifest.patchedDependencies = { 'ms@2.1.3': 'patches/ms@2.1.3.patch' }
  writeFileSync(join(dir, 'patches', 'ms@2.1.3.patch'), PATCH)
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return dir
}

async function generateSources(tools, root) {
  const sources = makeSources(join(root, 'src'))
  const server = await serveTarballs(sources.vendor)
  const tarballs = `http://127.0.0.1:${server.address().port}/`
  // pnpm 7/8 name a remote tarball entry after its host and port: `@127.0.0.1+PORT/x.tgz`.
  const hostKey = `@127.0.0.1+${server.address().port}/`
  replacements.push([tarballs, PLACEHOLDER_TARBALLS], [hostKey, '@tarballs.example.test/'])
  replacements.push([root, PLACEHOLDER_ROOT])
  const context = { ...sources, tarballs }
  try {
    // pnpm 8 crashes on a `git+file:` dependency ("invalid relative dependency path").
    const runs = [
      ['pnpm10', 'sources.v9.yaml', {}],
      ['pnpm8', 'sources.v6.yaml', { withGit: false }],
      ['pnpm7', 'sources.v5.4.yaml', {}]
    ]
    for (const [alias, out, options] of runs) {
      const dir = sourcesProject(join(root, `sources-${alias}`), context, options)
      const pnpm = join(tools, 'node_modules', alias, 'bin', 'pnpm.cjs')
      await runAsync('node', [pnpm, 'install', '--lockfile-only', '--ignore-scripts'], dir)
      save('pnpm', out, readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8'))
    }
    // bun's `link:` means a package registered with `bun link`, not a path: left out.
    const dir = sourcesProject(join(root, 'sources-bun'), context, { withLink: false, pnpm: false })
    writeFileSync(join(dir, 'bunfig.toml'), `[install]\nregistry = "${registry()}"\n`)
    await runAsync(bunBinary(tools), ['install', '--lockfile-only', '--ignore-scripts'], dir)
    save('bun', 'sources.bun.lock', readFileSync(join(dir, 'bun.lock'), 'utf8'))
  } finally {
    server.close()
  }
}

/** The tarball server runs in this process, so the package managers must not block it. */
function runAsync(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))
    )
  })
}

const root = mkdtempSync(join(tmpdir(), 'lockgate-fixtures-'))
try {
  const tools = join(root, 'tools')
  mkdirSync(tools)
  installTools(tools)
  generatePnpm(tools, join(root, 'work'))
  generateBun(tools, join(root, 'work'))
  await generateSources(tools, root)
} finally {
  rmSync(root, { recursive: true, force: true })
}
