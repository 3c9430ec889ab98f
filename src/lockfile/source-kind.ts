// Where a locked package comes from. Only `registry` entries are fetched and analysed; every
// other source bypasses the registry checks, so the classification errs towards "not registry".
import type { SourceKind } from '../types.js'

const GIT_PREFIXES = ['git+', 'git:', 'github:', 'gitlab:', 'bitbucket:', 'gist:']

/**
 * Classify an entry from its `resolved` value and its `version` (lockfile v1 writes git, file and
 * tarball specs in `version`).
 */
export function classifySource(name: string, version: string, resolved?: string): SourceKind {
  for (const spec of resolved === undefined ? [version] : [resolved, version]) {
    const local = localOrGitSource(spec)
    if (local) return local
  }
  if (resolved !== undefined)
    return isRegistryTarball(resolved, name, version) ? 'registry' : 'remote'
  // A v1 version that is not a plain version number is some other spec: not the registry.
  return /[:/]/.test(version) ? 'remote' : 'registry'
}

function localOrGitSource(spec: string): SourceKind | undefined {
  if (GIT_PREFIXES.some((prefix) => spec.startsWith(prefix)) || spec.includes('.git#')) return 'git'
  if (spec.startsWith('file:')) return 'file'
  if (spec.startsWith('link:')) return 'link'
  return undefined
}

/**
 * A registry tarball URL ends with `/<name>/-/<basename>-<version>.tgz`, where a scoped name may
 * be percent-encoded (`@scope%2fname`). Anything else is an arbitrary URL.
 */
export function isRegistryTarball(url: string, name: string, version: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false
  let pathname: string
  try {
    pathname = new URL(url).pathname
  } catch {
    return false
  }
  const basename = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name
  const tail = `/-/${basename}-${version}.tgz`
  if (!pathname.endsWith(tail)) return false
  const folder = pathname.slice(0, -tail.length)
  const encoded = name.replace('/', '%2f')
  return [name, encoded, encoded.replace('%2f', '%2F')].some((form) => folder.endsWith(`/${form}`))
}
