// What the figures were measured on, and whether the CLI being measured is older than its sources.
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { cpus, release, totalmem, type } from 'node:os'
import { join, relative } from 'node:path'

export function machineInfo(repoRoot) {
  const cores = cpus()
  return {
    cpu: `${cores.length} × ${cores[0]?.model?.trim() ?? 'unknown CPU'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${type()} ${release()}`,
    node: process.version,
    npm: command('npm', ['--version'], repoRoot),
    commit: gitCommit(repoRoot)
  }
}

function gitCommit(repoRoot) {
  const sha = command('git', ['rev-parse', '--short', 'HEAD'], repoRoot)
  const dirty = command('git', ['status', '--porcelain', '--', 'src', 'dist'], repoRoot)
  return dirty && dirty !== 'unknown' ? `${sha} (with uncommitted changes in src/ or dist/)` : sha
}

function command(file, args, cwd) {
  try {
    return execFileSync(file, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim()
  } catch {
    return 'unknown'
  }
}

/** A sentence when a file under src/ is newer than the CLI bundle: the figures would be stale. */
export function staleBuildWarning(repoRoot, cli) {
  const built = statSync(cli).mtimeMs
  const newer = newestFile(join(repoRoot, 'src'))
  if (!newer || newer.mtimeMs <= built) return undefined
  const path = relative(repoRoot, newer.path)
  return `${relative(repoRoot, cli)} is older than ${path}: run \`npm run build\` to measure the current sources`
}

function newestFile(dir) {
  let newest
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath ?? entry.path, entry.name)
    const { mtimeMs } = statSync(path)
    if (!newest || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs }
  }
  return newest
}
