// Reads npm configuration the way npm does, so that lockgate fetches from the same registries with
// the same credentials as `npm ci` would: user config, then the workspace's and the lockfile's
// `.npmrc`, then `NPM_CONFIG_*` environment variables (each layer overrides the one before).
// Registry keys (`registry`, `@scope:registry`, nerf-darted `//host/path/:_authToken`) pass to
// pacote unchanged; a few general settings are renamed to the option names pacote expects.
// Tokens are values like any other here: this module never logs anything.
import { readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import pacote from 'pacote'

/** Options handed to pacote (and through it to npm-registry-fetch). */
export type NpmOptions = Record<string, unknown>

export interface NpmConfigSources {
  /** Repository root. */
  workspace: string
  /** Absolute directory of the lockfile. */
  lockfileDir: string
  env: NodeJS.ProcessEnv
  homedir: string
}

const AUTH_SUFFIXES = [
  '_authToken',
  '_auth',
  'username',
  '_password',
  'email',
  'certfile',
  'keyfile'
]

/** npm's dashed setting -> pacote option, with how to read its string value. */
const FLAT_OPTIONS: Record<string, { key: string; type: 'string' | 'number' | 'boolean' }> = {
  'strict-ssl': { key: 'strictSSL', type: 'boolean' },
  ca: { key: 'ca', type: 'string' },
  proxy: { key: 'proxy', type: 'string' },
  'https-proxy': { key: 'httpsProxy', type: 'string' },
  noproxy: { key: 'noProxy', type: 'string' },
  'no-proxy': { key: 'noProxy', type: 'string' },
  maxsockets: { key: 'maxSockets', type: 'number' },
  'fetch-timeout': { key: 'timeout', type: 'number' },
  'fetch-retries': { key: 'fetchRetries', type: 'number' },
  'fetch-retry-factor': { key: 'fetchRetryFactor', type: 'number' },
  'fetch-retry-mintimeout': { key: 'fetchRetryMintimeout', type: 'number' },
  'fetch-retry-maxtimeout': { key: 'fetchRetryMaxtimeout', type: 'number' },
  'user-agent': { key: 'userAgent', type: 'string' },
  'local-address': { key: 'localAddress', type: 'string' }
}

export function loadNpmConfig(sources: NpmConfigSources): NpmOptions {
  const raw: Record<string, string> = {}
  for (const file of npmrcFiles(sources)) Object.assign(raw, readNpmrc(file, sources.env))
  Object.assign(raw, envConfig(sources.env))
  return toPacoteOptions(raw)
}

/** The registry pacote will use for a package: its scope's registry, else the default one. */
export function registryFor(name: string, npmOptions: NpmOptions): string {
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined
  const scoped = scope ? npmOptions[`${scope}:registry`] : undefined
  if (typeof scoped === 'string' && scoped) return withTrailingSlash(scoped)
  if (typeof npmOptions.registry === 'string' && npmOptions.registry) {
    return withTrailingSlash(npmOptions.registry)
  }
  // pacote knows the default registry: ask it rather than repeating its host here
  return withTrailingSlash(new (pacoteFetchers().RegistryFetcher)(name, npmOptions).registry)
}

/** pacote exports its fetcher classes, but its type definitions do not declare them. */
function pacoteFetchers(): {
  RegistryFetcher: new (spec: string, options: NpmOptions) => { registry: string }
} {
  return pacote as unknown as ReturnType<typeof pacoteFetchers>
}

/** Conventional tarball URL: `<registry>/<name>/-/<basename>-<version>.tgz`. */
export function tarballUrl(name: string, version: string, registry: string): string {
  const basename = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name
  return `${withTrailingSlash(registry)}${name}/-/${basename}-${version}.tgz`
}

/** A registry URL fit for a message: no user, password, query or fragment. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    parsed.search = ''
    parsed.hash = ''
    return parsed.toString()
  } catch {
    return '(invalid registry URL)'
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}

function npmrcFiles({ workspace, lockfileDir, env, homedir }: NpmConfigSources): string[] {
  const configured = env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig
  const user = configured ? expandHome(configured, homedir, workspace) : join(homedir, '.npmrc')
  const files = [user, join(workspace, '.npmrc'), join(lockfileDir, '.npmrc')]
  return files.filter((file, index) => files.indexOf(file) === index)
}

function expandHome(path: string, homedir: string, workspace: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir, path.slice(1))
  return isAbsolute(path) ? path : resolve(workspace, path)
}

function readNpmrc(file: string, env: NodeJS.ProcessEnv): Record<string, string> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return {} // a missing .npmrc is the common case
  }
  return parseNpmrc(text, env)
}

/** Parses `.npmrc` text: `key = value` lines, `#`/`;` comments, quoted values, `${VAR}`. */
export function parseNpmrc(text: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const config: Record<string, string> = {}
  for (const rawLine of text.split(/\r?\n/)) {
    const entry = parseLine(rawLine)
    if (!entry) continue
    const key = expandEnv(entry.key, env)
    const value = expandEnv(entry.value, env)
    // a value naming an unset variable is dropped rather than sent as a literal `${TOKEN}`
    if (key !== undefined && value !== undefined) config[key] = value
  }
  return config
}

function parseLine(rawLine: string): { key: string; value: string } | undefined {
  const line = rawLine.trim()
  if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) {
    return undefined
  }
  const eq = line.indexOf('=')
  if (eq <= 0) return undefined
  const key = line.slice(0, eq).trim()
  if (key.endsWith('[]')) return undefined // arrays are not used by any setting read here
  return { key, value: parseValue(line.slice(eq + 1).trim()) }
}

