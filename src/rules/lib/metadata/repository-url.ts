// Normalises a package.json `repository` field so that the spellings of one repository compare
// equal: `git+https://github.com/a/b.git`, `github:a/b`, `a/b`, `git@github.com:a/b.git` and
// `https://github.com/a/b/tree/main/packages/x` all become `github.com/a/b`.
// The field is attacker-controlled text: input is bounded and every pattern is anchored and linear.
import type { Manifest } from '../../../types.js'

export interface RepositoryRef {
  /** Lower-case host without `www.`, e.g. `github.com`. */
  host: string
  /** Owner (user or organisation), as the first path segment. */
  owner: string
  /** `owner/repo` (deeper for hosts with subgroups). */
  path: string
  /** `host/path`: what two spellings of one repository share. */
  key: string
}

const MAX_LENGTH = 500
const SHORTHAND_HOSTS: Record<string, string> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  bitbucket: 'bitbucket.org',
  gist: 'gist.github.com'
}
/** Hosts whose repository is exactly `owner/repo`; deeper paths point inside it. */
const TWO_SEGMENT_HOSTS = new Set(['github.com', 'bitbucket.org'])
/** Hosts whose paths are case-insensitive. */
const CASE_INSENSITIVE_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org'])

/** The repository URL text of a manifest's `repository` field (string or `{ url }`). */
export function repositoryText(manifest: Manifest | undefined): string | undefined {
  const field = manifest?.repository
  const text = typeof field === 'string' ? field : field?.url
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined
}

export function normalizeRepository(text: string | undefined): RepositoryRef | undefined {
  if (!text || text.length > MAX_LENGTH) return undefined
  const split = splitHostAndPath(text.trim())
  if (!split) return undefined
  const host = split.host.toLowerCase().replace(/^www\./, '')
  let segments = cleanPath(split.path)
  if (TWO_SEGMENT_HOSTS.has(host)) segments = segments.slice(0, 2)
  if (segments.length === 0 || host === '') return undefined
  let path = segments.join('/')
  if (CASE_INSENSITIVE_HOSTS.has(host)) path = path.toLowerCase()
  return { host, owner: path.split('/')[0], path, key: `${host}/${path}` }
}

/** A manifest's repository, normalised. */
export function repositoryOf(manifest: Manifest | undefined): RepositoryRef | undefined {
  return normalizeRepository(repositoryText(manifest))
}

function splitHostAndPath(text: string): { host: string; path: string } | undefined {
  const shorthand = /^([a-z]{4,9}):([^/:][^:]*)$/i.exec(text)
  if (shorthand && SHORTHAND_HOSTS[shorthand[1].toLowerCase()]) {
    return { host: SHORTHAND_HOSTS[shorthand[1].toLowerCase()], path: shorthand[2] }
  }
  // `owner/repo`: npm's GitHub shorthand
  if (/^[\w.-]{1,100}\/[\w.-]{1,100}$/.test(text)) return { host: 'github.com', path: text }
  // scp-like `git@host:owner/repo.git`
  const scp = /^[\w.-]{1,100}@([\w.-]{1,253}):([^/].*)$/.exec(text)
  if (scp && !text.includes('://')) return { host: scp[1], path: scp[2] }
  try {
    const url = new URL(text.replace(/^git\+/i, ''))
    return { host: url.hostname, path: url.pathname }
  } catch {
    return undefined
  }
}

/** Path segments without `.git`, fragments, queries and in-repository suffixes (`/tree/...`, `/-/...`). */
function cleanPath(path: string): string[] {
  const withoutSuffix = path.split(/[#?]/)[0]
  const segments: string[] = []
  for (const segment of withoutSuffix.split('/')) {
    if (segment === '') continue
    if (segment === '-' || segment === 'tree' || segment === 'blob') break
    segments.push(segment)
  }
  const last = segments.length - 1
  if (last >= 0) segments[last] = segments[last].replace(/\.git$/i, '')
  return segments.filter((segment) => segment !== '')
}
