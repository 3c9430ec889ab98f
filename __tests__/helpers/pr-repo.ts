// Real git repositories for pull-request scenarios: each commit's lockfile is written by npm itself
// (`npm install --package-lock-only`) against the local test registry.
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

export function registryUrl(): string {
  const url = process.env.TEST_REGISTRY_URL
  if (!url)
    throw new Error('TEST_REGISTRY_URL is not set: the jest global setup starts the registry')
  return url
}

/** The environment without npm_config_* variables inherited from `npm test`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|INPUT_|GITHUB_|RUNNER_)/i.test(key)) env[key] = value
  }
  return { ...env, ...extra }
}

export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: cleanEnv() })
  return stdout.trim()
}

export async function createRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lockgate-pr-'))
  await git(dir, ['init', '-q', '-b', 'main'])
  await writeFile(join(dir, '.npmrc'), `registry=${registryUrl()}\n`)
  return dir
}

/** Sets the dependencies, lets npm write package-lock.json, commits; returns the commit SHA. */
export async function commitDependencies(
  dir: string,
  dependencies: Record<string, string>,
  message: string
): Promise<string> {
  const manifest = { name: 'app-under-test', version: '1.0.0', private: true, dependencies }
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  await execFileAsync(
    'npm',
    ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: dir, env: cleanEnv({ NPM_CONFIG_USERCONFIG: process.env.TEST_REGISTRY_NPMRC ?? '' }) }
  )
  return commitAll(dir, message)
}

export async function commitFile(dir: string, path: string, text: string, message: string) {
  await writeFile(join(dir, path), text)
  return commitAll(dir, message)
}

export async function commitAll(dir: string, message: string): Promise<string> {
  await git(dir, ['add', '-A'])
  await git(dir, [
    '-c',
    'user.name=test',
    '-c',
    'user.email=test@localhost',
    'commit',
    '-qm',
    message
  ])
  return git(dir, ['rev-parse', 'HEAD'])
}

/** 1-based line of the first line containing `needle`, or 0. */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1
}

/** `npm publish` a fixture folder into the test registry; several test files may publish the same
 *  package, so "already published" is the state we want, not an error. */
export async function publishFixture(folder: string): Promise<void> {
  try {
    await execFileAsync('npm', ['publish', '--ignore-scripts', '--access', 'public'], {
      cwd: folder,
      env: cleanEnv({ NPM_CONFIG_USERCONFIG: process.env.TEST_REGISTRY_NPMRC ?? '' })
    })
  } catch (error) {
    if (!/cannot publish over the previously published/i.test(String(error))) throw error
  }
}
