// pacote options from npm configuration, read in the same layers lockgate reads them (user
// .npmrc, the lockfile folder's .npmrc, NPM_CONFIG_* variables), so that the floor fetches from
// the same registry with the same credentials. Only the keys that matter for fetching are kept.
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

const RENAMED = {
  'strict-ssl': ['strictSSL', (value) => value !== 'false'],
  ca: ['ca', String],
  proxy: ['proxy', String],
  'https-proxy': ['httpsProxy', String],
  noproxy: ['noProxy', String],
  maxsockets: ['maxSockets', Number],
  'fetch-timeout': ['timeout', Number]
}

export function npmOptionsFor(dir, env = process.env) {
  const userConfig = env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig
  const files = [userConfig ?? join(homedir(), '.npmrc'), join(dir, '.npmrc')]
  const raw = {}
  for (const file of files) Object.assign(raw, readNpmrc(file, env))
  for (const [key, value] of Object.entries(env)) {
    if (!/^npm_config_/i.test(key) || !value) continue
    const name = key.slice('npm_config_'.length)
    raw[name.startsWith('//') ? name : name.toLowerCase().replace(/(?!^)_/g, '-')] = value
  }
  return toPacoteOptions(raw)
}

function readNpmrc(file, env) {
  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return {}
  }
  const config = {}
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim()
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue
    const equals = trimmed.indexOf('=')
    if (equals < 1) continue
    const key = trimmed.slice(0, equals).trim()
    const value = trimmed
      .slice(equals + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2')
      .replace(/\$\{([^${}]{1,256})\}/g, (_, name) => env[name.replace(/\?$/, '')] ?? '')
    config[key] = value
  }
  return config
}

function toPacoteOptions(raw) {
  const options = {}
  for (const [key, value] of Object.entries(raw)) {
    if (RENAMED[key]) {
      const [name, convert] = RENAMED[key]
      options[name] = convert(value)
    } else if (key === 'registry' || /^@[^/:]+:registry$/.test(key) || key.startsWith('//')) {
      options[key] = value
    }
  }
  if (raw.cafile && options.ca === undefined) {
    try {
      options.ca = readFileSync(raw.cafile, 'utf8')
    } catch {
      // an unreadable cafile: let the TLS defaults apply, as lockgate does
    }
  }
  return options
}
