// Where code reads credentials from: credential files in the home folder (`.npmrc`, `.ssh/id_rsa`,
// `.aws/credentials`...), browser and wallet stores, token environment variables, the whole
// environment at once, and cloud metadata endpoints. Pure functions over code facts (or one line of
// a script), so that several rules can ask the same question.
//
// Paths are recognised by their segments, in a string literal, in the constant arguments of a
// `path.join`/`resolve` call (`join(os.homedir(), '.aws', 'credentials')`), or in the words of a
// shell command. Strings with spaces are only read as commands when they start with a command
// (`cat ~/.npmrc`), so an error message that tells the user to edit `~/.npmrc` is not a read.
import type { FileFacts, StringFact } from '../code/types.js'

export type SourceGroup =
  | 'npm'
  | 'ssh'
  | 'aws'
  | 'gcloud'
  | 'azure'
  | 'kube'
  | 'docker'
  | 'dotenv'
  | 'git'
  | 'github'
  | 'wallet'
  | 'browser'
  | 'token-env'
  | 'env-dump'
  | 'cloud-metadata'

export interface CredentialSource {
  kind: 'credential-file' | 'env-var' | 'env-dump' | 'metadata-endpoint'
  /** What is read: `.npmrc`, `NPM_TOKEN`, `process.env`, `169.254.169.254`. */
  name: string
  group: SourceGroup
  line: number
  key: string
  needle?: string
}

export interface SourceOptions {
  /** The package's name: its own variables (`POSTMARK_TOKEN` in `postmark-mcp`) are not harvesting. */
  packageName?: string
}

const MAX_PATH_LENGTH = 400

/** A path marker: a test on the lower-cased segments of a path. */
interface PathMarker {
  name: string
  group: SourceGroup
  test(segments: string[]): boolean
}

const has = (segments: string[], name: string) => segments.includes(name)
const last = (segments: string[]) => segments[segments.length - 1] ?? ''
const follows = (segments: string[], first: string, second: string) =>
  segments.some((segment, index) => segment === first && segments[index + 1] === second)

const SSH_KEY = /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/
const SSH_PUBLIC = new Set(['known_hosts', 'config', 'authorized_keys'])
const DOTENV = /^\.env(?:\.[a-z0-9_-]{1,30})?$/
const DOTENV_TEMPLATE = /\.(?:example|sample|template|defaults?|dist)$/

const MARKERS: PathMarker[] = [
  { name: '.npmrc', group: 'npm', test: (s) => has(s, '.npmrc') },
  {
    name: '.ssh',
    group: 'ssh',
    test: (s) => SSH_KEY.test(last(s)) || (has(s, '.ssh') && !SSH_PUBLIC.has(last(s)))
  },
  { name: '.aws/credentials', group: 'aws', test: (s) => has(s, '.aws') && last(s) !== 'config' },
  {
    name: '.config/gcloud',
    group: 'gcloud',
    test: (s) => follows(s, '.config', 'gcloud') || has(s, 'application_default_credentials.json')
  },
  { name: '.azure', group: 'azure', test: (s) => has(s, '.azure') },
  { name: '.kube/config', group: 'kube', test: (s) => has(s, '.kube') },
  {
    name: '.docker/config.json',
    group: 'docker',
    test: (s) => follows(s, '.docker', 'config.json')
  },
  {
    name: '.env',
    group: 'dotenv',
    test: (s) => DOTENV.test(last(s)) && !DOTENV_TEMPLATE.test(last(s))
  },
  { name: '.git-credentials', group: 'git', test: (s) => has(s, '.git-credentials') },
  { name: '.netrc', group: 'git', test: (s) => has(s, '.netrc') || has(s, '_netrc') },
  {
    name: 'Local Storage/leveldb',
    group: 'browser',
    test: (s) => follows(s, 'local storage', 'leveldb')
  },
  { name: 'Login Data', group: 'browser', test: (s) => last(s) === 'login data' && s.length > 1 },
  { name: '.ethereum/keystore', group: 'wallet', test: (s) => follows(s, '.ethereum', 'keystore') },
  { name: '.config/solana/id.json', group: 'wallet', test: (s) => follows(s, 'solana', 'id.json') },
  {
    name: 'Exodus',
    group: 'wallet',
    test: (s) => s.length > 1 && (has(s, 'exodus') || has(s, 'exodus.wallet'))
  },
  { name: 'MetaMask', group: 'wallet', test: (s) => s.length > 1 && has(s, 'metamask') },
  {
    name: 'MetaMask',
    group: 'wallet',
    test: (s) => s.some((x) => x.includes('nkbihfbeogaeaoehlefnkodbefgpgknn'))
  }
]

/** Commands whose arguments are paths that get read (or copied, or sent). */
const READING_COMMANDS = new Set([
  'cat',
  'type',
  'cp',
  'copy',
  'scp',
  'rsync',
  'tar',
  'zip',
  'gzip',
  'base64',
  'xxd',
  'head',
  'tail',
  'more',
  'less',
  'curl',
  'wget',
  'find',
  'grep',
  'strings',
  'openssl',
  'get-content',
  'gc'
])

