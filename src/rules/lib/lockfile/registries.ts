// The registries a lockfile may legitimately point at, as the scan configures them for that
// lockfile (`ctx.options`): the npm `registry`, every `@scope:registry`, and any extra allowed
// hosts. Rules compare `resolved` URLs against them. Everything read from the lockfile is
// attacker-controlled, so URLs are length-bounded and parsed with the WHATWG parser only.
import type { RuleOptions } from '../../types.js'

const MAX_URL = 2048
const MAX_REGISTRIES = 256
// yarn classic writes its own mirror of the default registry into yarn.lock whenever the user
// kept the default registry: the same packages and bytes under another host name.
const YARN_CLASSIC_DEFAULT_HOST = 'registry.yarnpkg.com'
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

export interface RegistryPolicy {
  /** Allowed registries, parsed. Empty when the scan did not say which registries it uses. */
  registries: URL[]
  /** True when the scan passed `allowedRegistries`: hosts can then be judged. */
  configured: boolean
}

/**
 * Reads `allowedRegistries: string[]` (registry URLs) and `defaultRegistry: string` (the registry
 * npm uses when none is configured) from the rule options. Invalid values are ignored.
 */
export function registryPolicy(options: RuleOptions): RegistryPolicy {
  const listed = options.allowedRegistries
  if (!Array.isArray(listed)) return { registries: [], configured: false }
  const registries = listed
    .slice(0, MAX_REGISTRIES)
    .map((value) => (typeof value === 'string' ? parseHttpUrl(value) : undefined))
    .filter((url): url is URL => url !== undefined)
  const defaultRegistry =
    typeof options.defaultRegistry === 'string' ? parseHttpUrl(options.defaultRegistry) : undefined
  if (defaultRegistry && registries.some((url) => url.host === defaultRegistry.host)) {
    registries.push(new URL(`${defaultRegistry.protocol}//${YARN_CLASSIC_DEFAULT_HOST}/`))
  }
  return { registries, configured: true }
}

/**
 * For the scan's wiring: the registry URLs an npm configuration (pacote options, as
 * `loadNpmConfig` returns them) fetches from: `registry` (else `defaultRegistry`) and every
 * `@scope:registry`, plus `extra` allowed registries. Pure: the caller passes npm's default.
 */
export function configuredRegistries(
  npmOptions: Readonly<Record<string, unknown>>,
  defaultRegistry: string,
  extra: readonly string[] = []
): string[] {
  const main = typeof npmOptions.registry === 'string' && npmOptions.registry
  const scoped = Object.entries(npmOptions)
    .filter(([key, value]) => key.startsWith('@') && key.endsWith(':registry') && value)
    .map(([, value]) => value)
    .filter((value): value is string => typeof value === 'string')
  return [...new Set([main || defaultRegistry, ...scoped, ...extra])]
}

/** An `http:` or `https:` URL, or undefined for anything else (git, file, locators, garbage). */
export function parseHttpUrl(text: string): URL | undefined {
  if (text.length > MAX_URL || !/^https?:\/\//i.test(text)) return undefined
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/** The allowed registry served from the same host (name and port) as `url`, if any. */
export function registryOnHost(url: URL, policy: RegistryPolicy): URL | undefined {
  return policy.registries.find((registry) => registry.host === url.host)
}

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.')
}

/** The URL without credentials, query or fragment, for messages. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}
