// Runs one command as a child process, like a user would, and measures its wall time (process
// start included) and peak resident memory: GNU time's %M when /usr/bin/time has it, else a
// preloaded module that records the child's own maxRSS on exit (Node commands only).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const GNU_TIME = '/usr/bin/time'
const RSS_PRELOAD = fileURLToPath(new URL('./rss-preload.mjs', import.meta.url))
const MAX_OUTPUT = 1024 * 1024

let gnuTime
function hasGnuTime() {
  if (gnuTime === undefined) {
    gnuTime =
      existsSync(GNU_TIME) &&
      spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' })
        .stderr?.trim()
        .match(/^\d+$/) !== null
  }
  return gnuTime
}

export function memoryMethod() {
  return hasGnuTime() ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (preload)'
}

/**
 * `{ ms, peakBytes, code, stdout, stderr }`. `scratch` is a folder for the memory figure's file.
 * `node: true` says the command is `node` (needed for the preload fallback).
 */
export async function measure(command, args, { env, cwd, scratch, node = false }) {
  const rssFile = join(scratch, `rss-${process.pid}-${Date.now()}.txt`)
  rmSync(rssFile, { force: true })
  let file = command
  let argv = args
  let childEnv = env
  if (hasGnuTime()) {
    file = GNU_TIME
    argv = ['-f', '%M', '-o', rssFile, command, ...args]
  } else if (node) {
    argv = ['--import', RSS_PRELOAD, ...args]
    childEnv = { ...env, LOCKGATE_BENCH_RSS_FILE: rssFile }
  }
  const started = performance.now()
  const result = await run(file, argv, { env: childEnv, cwd })
  const ms = performance.now() - started
  return { ...result, ms, peakBytes: readPeak(rssFile) }
}

function readPeak(file) {
  try {
    // both methods write kibibytes; GNU time may add a "Command exited..." line before it
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    const kib = Number(lines[lines.length - 1])
    return Number.isFinite(kib) ? kib * 1024 : undefined
  } catch {
    return undefined
  } finally {
    rmSync(file, { force: true })
  }
}

function run(file, args, { env, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    const out = { stdout: '', stderr: '' }
    const collect = (key) => (chunk) => {
      if (out[key].length < MAX_OUTPUT) out[key] += chunk
    }
    child.stdout.setEncoding('utf8').on('data', collect('stdout'))
    child.stderr.setEncoding('utf8').on('data', collect('stderr'))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, ...out }))
  })
}
