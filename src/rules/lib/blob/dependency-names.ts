// What a dependency's name says about who publishes it and why it is there, for
// content/dependency-added: a package in the depending package's own npm scope (published by the
// same organisation), and a per-platform binary package (`@esbuild/linux-x64`,
// `@swc/core-darwin-arm64`, `lightningcss-linux-x64-gnu`), which tools declare as optional
// dependencies and load by a computed name, so that no file ever names it.

/** Operating systems, CPUs and C libraries that per-platform package names are built from. */
const PLATFORM_TOKENS = new Set([
  'win32',
  'windows',
  'darwin',
  'macos',
  'linux',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'android',
  'openharmony',
  'x64',
  'arm64',
  'ia32',
  'arm',
  'armv7',
  'ppc64',
  'ppc64le',
  's390x',
  'riscv64',
  'loong64',
  'mips64el',
  'musl',
  'gnu',
  'glibc',
  'gnueabihf',
  'musleabihf',
  'msvc'
])

/** `@scope/name` -> `@scope`; undefined for an unscoped name. */
export function scopeOf(name: string): string | undefined {
  const slash = name.indexOf('/')
  return name.startsWith('@') && slash > 1 ? name.slice(0, slash) : undefined
}

/** `@scope/name` -> `name`; an unscoped name is returned as is. */
export function baseNameOf(name: string): string {
  return scopeOf(name) ? name.slice(name.indexOf('/') + 1) : name
}

/** True when both names are scoped, in the same scope: one organisation publishes both. */
export function sameScope(name: string, other: string): boolean {
  const scope = scopeOf(name)
  return scope !== undefined && scope === scopeOf(other)
}

/** True when the name carries an operating-system or CPU word (`…-linux-x64-gnu`). */
export function hasPlatformToken(name: string): boolean {
  return baseNameOf(name)
    .toLowerCase()
    .split(/[-_.]/)
    .some((token) => PLATFORM_TOKENS.has(token))
}

/**
 * True when a platform package's name ties it to the package that depends on it: the same scope
 * (`@swc/core` -> `@swc/core-linux-x64-gnu`), a scope named after it (`typescript` ->
 * `@typescript/typescript-linux-x64`, `esbuild` -> `@esbuild/linux-x64`), or a name that starts
 * with its name (`lightningcss` -> `lightningcss-linux-x64-gnu`, `sharp` -> `@img/sharp-linux-x64`).
 */
export function namedAfter(dependency: string, owner: string): boolean {
  const ownerBase = baseNameOf(owner).toLowerCase()
  const dependencyBase = baseNameOf(dependency).toLowerCase()
  return (
    sameScope(dependency, owner) ||
    scopeOf(dependency)?.toLowerCase() === `@${ownerBase}` ||
    dependencyBase.startsWith(`${ownerBase}-`)
  )
}
