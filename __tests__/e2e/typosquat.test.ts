// End to end: a pull request that adds a package whose name is one typo away from a popular one.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { commitDependencies, createRepo, lineOf, publishFixture } from '../helpers/pr-repo.js'
import { annotations, runAction } from '../helpers/run-action.js'

describe('the Action on a pull request that adds a typosquat', () => {
  beforeAll(async () => {
    await publishFixture('__tests__/fixtures/e2e/tiny-format-1.0.0')
    await publishFixture('__tests__/fixtures/e2e/expresss-1.0.0')
  }, 60_000)

  it('flags the added name on its lockfile line', async () => {
    const repo = await createRepo()
    const base = await commitDependencies(repo, { 'tiny-format': '1.0.0' }, 'base')
    const head = await commitDependencies(
      repo,
      { 'tiny-format': '1.0.0', expresss: '1.0.0' },
      'add expresss'
    )
    const run = await runAction({
      workspace: repo,
      eventName: 'pull_request',
      event: { pull_request: { base: { sha: base }, head: { sha: head } } }
    })
    const lockfile = await readFile(join(repo, 'package-lock.json'), 'utf8')
    const typosquat = annotations(run.stdout, 'error').find(
      (a) => a.properties.title === 'metadata/typosquat'
    )
    expect(run.exitCode).toBe(1)
    expect(typosquat?.properties.line).toBe(String(lineOf(lockfile, '"node_modules/expresss"')))
    expect(typosquat?.message).toContain('express')
  })
})
