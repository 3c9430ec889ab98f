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
  /** Versions published less than this many milliseconds before the scan are held; 0 disables. */
  minReleaseAgeMs: number
  /** Package name globs the cooldown does not apply to (e.g. the organisation's own `@acme/*`). */
  minReleaseAgeExclude: string[]
  /** Where OSV `MAL-` records come from: OSV's API, a local snapshot, or nowhere. */
  osv: OsvMode
  /** Registries, besides the configured ones, that lockfile `resolved` URLs may point at. */
  allowedRegistries: string[]
  /** Folder or zip of OSV JSON records, for `osv: offline`. */
  osvDb?: string
  /** OSV's batch query endpoint, for `osv: online`. */
  osvUrl: string
  now: Date
}

export type OsvMode = 'online' | 'offline' | 'off'

export const DEFAULT_OSV_URL = 'https://api.osv.dev/v1/querybatch'

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
  minReleaseAge?: string
  minReleaseAgeExclude?: string
  allowedRegistries?: string
  osv?: string
  osvDb?: string
  osvUrl?: string
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
    minReleaseAgeMs: parseDuration(raw.minReleaseAge, 'min-release-age'),
    minReleaseAgeExclude: splitList(raw.minReleaseAgeExclude),
    allowedRegistries: splitList(raw.allowedRegistries),
    ...osvConfig(raw, workspace),
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

const DURATION_UNITS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000
}

/**
 * `0`, `90 minutes`, `12 hours`, `3 days`, `2 weeks` (singular or plural, also `m`, `h`, `d`, `w`).
 * Units are spelled out on purpose: a bare `3` would be ambiguous.
 */
export function parseDuration(value: string | undefined, input: string): number {
  const text = (value ?? '').trim().toLowerCase()
  if (text === '' || text === '0') return 0
  const match = /^(\d{1,6}(?:\.\d{1,3})?)\s*([a-z]{1,7})$/.exec(text)
  const unit = match ? unitOf(match[2] ?? '') : undefined
  if (!match || unit === undefined) {
    throw new GateError(
      'ECONFIG',
      `${input} "${value}" is not a duration: write a number and a unit, e.g. "3 days", ` +
        '"12 hours", "90 minutes", "2 weeks", or 0 to disable'
    )
  }
  return Math.round(Number(match[1]) * unit)
}

function unitOf(word: string): number | undefined {
  const short: Record<string, string> = {
    m: 'minute',
    min: 'minute',
    h: 'hour',
    d: 'day',
    w: 'week'
  }
  const singular = short[word] ?? word.replace(/s$/, '')
  return DURATION_UNITS[singular]
}

function osvConfig(raw: RawInputs, workspace: string): Pick<Config, 'osv' | 'osvDb' | 'osvUrl'> {
  const osvDb = raw.osvDb?.trim()
  const mode = (raw.osv || (osvDb ? 'offline' : 'online')).trim().toLowerCase()
  if (mode !== 'online' && mode !== 'offline' && mode !== 'off') {
    throw new GateError('ECONFIG', `osv "${raw.osv}" is not one of: online, offline, off`)
  }
  if (mode === 'offline' && !osvDb) {
    throw new GateError(
      'ECONFIG',
      'osv is "offline" but no osv-db (folder or zip of OSV records) is given'
    )
  }
  return {
    osv: mode,
    ...(osvDb ? { osvDb: isAbsolute(osvDb) ? osvDb : join(workspace, osvDb) } : {}),
    osvUrl: raw.osvUrl?.trim() || DEFAULT_OSV_URL
  }
}

function resolveReportPath(value: string | undefined, workspace: string, tempDir: string): string {
  if (!value) return join(tempDir, 'lockgate', 'report.json')
  return isAbsolute(value) ? value : join(workspace, value)
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {}
}
