// Finds the lockfiles to gate. Monorepos hold several, so the whole workspace is walked; installed
// dependencies (node_modules) and git's own folder are skipped, and symlinks are only followed to
// files that stay inside the workspace, so a crafted link cannot make us read the runner's disk.

import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import { GateError } from '../errors.js'
import { runGit, firstLine } from './git.js'

/**
 * Lockfile names of every package manager. `bun.lockb` (bun's old binary format) is listed too:
 * it cannot be read, and finding it must fail the gate loudly rather than leave it unscanned.
 */
export const SUPPORTED_LOCKFILE_NAMES: readonly string[] = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb'
]

const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git'])

/** A bound on nesting, so a pathological tree cannot keep the walk busy forever. */
const MAX_DEPTH = 64

type Matcher = (relativePath: string) => boolean

/**
 * Repo-relative paths (forward slashes, sorted) of every supported lockfile in the workspace, or of
 * the files matching `globs` when that list is non-empty.
 */
export async function discoverLockfiles(workspace: string, globs?: string[]): Promise<string[]> {
  const root = await realpath(workspace)
  const found: string[] = []
  await walk(root, '', lockfileMatcher(globs), found, 0)
  return found.sort()
}

/**
 * The same selection as `discoverLockfiles`, but taken from a commit's tree. Used when the head is
 * not the working tree (pull_request_target checks out the base), so lockfiles new in head count.
 */
export async function discoverLockfilesInCommit(
  workspace: string,
  commit: string,
  globs?: string[]
): Promise<string[]> {
  const args = ['ls-tree', '-r', '-z', '--name-only', '--full-tree', '--end-of-options', commit]
  const result = await runGit(workspace, args)
  if (!result.ok) {
    throw new GateError('EGIT', `cannot list files of ${commit}: ${firstLine(result.stderr)}`)
  }
  const matches = lockfileMatcher(globs)
  const paths = result.stdout.split('\0').filter((file) => file.length > 0)
  return paths.filter((file) => !inSkippedDirectory(file) && matches(file)).sort()
}

function lockfileMatcher(globs?: string[]): Matcher {
  if (globs && globs.length > 0) return picomatch(globs, { dot: true })
  return (relativePath) => SUPPORTED_LOCKFILE_NAMES.includes(path.posix.basename(relativePath))
}

function inSkippedDirectory(relativePath: string): boolean {
  return relativePath.split('/').some((segment) => SKIPPED_DIRECTORIES.has(segment))
}

async function walk(
  root: string,
  relativeDir: string,
  matches: Matcher,
  found: string[],
  depth: number
): Promise<void> {
  if (depth > MAX_DEPTH) return
  const entries = await readdir(path.join(root, relativeDir), { withFileTypes: true })
  for (const entry of entries) {
    const relativePath = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) {
        await walk(root, relativePath, matches, found, depth + 1)
      }
    } else if (matches(relativePath) && (await isReadableFile(root, relativePath))) {
      found.push(relativePath)
    }
  }
}

/** A regular file, or a symlink to a regular file that stays inside the workspace. */
async function isReadableFile(root: string, relativePath: string): Promise<boolean> {
  const absolute = path.join(root, relativePath)
  const info = await lstat(absolute)
  if (info.isFile()) return true
  if (!info.isSymbolicLink()) return false
  try {
    const target = await realpath(absolute)
    return isInside(root, target) && (await stat(target)).isFile()
  } catch {
    return false // a dangling link
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate)
  const escapes = relative === '..' || relative.startsWith(`..${path.sep}`)
  return relative !== '' && !escapes && !path.isAbsolute(relative)
}
