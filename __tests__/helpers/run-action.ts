// Runs the bundled Action (`node dist/index.js`) the way the GitHub runner starts it: inputs as
// INPUT_* variables, the event payload in a file, summary and outputs in files.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { cleanEnv } from './pr-repo.js'

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
}

export interface ActionRunOptions {
  workspace: string
  eventName: string
  event: unknown
  inputs?: Record<string, string>
  env?: Record<string, string>
}

const DIST = resolve('dist', 'index.js')

export async function runAction(opts: ActionRunOptions): Promise<ActionRun> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'lockgate-runner-'))
  const files = {
    event: join(runnerTemp, 'event.json'),
    summary: join(runnerTemp, 'step-summary.md'),
    output: join(runnerTemp, 'output.txt')
  }
  await writeFile(files.event, JSON.stringify(opts.event))
  await writeFile(files.summary, '')
  await writeFile(files.output, '')
  const env = cleanEnv({
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    RUNNER_TEMP: runnerTemp,
    // tests never reach an outside host: OSV is off unless a test points it at a local server
    ...inputVariables({ osv: 'off', ...opts.inputs }),
    ...opts.env
  })
  const { exitCode, stdout, stderr } = await spawnNode([DIST], env, opts.workspace)
  return {
    exitCode,
    stdout,
    stderr,
    summary: await readFile(files.summary, 'utf8'),
    outputs: parseOutputs(await readFile(files.output, 'utf8'))
  }
}

/** The runner passes `with:` inputs as INPUT_<NAME> with the name upper-cased, spaces as `_`. */
function inputVariables(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [
      `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
      value
    ])
  )
}

export function spawnNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ exitCode: code ?? -1, stdout, stderr }))
  })
}

/** Parses the GITHUB_OUTPUT file (`name<<delimiter` blocks written by @actions/core). */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3]
  return outputs
}

/** Workflow-command annotations printed on stdout, e.g. `::error file=…,line=…,title=…::message`. */
export function annotations(stdout: string, level: 'error' | 'warning' | 'notice') {
  const found: { properties: Record<string, string>; message: string }[] = []
  for (const line of stdout.split('\n')) {
    const match = new RegExp(`^::${level} ([^:]*)::(.*)$`).exec(line)
    if (!match) continue
    const properties = Object.fromEntries(
      match[1].split(',').map((pair) => {
        const at = pair.indexOf('=')
        return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))]
      })
    )
    found.push({ properties, message: match[2] })
  }
  return found
}
