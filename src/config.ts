// Inputs -> a validated Config. The only place where defaults live: the Action (main.ts) and the
// CLI (cli.ts) both build their Config here, so they behave the same.
import { availableParallelism, tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { GateError } from './errors.js'
import { COMMENT_MODES, isCommentMode, type CommentMode } from './github/comment.js'
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
  /** Absolute path of the SARIF file. */
  sarifPath: string
  /** Base URL of the registry's website, for links to package pages in the summary. */
  registryWebsite?: string
  /** When to write the single pull-request comment. */
  comment: CommentMode
  /** Folder for pacote's cache (packuments and tarballs, never extracted). */
  cacheDir: string
  /** Concurrent package fetches. */
  concurrency: number
  /** Worker threads that analyse tarball contents; 0 analyses on the main thread. */
  analysisWorkers: number
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
  /** The verdict is at most `warn`: nothing fails the gate, not even an incomplete analysis. */
  warnOnly: boolean
  /** Per-rule settings, allow and deny entries from the configuration file. */
  policy: Policy
  now: Date
}

/** A rule's settings in the configuration file's `rules` map. */
export interface RuleSetting {
  enabled?: boolean
  severity?: Severity
  /** Passed to the rule as `ctx.options`, over the options lockgate derives itself. */
  options?: Record<string, unknown>
}

/** An `allow` entry: findings it covers are reported as suppressed, with the reason. */
export interface AllowEntry {
  /** Package name or glob (`@acme/*`). */
  package: string
  /** semver range of the versions it covers; `*` for all. */
  versions: string
  /** Rule ids it covers; absent: every rule. */
  rules?: string[]
  reason: string
  /** `YYYY-MM-DD`: the entry suppresses through that day (UTC), then becomes a warning. */
  expires?: string
  /** 1-based line of the entry in the configuration file. */
  line: number
}

/** A `deny` entry: a package (name or glob, with a range) or a publisher that always fails. */
export interface DenyEntry {
  package?: string
  versions?: string
  /** npm account that published the version (`_npmUser.name`). */
  publisher?: string
  reason: string
  line: number
}

export interface Policy {
  /** Repository-relative path of the configuration file: where policy findings point. */
  file: string
  rules: Readonly<Record<string, RuleSetting>>
  allow: readonly AllowEntry[]
  deny: readonly DenyEntry[]
}

/** What the configuration file sets: the values the inputs may override, and the policy. */
export interface FileSettings {
  failOn?: Severity
  warnOnly?: boolean
  minReleaseAge?: string
  minReleaseAgeExclude?: string[]
  allowedRegistries?: string[]
  iocFeeds?: string[]
  osv?: OsvMode
  osvDb?: string
  lockfiles?: string[]
}

export interface ConfigFile {
  /** Repository-relative path (absolute when the file is outside the workspace). */
  path: string
  settings: FileSettings
  policy: Omit<Policy, 'file'>
}

export const DEFAULT_CONFIG_PATH = '.github/lockgate.yml'

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
  sarif?: string
  comment?: string
  registryWebsite?: string
  tempDir?: string
  concurrency?: string
  /** A whole number, or `auto` (empty): one per core. */
  analysisWorkers?: string
  minReleaseAge?: string
  minReleaseAgeExclude?: string
  allowedRegistries?: string
  osv?: string
  osvDb?: string
  osvUrl?: string
  /** `true` or `false`; empty: the file's value, else false. */
  warnOnly?: string
  /** Path of the configuration file; empty: `.github/lockgate.yml` if it exists. */
  config?: string
}

/**
 * Inputs over the configuration file over the defaults: an input that is given (non-empty) wins,
 * which is why the Action's inputs that the file may set default to the empty string.
 */
