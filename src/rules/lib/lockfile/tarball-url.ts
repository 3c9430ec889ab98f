// Reads the package name and version out of a registry-shaped tarball URL:
// `<registry>/<name>/-/<basename>-<version>.tgz`, where a scoped name appears as `@scope/name` or
// percent-encoded as `@scope%2fname`. Linear string work on a length-bounded URL, no regexes.

export interface TarballRef {
  /** The package name the URL's folder names (`lodash`, `@scope/name`). */
  name: string
  /** The file name after `/-/`, decoded (`lodash-4.17.21.tgz`). */
  file: string
}

const MAX_SEGMENT = 256

/** The name and file of a registry-shaped tarball URL, or undefined for any other shape. */
export function tarballRef(url: URL): TarballRef | undefined {
  const pathname = url.pathname
  const separator = pathname.lastIndexOf('/-/')
  if (separator <= 0) return undefined
  const file = decode(pathname.slice(separator + 3))
  if (!file || !file.endsWith('.tgz')) return undefined
  const folders = pathname.slice(0, separator).split('/').map(decode)
  const last = folders[folders.length - 1]
  if (!last) return undefined
  if (last.startsWith('@')) return last.includes('/') ? { name: last, file } : undefined
  const parent = folders[folders.length - 2]
  const name = parent?.startsWith('@') && !parent.includes('/') ? `${parent}/${last}` : last
  return { name, file }
}

/** Whether the tarball file is the one npm publishes for `name@version`. */
export function fileMatches(file: string, name: string, version: string): boolean {
  const basename = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name
  return file === `${basename}-${version}.tgz` || file === `${name}-${version}.tgz`
}

function decode(segment: string): string | undefined {
  if (segment.length > MAX_SEGMENT) return undefined
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