function parseValue(value: string): string {
  const quote = value[0]
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
    if (quote === '"') {
      try {
        return String(JSON.parse(value))
      } catch {
        // not valid JSON: fall through and strip the quotes
      }
    }
    return value.slice(1, -1)
  }
  return stripInlineComment(value)
}

/** Like npm's ini reader: an unescaped `;` or `#` starts a comment in an unquoted value. */
function stripInlineComment(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const char = value[i]
    if (char === '\\' && (value[i + 1] === ';' || value[i + 1] === '#')) {
      out += value[++i]
      continue
    }
    if (char === ';' || char === '#') break
    out += char
  }
  return out.trim()
}

/** `${VAR}` from the environment; `${VAR?}` may be unset (empty). Undefined when a `${VAR}` is unset. */
export function expandEnv(value: string, env: NodeJS.ProcessEnv): string | undefined {
  let missing = false
  const expanded = value.replace(/(\\*)\$\{([^${}]{1,256})\}/g, (match, slashes: string, name) => {
    // an odd number of backslashes escapes the reference
    if (slashes.length % 2 === 1) return `${slashes.slice(1)}\${${name}}`
    const optional = name.endsWith('?')
    const found = env[optional ? name.slice(0, -1) : name]
    if (found === undefined) {
      if (!optional) missing = true
      return slashes
    }
    return `${slashes}${found}`
  })
  return missing ? undefined : expanded
}

/** `NPM_CONFIG_FOO_BAR` -> `foo-bar`; a leading `_` stays (`_auth`); nerf-darted keys stay as is. */
export function envConfig(env: NodeJS.ProcessEnv): Record<string, string> {
  const config: Record<string, string> = {}
  for (const [envKey, value] of Object.entries(env)) {
    if (value === undefined || value === '' || !/^npm_config_/i.test(envKey)) continue
    let key = envKey.slice('npm_config_'.length)
    if (!key.startsWith('//')) key = canonicalKey(key.replace(/(?!^)_/g, '-').toLowerCase())
    if (key === 'userconfig') continue
    config[key] = value
  }
  return config
}

/** Environment names are case-insensitive; npm's own spelling of `_authToken` is not. */
function canonicalKey(key: string): string {
  return AUTH_SUFFIXES.find((suffix) => suffix.toLowerCase() === key) ?? key
}

function toPacoteOptions(raw: Record<string, string>): NpmOptions {
  const options: NpmOptions = {}
  for (const [key, value] of Object.entries(raw)) {
    const flat = FLAT_OPTIONS[key]
    if (flat) options[flat.key] = convert(value, flat.type)
    else if (isRegistryKey(key)) options[key] = registryValue(key, value)
  }
  if (typeof raw.cafile === 'string' && options.ca === undefined) {
    const ca = readCaFile(raw.cafile)
    if (ca) options.ca = ca
  }
  scopeTopLevelAuth(raw, options)
  return options
}

function isRegistryKey(key: string): boolean {
  return key === 'registry' || /^@[^/:]+:registry$/.test(key) || key.startsWith('//')
}

function registryValue(key: string, value: string): string {
  return key.endsWith('registry') ? withTrailingSlash(value) : value
}

function convert(value: string, type: 'string' | 'number' | 'boolean'): unknown {
  if (type === 'boolean') return value !== 'false'
  if (type === 'number') {
    const number = Number(value)
    return Number.isFinite(number) ? number : undefined
  }
  return value
}

function readCaFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Top-level `_authToken`, `_auth`, `username`/`_password` are bound to the configured default registry, never sent anywhere else. Without an
 * explicit registry they are ignored: a credential must not go to a host nobody configured.
 */
function scopeTopLevelAuth(raw: Record<string, string>, options: NpmOptions): void {
  const registry = options.registry
  if (typeof registry !== 'string') return
  const nerf = nerfDart(registry)
  if (!nerf) return
  for (const suffix of AUTH_SUFFIXES) {
    const value = raw[suffix]
    if (value !== undefined && options[`${nerf}:${suffix}`] === undefined) {
      options[`${nerf}:${suffix}`] = value
    }
  }
}

/** `https://host:8080/path/` -> `//host:8080/path/`, the form npm keys credentials by. */
export function nerfDart(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return `//${parsed.host}${withTrailingSlash(parsed.pathname)}`
  } catch {
    return undefined
  }
}