export function buildConfig(raw: RawInputs, now: Date = new Date(), file?: ConfigFile): Config {
  const workspace = resolve(raw.workspace)
  const tempDir = raw.tempDir || tmpdir()
  const token = raw.token?.trim()
  const fromFile = file?.settings ?? {}
  return {
    workspace,
    lockfileGlobs: listOf(raw.lockfiles, fromFile.lockfiles),
    ...optional('baseRef', raw.baseRef?.trim()),
    ...optional('headRef', raw.headRef?.trim()),
    full: parseMode(raw.mode) === 'full',
    failOn: parseFailOn(raw.failOn || fromFile.failOn),
    iocFeeds: listOf(raw.iocFeeds, fromFile.iocFeeds),
    ...optional('token', token),
    reportPath: resolveOutputPath(raw.report, workspace, join(tempDir, 'lockgate', 'report.json')),
    sarifPath: resolveOutputPath(raw.sarif, workspace, join(tempDir, 'lockgate', 'results.sarif')),
    comment: parseCommentMode(raw.comment),
    ...optional('registryWebsite', raw.registryWebsite?.trim()),
    cacheDir: join(tempDir, 'lockgate-cache'),
    concurrency: parseConcurrency(raw.concurrency),
    analysisWorkers: parseAnalysisWorkers(raw.analysisWorkers),
    minReleaseAgeMs: parseDuration(raw.minReleaseAge || fromFile.minReleaseAge, 'min-release-age'),
    minReleaseAgeExclude: listOf(raw.minReleaseAgeExclude, fromFile.minReleaseAgeExclude),
    allowedRegistries: listOf(raw.allowedRegistries, fromFile.allowedRegistries),
    ...osvConfig(
      {
        ...raw,
        // an osv-db input alone means offline, whatever mode the file names
        osv: raw.osv || (raw.osvDb ? '' : fromFile.osv),
        osvDb: raw.osvDb || fromFile.osvDb
      },
      workspace
    ),
    warnOnly: parseBoolean(raw.warnOnly, 'warn-only') ?? fromFile.warnOnly ?? false,
    policy: { file: file?.path ?? DEFAULT_CONFIG_PATH, ...(file?.policy ?? EMPTY_POLICY) },
    now
  }
}

const EMPTY_POLICY: Omit<Policy, 'file'> = { rules: {}, allow: [], deny: [] }

/** A given input (a comma or newline separated string) replaces the file's list entirely. */
function listOf(input: string | undefined, fromFile: string[] | undefined): string[] {
  const given = splitList(input)
  return given.length > 0 ? given : [...(fromFile ?? [])]
}

/** `true`/`false` in any case; undefined when not given. */
function parseBoolean(value: string | undefined, input: string): boolean | undefined {
  const text = (value ?? '').trim().toLowerCase()
  if (text === '') return undefined
  if (text === 'true' || text === 'false') return text === 'true'
  throw new GateError('ECONFIG', `${input} "${value}" is not one of: true, false`)
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

/** `auto`: one worker per core the process may use (the main thread mostly waits on the network). */
function parseAnalysisWorkers(value: string | undefined): number {
  const text = (value ?? '').trim().toLowerCase()
  if (text === '' || text === 'auto') return Math.min(availableParallelism(), MAX_ANALYSIS_WORKERS)
  const parsed = Number(text)
  if (Number.isInteger(parsed) && parsed >= 0 && parsed <= MAX_ANALYSIS_WORKERS) return parsed
  throw new GateError(
    'ECONFIG',
    `analysis-workers "${value}" must be auto or a whole number from 0 to ${MAX_ANALYSIS_WORKERS}`
  )
}

const MAX_ANALYSIS_WORKERS = 16

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

function resolveOutputPath(value: string | undefined, workspace: string, fallback: string): string {
  if (!value) return fallback
  return isAbsolute(value) ? value : join(workspace, value)
}

function parseCommentMode(value: string | undefined): CommentMode {
  const mode = (value || 'never').trim().toLowerCase()
  if (isCommentMode(mode)) return mode
  throw new GateError('ECONFIG', `comment "${value}" is not one of: ${COMMENT_MODES.join(', ')}`)
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {}
}
