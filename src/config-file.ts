// The configuration file (`.github/lockgate.yml` by default): YAML, validated against the JSON
// schema shipped at the repository root (lockgate.schema.json, which editors use for completion)
// and then checked for what a schema cannot say (semver ranges, calendar dates, rule ids). Every
// message names the file, the line and the key path: `.github/lockgate.yml:14: allow[1].reason is
// required`. The file only sets values; buildConfig (config.ts) lets given inputs override them.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import semver from 'semver'
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import schema from '../lockgate.schema.json' with { type: 'json' }
import {
  buildConfig,
  DEFAULT_CONFIG_PATH,
  parseDuration,
  type AllowEntry,
  type Config,
  type ConfigFile,
  type DenyEntry,
  type FileSettings,
  type RawInputs,
  type RuleSetting
} from './config.js'
import { errorMessage, GateError } from './errors.js'
import { firstLine as firstGitLine, runGit } from './github/git.js'
import { RULES } from './rules/index.js'
import type { Severity } from './types.js'

/** A configuration file is a few kilobytes; anything far larger is a mistake, not a policy. */
export const MAX_CONFIG_BYTES = 1024 * 1024

/** Rules the `allow` list and severity overrides may not touch: a deny always fails. */
const DENIED_RULE = 'policy/denied'

type Segment = string | number

interface Issue {
  line: number
  message: string
}

/** Reads the configuration file named by the `config` input, or the default one, then builds the
 *  Config with the inputs over the file. */
export async function loadConfig(
  raw: RawInputs,
  now: Date = new Date(),
  trusted?: { baseCommit: string; onChanged: (message: string) => void }
): Promise<Config> {
  const workspace = resolve(raw.workspace)
  const file = trusted
    ? await readConfigFileAtBase(workspace, trusted.baseCommit, raw.config, trusted.onChanged)
    : await readConfigFile(workspace, raw.config)
  return buildConfig(raw, now, file)
}

/**
 * On a pull request the policy comes from the base commit: the pull request itself could
 * otherwise add an `allow` entry for its own package or turn on `warn-only`. A change to the file
 * takes effect once merged; `onChanged` is told when this pull request changes it.
 */
export async function readConfigFileAtBase(
  workspace: string,
  baseCommit: string,
  given: string | undefined,
  onChanged: (message: string) => void
): Promise<ConfigFile | undefined> {
  const explicit = given?.trim()
  const path = explicit || DEFAULT_CONFIG_PATH
  // a file outside the repository (an absolute path) is not part of the pull request
  if (isAbsolute(path)) return readConfigFile(workspace, given)
  const atBase = await gitShow(workspace, baseCommit, path)
  const inTree = await readBounded(join(workspace, path)).catch(() => undefined)
  if (atBase !== inTree) {
    onChanged(
      `This pull request changes ${path}; the gate applies the base commit's version ` +
        '(a pull request cannot relax its own gate). The change takes effect once merged.'
    )
  }
  if (atBase === undefined) {
    if (explicit && inTree === undefined) {
      throw new GateError('ECONFIG', `the configuration file ${path} does not exist`, {
        file: path
      })
    }
    return undefined
  }
  return parseConfigFile(atBase, path)
}

/** The file's text at a commit (fetching that one commit if a shallow clone lacks it), or
 *  undefined when the file does not exist there. */
async function gitShow(
  workspace: string,
  commit: string,
  path: string
): Promise<string | undefined> {
  const hasCommit = await runGit(workspace, ['cat-file', '-e', `${commit}^{commit}`])
  if (!hasCommit.ok) {
    await runGit(workspace, [
      'fetch',
      '--no-tags',
      '--depth=1',
      'origin',
      '--end-of-options',
      commit
    ])
  }
  const shown = await runGit(workspace, [
    'show',
    '--no-textconv',
    '--end-of-options',
    `${commit}:./${path}`
  ])
  if (shown.ok) {
    if (shown.stdout.length > MAX_CONFIG_BYTES) {
      throw new GateError(
        'ECONFIG',
        `${path} at ${commit} is larger than ${MAX_CONFIG_BYTES} bytes`,
        { file: path }
      )
    }
    return shown.stdout
  }
  if (/does not exist|exists on disk, but not in/.test(shown.stderr)) return undefined
  throw new GateError(
    'ECONFIG',
    `cannot read ${path} at the base commit ${commit}: ${firstGitLine(shown.stderr)}`,
    { file: path }
  )
}

/**
 * The parsed file, or undefined when no path is given and the default file does not exist. A file
 * named explicitly must exist: a typo in the path must not silently drop the policy.
 */
