// Real git repositories in temp folders, for the tests of the GitHub/git stage.

import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const IDENTITY = ['-c', 'user.name=Lockgate Test', '-c', 'user.email=test@example.invalid']
const QUIET = ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main']

const made: string[] = []

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...QUIET, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

export function tempDir(prefix = 'lockgate-git-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export function newRepo(): string {
  const dir = tempDir()
  git(dir, 'init', '-q')
  return dir
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, text] of Object.entries(files)) {
    const target = path.join(root, relative)
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, text)
  }
}

/** Writes the files, commits everything and returns the new commit's SHA. */
export function commit(repo: string, files: Record<string, string>, message = 'change'): string {
  writeFiles(repo, files)
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '--allow-empty', '-m', message)
  return git(repo, 'rev-parse', 'HEAD')
}

export function lockfile(dependencies: Record<string, string>): string {
  const packages: Record<string, { version: string }> = {}
  for (const [name, version] of Object.entries(dependencies)) {
    packages[`node_modules/${name}`] = { version }
  }
  const document = { name: 'fixture', lockfileVersion: 3, requires: true, packages }
  return `${JSON.stringify(document, null, 2)}\n`
}
