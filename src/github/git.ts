// The one place that starts git. Always an argument array through execFile (never a shell), in
// the workspace, with prompts disabled so a missing credential fails fast instead of hanging.

import { execFile } from 'node:child_process'
import { GateError } from '../errors.js'

export interface GitResult {
  ok: boolean
  stdout: string
  stderr: string
}

/** Lockfiles of large monorepos reach tens of MiB; anything past this is refused. */
export const MAX_GIT_OUTPUT_BYTES = 256 * 1024 * 1024

export function runGit(cwd: string, args: string[]): Promise<GitResult> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env, encoding: 'utf8', maxBuffer: MAX_GIT_OUTPUT_BYTES, windowsHide: true },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new GateError('EGIT', 'git is not installed or not on PATH'))
          return
        }
        resolve({ ok: !error, stdout, stderr: stderr || (error ? error.message : '') })
      }
    )
  })
}

/** First non-empty line of git's stderr, for error messages. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim().length > 0)
  return line === undefined ? '(no output)' : line.trim().slice(0, 500)
}