export async function readConfigFile(
  workspace: string,
  given?: string
): Promise<ConfigFile | undefined> {
  const explicit = given?.trim()
  const path = explicit || DEFAULT_CONFIG_PATH
  const absolute = isAbsolute(path) ? path : join(workspace, path)
  const shown = displayPath(workspace, absolute)
  let text: string
  try {
    text = await readBounded(absolute)
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new GateError(
      'ECONFIG',
      `cannot read the configuration file ${shown}: ${reason(error)}`,
      {
        file: shown
      }
    )
  }
  return parseConfigFile(text, shown)
}

async function readBounded(path: string): Promise<string> {
  const { size } = await stat(path)
  if (size > MAX_CONFIG_BYTES) throw new Error(`it is over ${MAX_CONFIG_BYTES} bytes`)
  return readFile(path, 'utf8')
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' ? 'no such file' : errorMessage(error)
}

function displayPath(workspace: string, absolute: string): string {
  const inside = relative(workspace, absolute)
  if (inside.startsWith('..') || isAbsolute(inside)) return absolute
  return inside.split(sep).join('/')
}

/** Parses and validates the text of a configuration file; `path` is how messages name it. */
export function parseConfigFile(
  text: string,
  path: string,
  knownRuleIds: ReadonlySet<string> = new Set(RULES.map((rule) => rule.meta.id))
): ConfigFile {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false })
  const lineAt = (offset: number | undefined) => (offset ? lineCounter.linePos(offset).line : 1)
  const fail = (issues: Issue[]): never => raise(path, issues)
  if (doc.errors.length > 0) {
    fail(doc.errors.map((e) => ({ line: lineAt(e.pos[0]), message: `YAML: ${firstLine(e)}` })))
  }
  const data = toData(doc, fail)
  const locate = locator(doc, lineAt)
  const schemaIssues = validateSchema(data).map((error) => describeSchemaError(error, data, locate))
  if (schemaIssues.length > 0) fail(schemaIssues)
  const file = data as RawFile
  const semanticIssues = checkSemantics(file, knownRuleIds, locate)
  if (semanticIssues.length > 0) fail(semanticIssues)
  return toConfigFile(file, path, locate)
}

/** yaml bounds alias expansion (a "billion laughs" file throws); that is a file error too. */
function toData(doc: Document, fail: (issues: Issue[]) => never): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 }) ?? {}
  } catch (error) {
    return fail([{ line: 1, message: `YAML: ${errorMessage(error)}` }])
  }
}

function firstLine(error: Error): string {
  return error.message.split('\n')[0] ?? error.message
}

function raise(path: string, issues: Issue[]): never {
  const sorted = [...issues].sort((a, b) => a.line - b.line)
  const unique = [...new Set(sorted.map((issue) => `${path}:${issue.line}: ${issue.message}`))]
  throw new GateError('ECONFIG', unique.join('\n'), { file: path, line: sorted[0]?.line ?? 1 })
}

// ---- locating keys ----

interface Locator {
  /** Line of the value at `segments` (or of its closest existing parent). */
  line(segments: Segment[]): number
  /** Line of the key `key` inside the mapping at `segments`. */
  keyLine(segments: Segment[], key: string): number
}

function locator(doc: Document, lineAt: (offset: number | undefined) => number): Locator {
  const nodeAt = (segments: Segment[]): Node | undefined => {
    for (let n = segments.length; n > 0; n--) {
      const node: unknown = doc.getIn(segments.slice(0, n), true)
      if (isNode(node)) return node
    }
    return isNode(doc.contents) ? doc.contents : undefined
  }
  return {
    line: (segments) => lineAt(nodeAt(segments)?.range?.[0]),
    keyLine: (segments, key) => {
      const node = nodeAt(segments)
      const pair = isMap(node)
        ? node.items.find((item) => isScalar(item.key) && item.key.value === key)
        : undefined
      const keyNode = pair && isScalar(pair.key) ? pair.key : node
      return lineAt(keyNode?.range?.[0])
    }
  }
}

/** `allow[1].reason`, `rules["content/new-endpoint"].severity`, `fail-on`. */
export function keyPath(segments: Segment[]): string {
  let text = ''
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text ? `.${segment}` : segment
    else text += `[${JSON.stringify(segment)}]`
  }
  return text
}

// ---- schema ----

let compiled: ReturnType<Ajv2020['compile']> | undefined

function validateSchema(data: unknown): ErrorObject[] {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema)
  return compiled(data) ? [] : (compiled.errors ?? [])
}

