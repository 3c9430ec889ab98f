import { afterAll, describe, it, expect } from '@jest/globals'
import { mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import {
  SUPPORTED_LOCKFILE_NAMES,
  discoverLockfiles,
  discoverLockfilesInCommit
} from '../../src/github/discover.js'
import { commit, git, newRepo, removeTempDirs, tempDir, writeFiles } from './git-fixture.js'

afterAll(removeTempDirs)

function monorepo(): string {
  const root = tempDir()
  writeFiles(root, {
    'package-lock.json': '{}',
    'packages/web/package-lock.json': '{}',
    'packages/api/npm-shrinkwrap.json': '{}',
    'packages/api/package.json': '{}',
    'node_modules/dep/package-lock.json': '{}',
    'packages/web/node_modules/x/npm-shrinkwrap.json': '{}',
    '.git/package-lock.json': '{}',
    'tools/lock/yarn.lock': '',
    'apps/b/pnpm-lock.yaml': '',
    'apps/c/bun.lock': '',
    'apps/d/bun.lockb': '',
    'apps/e/node_modules/x/pnpm-lock.yaml': '',
    'docs/package-lock.json.bak': '{}',
    'docs/yarn.lock.orig': ''
  })
  return root
}

describe('discoverLockfiles', () => {
  it('lists the supported names', () => {
    expect(SUPPORTED_LOCKFILE_NAMES).toEqual([
      'package-lock.json',
      'npm-shrinkwrap.json',
      'pnpm-lock.yaml',
      'yarn.lock',
      'bun.lock',
      'bun.lockb'
    ])
  })

  it('finds nested lockfiles of every package manager, sorted, skipping node_modules and .git', async () => {
    expect(await discoverLockfiles(monorepo())).toEqual([
      'apps/b/pnpm-lock.yaml',
      'apps/c/bun.lock',
      'apps/d/bun.lockb', // found so that it fails loudly: it cannot be read
      'package-lock.json',
      'packages/api/npm-shrinkwrap.json',
      'packages/web/package-lock.json',
      'tools/lock/yarn.lock'
    ])
  })

  it('uses globs instead of the names when given', async () => {
    const root = monorepo()
    expect(await discoverLockfiles(root, ['packages/**/*.json'])).toEqual([
      'packages/api/npm-shrinkwrap.json',
      'packages/api/package.json',
      'packages/web/package-lock.json'
    ])
    expect(await discoverLockfiles(root, ['**/yarn.lock', 'package-lock.json'])).toEqual([
      'package-lock.json',
      'tools/lock/yarn.lock'
    ])
  })

  it('treats an empty glob list as no globs', async () => {
    expect(await discoverLockfiles(monorepo(), [])).toHaveLength(7)
  })

  it('does not follow symlinks out of the workspace', async () => {
    const outside = tempDir()
    writeFiles(outside, { 'package-lock.json': '{}', 'deep/package-lock.json': '{}' })
    const root = tempDir()
    writeFiles(root, { 'app/package-lock.json': '{}' })
    symlinkSync(path.join(outside, 'package-lock.json'), path.join(root, 'package-lock.json'))
    symlinkSync(outside, path.join(root, 'linked-dir'))
    mkdirSync(path.join(root, 'inner'))
    symlinkSync(
      path.join(root, 'app/package-lock.json'),
      path.join(root, 'inner/package-lock.json')
    )
    symlinkSync(path.join(root, 'missing.json'), path.join(root, 'npm-shrinkwrap.json'))
    expect(await discoverLockfiles(root)).toEqual([
      'app/package-lock.json',
      'inner/package-lock.json'
    ])
  })
})

describe('discoverLockfilesInCommit', () => {
  it('lists the lockfiles of a commit, not of the working tree', async () => {
    const repo = newRepo()
    const first = commit(repo, {
      'package-lock.json': '{}',
      'node_modules/a/package-lock.json': '{}'
    })
    git(repo, 'rm', '-q', 'package-lock.json')
    writeFiles(repo, { 'web/package-lock.json': '{}' })
    expect(await discoverLockfilesInCommit(repo, first)).toEqual(['package-lock.json'])
    expect(await discoverLockfiles(repo)).toEqual(['web/package-lock.json'])
    expect(await discoverLockfilesInCommit(repo, first, ['**/*.json'])).toEqual([
      'package-lock.json'
    ])
  })

  it('lists pnpm, yarn and bun lockfiles of a commit, skipping node_modules', async () => {
    const repo = newRepo()
    const head = commit(repo, {
      'apps/a/package-lock.json': '{}',
      'apps/b/pnpm-lock.yaml': '',
      'apps/c/yarn.lock': '',
      'bun.lock': '',
      'node_modules/x/yarn.lock': ''
    })
    expect(await discoverLockfilesInCommit(repo, head)).toEqual([
      'apps/a/package-lock.json',
      'apps/b/pnpm-lock.yaml',
      'apps/c/yarn.lock',
      'bun.lock'
    ])
  })

  it('fails with EGIT for an unknown commit', async () => {
    const repo = newRepo()
    commit(repo, { 'package-lock.json': '{}' })
    await expect(discoverLockfilesInCommit(repo, 'c'.repeat(40))).rejects.toMatchObject({
      code: 'EGIT'
    })
  })
})
