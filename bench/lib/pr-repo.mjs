// The pull-request scenario: a git repository whose base commit holds a lockfile and whose head
// commit bumps `count` of its packages to their next published version, edited in the lockfile
// text (version, resolved, integrity from the registry's packument), as a bot's PR would.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pacote from 'pacote'
import semver from 'semver'
import { readLockedPackages } from './lockfile.mjs'
import { npmOptionsFor } from './npm-options.mjs'

const GIT_IDENTITY = ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost']

/** `{ repo, base, head, bumps: [{ name, from, to }] }` */
export async function buildPrRepo({ lockfileDir, repo, cacheDir, count = 10 }) {
  mkdirSync(repo, { recursive: true })
  for (const file of ['package.json', 'package-lock.json']) {
    copyFileSync(join(lockfileDir, file), join(repo, file))
  }
  git(repo, 'init', '-q')
  const base = commit(repo, 'base')
  const options = { ...npmOptionsFor(lockfileDir), cache: cacheDir }
  const bumps = await chooseBumps(lockfileDir, count, options)
  let text = readFileSync(join(repo, 'package-lock.json'), 'utf8')
  for (const bump of bumps) text = bumpEntry(text, bump)
  writeFileSync(join(repo, 'package-lock.json'), text)
  const head = commit(repo, 'bump')
  return { repo, base, head, bumps: bumps.map(({ name, from, to }) => ({ name, from, to })) }
}

/**
 * Transitive top-level packages (not in package.json), taken evenly spread over the sorted names
 * so that the choice is stable and not all from one scope; each must have a next version.
 */
async function chooseBumps(lockfileDir, count, options) {
  const manifest = JSON.parse(readFileSync(join(lockfileDir, 'package.json'), 'utf8'))
  const direct = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }))
  const names = new Map()
  for (const entry of readLockedPackages(lockfileDir)) {
    const topLevel = entry.path === `node_modules/${entry.name}`
    if (topLevel && !direct.has(entry.name)) names.set(entry.name, entry)
  }
  const candidates = [...names.values()].sort((a, b) => a.name.localeCompare(b.name))
  const step = Math.max(1, Math.floor(candidates.length / count))
  const bumps = []
  for (let start = 0; start < step && bumps.length < count; start++) {
    for (let i = start; i < candidates.length && bumps.length < count; i += step) {
      if (bumps.some((bump) => bump.name === candidates[i].name)) continue
      const bump = await nextVersion(candidates[i], options)
      if (bump) bumps.push(bump)
    }
  }
  if (bumps.length < count) throw new Error(`only ${bumps.length} packages have a next version`)
  return bumps
}

async function nextVersion(entry, options) {
  const packument = await pacote.packument(entry.name, options)
  const next = Object.keys(packument.versions ?? {})
    .filter((version) => semver.valid(version) && !semver.prerelease(version))
    .filter((version) => semver.gt(version, entry.version))
    .sort(semver.compare)[0]
  const dist = next ? packument.versions[next].dist : undefined
  if (!dist?.integrity) return undefined
  return { name: entry.name, from: entry.version, to: next, dist }
}

/** Rewrites version, resolved and integrity inside the entry's block of the lockfile text. */
function bumpEntry(text, { name, to, dist }) {
  const key = `\n    "node_modules/${name}": {\n`
  const start = text.indexOf(key)
  const end = text.indexOf('\n    }', start + key.length)
  if (start < 0 || end < 0) throw new Error(`cannot find the lockfile entry of ${name}`)
  const block = text
    .slice(start, end)
    .replace(/("version": )"[^"]*"/, `$1"${to}"`)
    .replace(/("resolved": )"[^"]*"/, `$1"${dist.tarball}"`)
    .replace(/("integrity": )"[^"]*"/, `$1"${dist.integrity}"`)
  return text.slice(0, start) + block + text.slice(end)
}

function commit(repo, message) {
  git(repo, 'add', '-A')
  git(repo, ...GIT_IDENTITY, 'commit', '-q', '--no-gpg-sign', '-m', message)
  return git(repo, 'rev-parse', 'HEAD').trim()
}

function git(repo, ...args) {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' })
}