const METADATA_HOSTS = [
  '169.254.169.254',
  'metadata.google.internal',
  '169.254.170.2',
  'fd00:ec2::254',
  '100.100.100.200'
]

/** The credential file a path points at, if any. */
export function credentialPath(path: string): PathMarker | undefined {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) return undefined
  const segments = path
    .toLowerCase()
    .replace(/\\+/g, '/')
    .split('/')
    .map((segment) =>
      segment.replace(/^(?:~|\$home|\$\{home\}|%userprofile%|\$env:userprofile)$/, '')
    )
    .filter((segment) => segment.length > 0)
  if (segments.length === 0) return undefined
  return MARKERS.find((marker) => marker.test(segments))
}

/** Credential paths in a literal: the literal itself when it is a path, the words of a command. */
export function credentialPathsInText(text: string): PathMarker[] {
  if (text.length > MAX_PATH_LENGTH) return []
  if (!/\s/.test(text.replace(/local storage|application support|user data|login data/gi, ''))) {
    const marker = credentialPath(text)
    return marker ? [marker] : []
  }
  const words = text.split(/[\s"'`=;|&<>()]+/).filter((word) => word.length > 0)
  if (!READING_COMMANDS.has((words[0] ?? '').toLowerCase())) return []
  return words.slice(1).flatMap((word) => {
    const marker = credentialPath(word)
    return marker ? [marker] : []
  })
}

// ---- environment variables ----

const WELL_KNOWN_ENV: Record<string, SourceGroup> = {
  NPM_TOKEN: 'npm',
  NODE_AUTH_TOKEN: 'npm',
  NPM_AUTH_TOKEN: 'npm',
  GITHUB_TOKEN: 'github',
  GH_TOKEN: 'github',
  GH_PAT: 'github',
  GITHUB_PAT: 'github',
  AWS_ACCESS_KEY_ID: 'aws',
  AWS_SECRET_ACCESS_KEY: 'aws',
  AWS_SESSION_TOKEN: 'aws'
}
const SECRET_ENV = /(?:_TOKEN|_SECRET|_KEY|_APIKEY|_PAT)$|PASSWORD|PASSWD/
const NOT_SECRET_ENV = /(?:PUBLIC|PUBLISHABLE)_KEY$|^(?:SORT|PRIMARY|CACHE|PARTITION)_KEY$/
/**
 * Test-only switches: `TEST_NPM_PASSWORD` in yarn's bundle is the package's own test login, set by
 * its test suite, not a victim's credential. A harvester reads the names real machines have.
 */
const TEST_ONLY_ENV = /^(?:TEST|TESTS|TESTING|MOCK|FAKE|DUMMY|E2E)_/

/** The group of a token-looking environment variable name, or undefined for `NODE_ENV`, `CI`... */
export function secretEnvGroup(name: string): SourceGroup | undefined {
  const upper = name.toUpperCase()
  const known = WELL_KNOWN_ENV[upper]
  if (known) return known
  if (upper.length > 80 || !/^[A-Z0-9_]+$/.test(upper) || isNotSecretEnv(upper)) return undefined
  return SECRET_ENV.test(upper) ? 'token-env' : undefined
}

function isNotSecretEnv(upper: string): boolean {
  return NOT_SECRET_ENV.test(upper) || TEST_ONLY_ENV.test(upper)
}

/**
 * True when an environment variable belongs to the package itself: its first word is a word of the
 * package's name (`POSTMARK_SERVER_TOKEN` in `postmark-mcp`, `AWS_ACCESS_KEY_ID` in
 * `@aws-sdk/credential-providers`). Reading your own API key is configuration, not harvesting.
 */
export function isOwnVariable(name: string, packageName: string | undefined): boolean {
  if (!packageName) return false
  const prefix = name.toLowerCase().split('_')[0] ?? ''
  if (prefix.length < 3) return false
  return packageName
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => word === prefix)
}

const ENV_MEMBER =
  /^(?:process\.env|Deno\.env|Bun\.env|import\.meta\.env)\.([A-Za-z_][A-Za-z0-9_]*)$/
const SPAWN_CALL =
  /(?:^|\.)(?:spawn|spawnSync|exec|execSync|execFile|execFileSync|fork|execa|assign)$/

function envSources(facts: FileFacts, options: SourceOptions): CredentialSource[] {
  const sources: CredentialSource[] = []
  for (const member of facts.members) {
    if (member.assigned) continue
    const name = ENV_MEMBER.exec(member.path)?.[1]
    if (name) {
      const group = secretEnvGroup(name)
      if (group && !isOwnVariable(name, options.packageName)) {
        sources.push({
          kind: 'env-var',
          name,
          group,
          line: member.line,
          key: `env:${name}`,
          needle: name
        })
      }
    } else if (member.path === 'process.env' && !passesEnvToChild(facts, member.line)) {
      sources.push({
        kind: 'env-dump',
        name: 'process.env',
        group: 'env-dump',
        line: member.line,
        key: 'env:*',
        needle: 'process.env'
      })
    }
  }
  return sources
}

/**
 * `spawn(cmd, { env: { ...process.env, X: 1 } })` copies the environment to a child process, which
 * is how honest tools run subprocesses: an `env` key or a spawn call on the same or a nearby line.
 */
function passesEnvToChild(facts: FileFacts, line: number): boolean {
  const near = (other: number) => other <= line && other >= line - 3
  return (
    facts.properties.some((property) => property.key === 'env' && near(property.line)) ||
    facts.calls.some((call) => SPAWN_CALL.test(call.callee) && near(call.line))
  )
}

// ---- files and endpoints ----

function stringSources(strings: StringFact[], joinParts: Set<string>): CredentialSource[] {
  const sources: CredentialSource[] = []
  for (const fact of strings) {
    // a part of a `path.join(...)` is judged as the joined path (`.ssh` + `known_hosts`)
    const joined = joinParts.has(`${fact.line}\0${fact.value}`)
    for (const marker of joined ? [] : credentialPathsInText(fact.value)) {
      sources.push(fileSource(marker, fact.line, needleFor(fact.value, marker)))
    }
    const host = METADATA_HOSTS.find((candidate) => fact.value.includes(candidate))
    if (host && fact.value.length <= MAX_PATH_LENGTH) {
      sources.push({
        kind: 'metadata-endpoint',
        name: host,
        group: 'cloud-metadata',
        line: fact.line,
        key: `metadata:${host}`,
        needle: host
      })
    }
  }
  return sources
}

const JOIN_CALL = /(?:^|\.)(?:join|resolve)$/

/** `path.join(os.homedir(), '.config', 'gcloud')`: the constant parts, joined as one path. */
function joinedPathSources(facts: FileFacts): CredentialSource[] {
  const sources: CredentialSource[] = []
  for (const call of facts.calls) {
    if (!JOIN_CALL.test(call.callee)) continue
    const parts = call.args.filter((arg): arg is string => arg !== undefined)
    if (parts.length === 0) continue
    const marker = credentialPath(parts.join('/'))
    if (marker) sources.push(fileSource(marker, call.line, parts[parts.length - 1]))
  }
  return sources
}

function joinPartsOf(facts: FileFacts): Set<string> {
  const parts = new Set<string>()
  for (const call of facts.calls) {
    if (!JOIN_CALL.test(call.callee)) continue
    for (const arg of call.args) if (arg !== undefined) parts.add(`${call.line}\0${arg}`)
  }
  return parts
}

function fileSource(marker: PathMarker, line: number, needle?: string): CredentialSource {
  return {
    kind: 'credential-file',
    name: marker.name,
    group: marker.group,
    line,
    key: `file:${marker.name}`,
    ...(needle ? { needle } : {})
  }
}

function needleFor(value: string, marker: PathMarker): string {
  const words = value.split(/[\s"'`=;|&<>()]+/)
  return words.find((word) => credentialPath(word) === marker) ?? value.slice(0, 60)
}

/** Every credential source in a file's facts, one per (key, line). */
export function credentialSources(
  facts: FileFacts,
  options: SourceOptions = {}
): CredentialSource[] {
  return uniqueByKeyAndLine([
    ...stringSources(facts.strings, joinPartsOf(facts)),
    ...joinedPathSources(facts),
    ...envSources(facts, options)
  ])
}

// ---- scripts read line by line ----

const SHELL_ENV = /\$(?:\{|env:)?([A-Za-z_][A-Za-z0-9_]{1,80})/g
const SHELL_ENV_DUMP =
  /(?:^|[\s;|&(`])(?:printenv|env|set|Get-ChildItem\s+env:|gci\s+env:)(?=\s*(?:$|[|>;&)`]))/i

/** Credential sources in one line of a shell, PowerShell or batch script. */
export function credentialSourcesInLine(
  text: string,
  line: number,
  options: SourceOptions = {}
): CredentialSource[] {
  if (text.length > 4096) return []
  const sources: CredentialSource[] = []
  for (const word of text.split(/[\s"'`=;|&<>()]+/)) {
    const marker = word.length > 0 ? credentialPath(word) : undefined
    if (marker) sources.push(fileSource(marker, line, word))
  }
  for (const match of text.matchAll(SHELL_ENV)) {
    const name = match[1] ?? ''
    const group = secretEnvGroup(name)
    if (group && !isOwnVariable(name, options.packageName)) {
      sources.push({ kind: 'env-var', name, group, line, key: `env:${name}`, needle: name })
    }
  }
  if (SHELL_ENV_DUMP.test(text)) {
    sources.push({ kind: 'env-dump', name: 'env', group: 'env-dump', line, key: 'env:*' })
  }
  const host = METADATA_HOSTS.find((candidate) => text.includes(candidate))
  if (host) {
    sources.push({
      kind: 'metadata-endpoint',
      name: host,
      group: 'cloud-metadata',
      line,
      key: `metadata:${host}`,
      needle: host
    })
  }
  return uniqueByKeyAndLine(sources)
}

function uniqueByKeyAndLine(sources: CredentialSource[]): CredentialSource[] {
  const seen = new Set<string>()
  return sources.filter((source) => {
    const id = `${source.key}@${source.line}`
    return !seen.has(id) && Boolean(seen.add(id))
  })
}