function describeSchemaError(error: ErrorObject, data: unknown, locate: Locator): Issue {
  const segments = pointerSegments(error.instancePath, data)
  const where = keyPath(segments)
  const line = locate.line(segments)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return {
        line,
        message: `${keyPath([...segments, String(params.missingProperty)])} is required`
      }
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = Object.keys(schemaPropertiesAt(segments)).join(', ')
      return {
        line: locate.keyLine(segments, key),
        message: `${keyPath([...segments, key])} is not a known key (known: ${known})`
      }
    }
    case 'enum':
      return {
        line,
        message: `${where} is ${shown(valueAt(data, segments))}, not one of: ${(params.allowedValues as unknown[]).join(', ')}`
      }
    case 'type':
      return { line, message: `${where || 'the file'} must be ${typeName(params.type)}` }
    case 'pattern':
      return { line, message: `${where} must be a date written YYYY-MM-DD` }
    case 'minLength':
    case 'minItems':
      return { line, message: `${where} must not be empty` }
    default:
      return { line, message: `${where} ${error.message ?? 'is invalid'}` }
  }
}

/** A value from the file, quoted and cut short: it ends up in an annotation. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}

function typeName(type: unknown): string {
  const names: Record<string, string> = {
    object: 'a mapping of keys to values',
    array: 'a list',
    string: 'a string',
    integer: 'a whole number',
    boolean: 'true or false'
  }
  const types = Array.isArray(type) ? type : [type]
  return types.map((t) => names[String(t)] ?? String(t)).join(' or ')
}

/** JSON pointer -> segments, with array indexes as numbers (they print as `[1]`). */
function pointerSegments(pointer: string, data: unknown): Segment[] {
  const segments: Segment[] = []
  let value = data
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    const segment: Segment = Array.isArray(value) ? Number(key) : key
    segments.push(segment)
    value = (value as Record<string, unknown> | undefined)?.[segment]
  }
  return segments
}

function valueAt(data: unknown, segments: Segment[]): unknown {
  return segments.reduce<unknown>(
    (value, segment) => (value as Record<Segment, unknown> | undefined)?.[segment],
    data
  )
}

const ENTRY_DEFINITIONS: Record<string, string> = {
  rules: 'ruleSetting',
  allow: 'allowEntry',
  deny: 'denyEntry'
}

/** The properties the schema allows at a path: for "unknown key" messages. */
function schemaPropertiesAt(segments: Segment[]): Record<string, unknown> {
  const defs = schema.$defs as Record<string, { properties: Record<string, unknown> }>
  const definition = segments.length === 2 ? ENTRY_DEFINITIONS[String(segments[0])] : undefined
  return (definition ? defs[definition]?.properties : undefined) ?? schema.properties
}

// ---- semantic checks ----

interface RawAllow {
  package: string
  versions?: string
  rules?: string[]
  reason: string
  expires?: string
}

interface RawDeny {
  package?: string
  versions?: string
  publisher?: string
  reason: string
}

interface RawFile {
  'fail-on'?: Severity
  'warn-only'?: boolean
  'min-release-age'?: string | number
  'min-release-age-exclude'?: string[]
  'allowed-registries'?: string[]
  'ioc-feeds'?: string[]
  osv?: FileSettings['osv']
  'osv-db'?: string
  lockfiles?: string[]
  rules?: Record<string, RuleSetting>
  allow?: RawAllow[]
  deny?: RawDeny[]
}

function checkSemantics(file: RawFile, known: ReadonlySet<string>, locate: Locator): Issue[] {
  return [
    ...checkDuration(file, locate),
    ...checkRules(file.rules ?? {}, known, locate),
    ...(file.allow ?? []).flatMap((entry, i) => checkAllow(entry, i, known, locate)),
    ...(file.deny ?? []).flatMap((entry, i) => checkDeny(entry, i, locate))
  ]
}

function checkDuration(file: RawFile, locate: Locator): Issue[] {
  const value = file['min-release-age']
  if (value === undefined) return []
  try {
    parseDuration(String(value), 'min-release-age')
    return []
  } catch (error) {
    return [{ line: locate.line(['min-release-age']), message: errorMessage(error) }]
  }
}

function checkRules(
  rules: Record<string, RuleSetting>,
  known: ReadonlySet<string>,
  locate: Locator
): Issue[] {
  const issues: Issue[] = []
  for (const [id, setting] of Object.entries(rules)) {
    const line = locate.keyLine(['rules'], id)
    if (!known.has(id)) {
      issues.push({ line, message: `${keyPath(['rules', id])}: unknown rule id ${shown(id)}` })
    } else if (id === DENIED_RULE && (setting.enabled === false || setting.severity)) {
      issues.push({
        line,
        message: `${keyPath(['rules', id])}: deny entries always fail; remove the deny entry instead`
      })
    }
  }
  return issues
}

