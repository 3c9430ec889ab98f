// Pointers from a finding to where a reviewer can check it: the package's page on the registry's
// website and the `npm diff` command that reproduces the comparison. Both are built from
// attacker-controlled names and versions, so they come out encoded (URL) or quoted (shell), and
// the reporter still escapes them for its own channel. No registry host is built in: the page
// link exists only when the configuration says where the registry's website is.

/** Longest name or version worth turning into a link or a command. */
const PART_MAX = 214

/**
 * `<registryBase>/package/<name>/v/<version>`, or undefined when no website base is known, the
 * base is not an http(s) URL, or the name or version is empty or oversized.
 */
export function packagePageUrl(
  name: string,
  version: string,
  registryBase?: string
): string | undefined {
  if (registryBase === undefined || !usablePart(name) || !usablePart(version)) return undefined
  const base = httpBase(registryBase)
  if (base === undefined) return undefined
  // a scoped name keeps its one slash (`@scope/name`); everything else is percent-encoded
  const path = name.split('/').map(encodeSegment).join('/')
  return `${base}/package/${path}/v/${encodeURIComponent(version)}`
}

function encodeSegment(segment: string, index: number): string {
  if (index === 0 && segment.startsWith('@')) return `@${encodeURIComponent(segment.slice(1))}`
  return encodeURIComponent(segment)
}

function httpBase(text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username !== '' || url.password !== '') return undefined
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function usablePart(text: string): boolean {
  return text.length > 0 && text.length <= PART_MAX
}

/**
 * `npm diff --diff=<name>@<previous> --diff=<name>@<version>` for a changed package (the two
 * tarballs lockgate compared); undefined for an added package or oversized parts.
 */
export function npmDiffCommand(pkg: {
  name: string
  version: string
  previous?: string
}): string | undefined {
  const { name, version, previous } = pkg
  if (previous === undefined || previous === version) return undefined
  if (![name, version, previous].every(usablePart)) return undefined
  const before = shellQuote(`--diff=${name}@${previous}`)
  const after = shellQuote(`--diff=${name}@${version}`)
  return `npm diff ${before} ${after}`
}

// Characters that mean nothing to POSIX shells anywhere in a word (not `~`, which expands at the
// start, nor `^`, a pipe in old shells): anything else gets quoted.
const SHELL_SAFE = /^[\w@%+=:,./-]+$/

/** Quotes one word for a POSIX shell: as is when harmless, else single-quoted. */
export function shellQuote(word: string): string {
  if (SHELL_SAFE.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}
