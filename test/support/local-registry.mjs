// Starts the Verdaccio server script as a child process, creates a throwaway user and writes an
// npm user config that points at it. Used by the demo and by the jest global setup.
import { spawn, execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const execFileAsync = promisify(execFile)

export async function startLocalRegistry() {
  const child = spawn(process.execPath, [join(here, 'verdaccio-server.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit']
  })
  const info = await new Promise((resolve, reject) => {
    let buffered = ''
    child.stdout.on('data', (chunk) => {
      buffered += chunk
      const newline = buffered.indexOf('\n')
      if (newline >= 0) resolve(JSON.parse(buffered.slice(0, newline)))
    })
    child.once('exit', (code) => reject(new Error(`local registry exited with code ${code}`)))
  })
  const token = await createUser(info.url)
  const npmrcDir = mkdtempSync(join(tmpdir(), 'lockgate-npmrc-'))
  const npmrc = join(npmrcDir, '.npmrc')
  writeFileSync(npmrc, npmrcFor(info.url, token))
  return {
    url: info.url,
    storage: info.storage,
    token,
    npmrc,
    pid: child.pid,
    stop: () => {
      child.kill('SIGTERM')
      rmSync(npmrcDir, { recursive: true, force: true })
    }
  }
}

/** An .npmrc that points npm at the registry with the token (nerf-darted, as npm writes it). */
export function npmrcFor(url, token) {
  const nerfDart = url.replace(/^https?:/, '')
  return `registry=${url}\n${nerfDart}:_authToken=${token}\n`
}

async function createUser(url) {
  const response = await fetch(`${url}-/user/org.couchdb.user:ci`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ci', password: 'ci-pass-123' })
  })
  const body = await response.json()
  if (!body.token) throw new Error(`could not create a registry user: ${JSON.stringify(body)}`)
  return body.token
}

/** `npm publish` a package folder into the local registry, with a user config that only knows it. */
export async function publish(folder, npmrc) {
  await execFileAsync(
    'npm',
    ['publish', '--userconfig', npmrc, '--ignore-scripts', '--access', 'public'],
    {
      cwd: folder,
      env: cleanNpmEnv()
    }
  )
}

/** The environment without npm_config_* variables inherited from an outer `npm run`. */
export function cleanNpmEnv(extra = {}) {
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value
  }
  return { ...env, ...extra }
}