function checkAllow(
  entry: RawAllow,
  index: number,
  known: ReadonlySet<string>,
  locate: Locator
): Issue[] {
  const at = (key: string) => ['allow', index, key]
  const issues = [
    ...checkRange(entry.versions, at('versions'), locate),
    ...checkDate(entry.expires, at('expires'), locate)
  ]
  ;(entry.rules ?? []).forEach((id, i) => {
    const segments = ['allow', index, 'rules', i]
    if (!known.has(id)) {
      issues.push({
        line: locate.line(segments),
        message: `${keyPath(segments)}: unknown rule id ${shown(id)}`
      })
    } else if (id.startsWith('policy/')) {
      issues.push({
        line: locate.line(segments),
        message: `${keyPath(segments)}: ${id} cannot be allowed`
      })
    }
  })
  return issues
}

function checkDeny(entry: RawDeny, index: number, locate: Locator): Issue[] {
  const line = locate.line(['deny', index])
  const where = keyPath(['deny', index])
  if (entry.package === undefined && entry.publisher === undefined) {
    return [{ line, message: `${where} needs a package or a publisher` }]
  }
  if (entry.package !== undefined && entry.publisher !== undefined) {
    return [{ line, message: `${where} has both a package and a publisher: write two entries` }]
  }
  if (entry.publisher !== undefined && entry.versions !== undefined) {
    return [{ line, message: `${where}.versions only applies to a package entry` }]
  }
  return checkRange(entry.versions, ['deny', index, 'versions'], locate)
}

function checkRange(range: string | undefined, segments: Segment[], locate: Locator): Issue[] {
  if (range === undefined || semver.validRange(range) !== null) return []
  return [
    {
      line: locate.line(segments),
      message: `${keyPath(segments)} ${shown(range)} is not a semver range (e.g. "1.2.3", "^4.0.0", ">=2 <3")`
    }
  ]
}

function checkDate(date: string | undefined, segments: Segment[], locate: Locator): Issue[] {
  if (date === undefined || isCalendarDate(date)) return []
  return [
    {
      line: locate.line(segments),
      message: `${keyPath(segments)} ${shown(date)} is not a calendar date`
    }
  ]
}

/** `2026-02-30` matches the pattern but is no day. */
export function isCalendarDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`)
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text
}

// ---- conversion ----

function toConfigFile(file: RawFile, path: string, locate: Locator): ConfigFile {
  return {
    path,
    settings: settingsOf(file),
    policy: {
      rules: file.rules ?? {},
      allow: (file.allow ?? []).map((entry, i) => allowEntry(entry, locate.line(['allow', i]))),
      deny: (file.deny ?? []).map((entry, i) => denyEntry(entry, locate.line(['deny', i])))
    }
  }
}

function settingsOf(file: RawFile): FileSettings {
  const settings: FileSettings = {}
  if (file['fail-on'] !== undefined) settings.failOn = file['fail-on']
  if (file['warn-only'] !== undefined) settings.warnOnly = file['warn-only']
  if (file['min-release-age'] !== undefined) {
    settings.minReleaseAge = String(file['min-release-age'])
  }
  if (file['min-release-age-exclude']) {
    settings.minReleaseAgeExclude = file['min-release-age-exclude']
  }
  if (file['allowed-registries']) settings.allowedRegistries = file['allowed-registries']
  if (file['ioc-feeds']) settings.iocFeeds = file['ioc-feeds']
  if (file.osv !== undefined) settings.osv = file.osv
  if (file['osv-db'] !== undefined) settings.osvDb = file['osv-db']
  if (file.lockfiles) settings.lockfiles = file.lockfiles
  return settings
}

function allowEntry(entry: RawAllow, line: number): AllowEntry {
  return {
    package: entry.package,
    versions: entry.versions ?? '*',
    ...(entry.rules ? { rules: entry.rules } : {}),
    reason: entry.reason,
    ...(entry.expires ? { expires: entry.expires } : {}),
    line
  }
}

function denyEntry(entry: RawDeny, line: number): DenyEntry {
  return {
    ...(entry.package !== undefined ? { package: entry.package } : {}),
    ...(entry.package !== undefined ? { versions: entry.versions ?? '*' } : {}),
    ...(entry.publisher !== undefined ? { publisher: entry.publisher } : {}),
    reason: entry.reason,
    line
  }
}
