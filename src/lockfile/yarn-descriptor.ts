// Yarn descriptors (`name@range`, the keys) and locators (`name@reference`, berry's
// `resolution`). Both start with a package name that may be scoped, so the name ends at the
// first `@` after the first character. Only indexOf and literal prefixes: no regex runs over a
// whole descriptor, which can be long and is attacker-controlled.

const MAX_NAME_LENGTH = 214
// `@scope/name` or `name`; no whitespace, no further slash, not starting with a dot.
const NAME_SHAPE = /^(?:@[^\s/@]+\/)?[^\s/@.][^\s/@]*$/
const CONTROL_CHAR = /\p{Cc}/u

export interface Ident {
  name: string
  /** The range (descriptor) or reference (locator) after the name's `@`. */
  range: string
}

/** `@scope/a@^1.0.0` -> `{ name: '@scope/a', range: '^1.0.0' }`; undefined without a valid name. */
export function splitIdent(text: string): Ident | undefined {
  const at = text.indexOf('@', text.startsWith('@') ? 1 : 0)
  if (at <= 0) return undefined
  const name = text.slice(0, at)
  return isValidName(name) ? { name, range: text.slice(at + 1) } : undefined
}

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_SHAPE.test(name) && !CONTROL_CHAR.test(name)
}

export interface ResolvedDescriptor {
  /** The name it is installed under (the key's name). */
  installName: string
  /** The package it points at: differs from installName for an `npm:` alias. */
  realName: string
  /** The range without an alias prefix: `npm:string-width@^4.2.0` -> `^4.2.0`. */
  range: string
}

/**
 * Reads one descriptor, resolving `npm:` aliases (`sw-cjs@npm:string-width@^4.2.0`). A plain
 * `npm:^1.0.0` (berry writes every registry range this way) is not an alias.
 */
export function readDescriptor(descriptor: string): ResolvedDescriptor | undefined {
  const ident = splitIdent(descriptor)
  if (!ident) return undefined
  if (ident.range.startsWith('npm:')) {
    const target = splitIdent(ident.range.slice(4))
    if (target) return { installName: ident.name, realName: target.name, range: target.range }
    return { installName: ident.name, realName: ident.name, range: ident.range.slice(4) }
  }
  return { installName: ident.name, realName: ident.name, range: ident.range }
}

const GIT_PREFIXES = ['git:', 'git+', 'github:', 'gitlab:', 'bitbucket:', 'gist:', 'ssh:']
const GIT_MARKERS = ['.git#', '#commit=', '#head=', '#tag=', '#semver=']

/** True for anything yarn fetches with git (a `.git` URL, a host shorthand, a commit selector). */
export function isGitSpec(spec: string): boolean {
  return (
    GIT_PREFIXES.some((prefix) => spec.startsWith(prefix)) ||
    GIT_MARKERS.some((marker) => spec.includes(marker)) ||
    (spec.startsWith('git@') && spec.includes(':')) ||
    spec.endsWith('.git')
  )
}

export function isHttpUrl(spec: string): boolean {
  return spec.startsWith('https://') || spec.startsWith('http://')
}
