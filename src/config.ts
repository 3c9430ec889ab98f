// Inputs -> a validated Config. The only place where defaults live: the Action (main.ts) and the
// CLI (cli.ts) both build their Config here, so they behave the same.
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { GateError } from './errors.js'
import { isSeverity, SEVERITIES, type Severity } from './types.js'

export interface Config {
  /** Absolute path of the repository checkout. */
  workspace: string
  /** Globs of lockfiles to scan; empty means discover every supported lockfile. */
  lockfileGlobs: string[]
  /** Explicit base and head revisions; they override what the event says. */
  baseRef?: string
  headRef?: string
  /** Scan every locked package instead of what changed. */
  full: boolean
  failOn: Severity
  /** User IOC feeds: workspace-relative paths or HTTPS URLs. */
  iocFeeds: string[]
  /** Only used to read a base lockfile through the contents API when git cannot. */
  token?: string
  /** Absolute path of the JSON report. */
  reportPath: string
  /** Folder for pacote's cache (packuments and tarballs, never extracted). */
  cacheDir: string
  /** Concurrent package fetches. */
  concurrency: number
  now: Date
}

export const DEFAULT_FAIL_ON: Severity = 'high'
export const DEFAULT_CONCURRENCY = 8

/** The raw inputs, as strings (action inputs or CLI flags); empty string means "not given". */
export interface RawInputs {
  workspace: string
  lockfiles?: string
  baseRef?: string
  headRef?: string
  mode?: string
  failOn?: string
  iocFeeds?: string
  token?: string
  report?: string
  tempDir?: string
  concurrency?: string
}

export function buildConfig(raw: RawInputs, now: Date = new Date()): Config {
  const workspace = resolve(raw.workspace)
  const tempDir = raw.tempDir || tmpdir()
  const token = raw.token?.trim()
  return {
    workspace,
    lockfileGlobs: splitList(raw.lockfiles),
    ...optional('baseRef', raw.baseRef?.trim()),
    ...optional('headRef', raw.headRef?.trim()),
    full: parseMode(raw.mode) === 'full',
    failOn: parseFailOn(raw.failOn),
    iocFeeds: splitList(raw.iocFeeds),
    ...optional('token', token),
    reportPath: resolveReportPath(raw.report, workspace, tempDir),
    cacheDir: join(tempDir, 'lockgate-cache'),
    concurrency: parseConcurrency(raw.concurrency),
    now
  }
}

/** Items separated by newlines or commas, trimmed, empty ones dropped. */
export function splitList(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

function parseMode(value: string | undefined): 'auto' | 'full' {
  const mode = (value || 'auto').trim().toLowerCase()
  if (mode === 'auto' || mode === 'full') return mode
  throw new GateError('ECONFIG', `mode "${value}" is not one of: auto, full`)
}

function parseFailOn(value: string | undefined): Severity {
  const severity = (value || DEFAULT_FAIL_ON).trim().toLowerCase()
  if (isSeverity(severity)) return severity
  throw new GateError('ECONFIG', `fail-on "${value}" is not one of: ${SEVERITIES.join(', ')}`)
}

function parseConcurrency(value: string | undefined): number {
  if (!value) return DEFAULT_CONCURRENCY
  const parsed = Number(value)
  if (Number.isInteger(parsed) && parsed >= 1 && parsed <= 64) return parsed
  throw new GateError('ECONFIG', `concurrency "${value}" must be a whole number from 1 to 64`)
}

function resolveReportPath(value: string | undefined, workspace: string, tempDir: string): string {
  if (!value) return join(tempDir, 'lockgate', 'report.json')
  return isAbsolute(value) ? value : join(workspace, value)
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {}
}
