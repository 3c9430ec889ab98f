// The one place that talks to registries, through pacote. It fetches each full packument once
// per registry and name (in-flight requests are shared), and tarballs from the configured
// registry with the lockfile's integrity enforced. Tarballs are held in memory, bounded, and
// unpacked there: never extracted to disk, never installed, never run.
import pacote from 'pacote'
import type { FetchProblem, PackageFiles, Packument, ProvenanceSummary } from '../types.js'
import { fetchProvenance } from './attestations.js'
import { DEFAULT_LIMITS, formatBytes, type UnpackLimits } from './limits.js'
import { redactUrl, registryFor, type NpmOptions } from './npm-config.js'
import { unpackTarball } from './unpack.js'

/** make-fetch-happen's retry settings: applied to network errors, 408/420/429 and 5xx. */
export interface RetryOptions {
  retries: number
  factor?: number
  minTimeout: number
  maxTimeout: number
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  retries: 3,
  factor: 3,
  minTimeout: 1000,
  maxTimeout: 15_000
})

/** Whatever npm configuration says, a gate never runs or follows anything but the registry. */
const SAFETY_OPTIONS = Object.freeze({
  ignoreScripts: true,
  allowGit: 'none',
  allowRemote: 'none',
  allowFile: 'none',
  allowDirectory: 'none'
})

export interface RegistryClientOptions {
  limits?: UnpackLimits
  /** Overrides retry settings from npm config (`fetch-retries`...) and the defaults. */
  retry?: RetryOptions
  /** pacote's cacache directory. */
  cacheDir: string
}

export type Outcome<T> = { value: T } | { problem: Omit<FetchProblem, 'which'> }

type Problem = Omit<FetchProblem, 'which'>

interface Target {
  name: string
  version: string
  integrity?: string
  /** The tarball URL the registry's own manifest gives (`dist.tarball`), when it gives one. */
  tarball?: string
}

/**
 * Shares one request's result between identical requests without keeping it alive once nobody
 * uses it: holding every settled result made a full scan keep every unpacked tarball (and every
 * cache keyed on its files) until the end, gigabytes on a medium lockfile. A result that was
 * collected is fetched again (from the local cache), with the same outcome.
 */
class SharedResults<T extends object> {
  private readonly pending = new Map<string, Promise<T>>()
  private readonly settled = new Map<string, WeakRef<T>>()

  get(key: string, start: () => Promise<T>): Promise<T> {
    const live = this.settled.get(key)?.deref()
    if (live) return Promise.resolve(live)
    let pending = this.pending.get(key)
    if (!pending) {
      pending = start()
        .then((value) => {
          this.settled.set(key, new WeakRef(value))
          return value
        })
        .finally(() => this.pending.delete(key))
      this.pending.set(key, pending)
    }
    return pending
  }
}

export class RegistryClient {
  private readonly packuments = new SharedResults<Outcome<Packument>>()
  private readonly tarballs = new SharedResults<Outcome<PackageFiles>>()
  private readonly provenances = new Map<string, Promise<ProvenanceSummary | undefined>>()
  private readonly limits: UnpackLimits

  constructor(private readonly options: RegistryClientOptions) {
    this.limits = options.limits ?? DEFAULT_LIMITS
  }

  /** The full packument (with `time`, `_npmUser`, `maintainers`), fetched once per registry and name. */
  packument(name: string, npmOptions: NpmOptions): Promise<Outcome<Packument>> {
    const registry = registryFor(name, npmOptions)
    const key = `${registry} ${name}`
    return this.packuments.get(key, () => this.fetchPackument(name, registry, npmOptions))
  }

  /** A version's tarball, integrity-checked, unpacked in memory; shared between identical requests. */
  files(target: Target, npmOptions: NpmOptions): Promise<Outcome<PackageFiles>> {
    const registry = registryFor(target.name, npmOptions)
    const key = `${registry} ${target.name}@${target.version} ${target.integrity ?? ''}`
    return this.tarballs.get(key, () => this.fetchFiles(target, registry, npmOptions))
  }

  /**
   * The provenance summary of an attestation bundle URL, fetched once per URL; undefined when it
   * cannot be read (the provenance rule then says it could not compare, it never fails the run).
   */
  provenance(url: string, npmOptions: NpmOptions): Promise<ProvenanceSummary | undefined> {
    let pending = this.provenances.get(url)
    if (!pending) {
      pending = fetchProvenance(url, this.pacoteOptions(npmOptions))
      this.provenances.set(url, pending)
    }
    return pending
  }

  private async fetchPackument(
    name: string,
    registry: string,
    npmOptions: NpmOptions
  ): Promise<Outcome<Packument>> {
    try {
      // revalidate: a version removed from the registry an hour ago must be noticed
      const options = { ...this.pacoteOptions(npmOptions), preferOnline: true }
      // no packumentCache: pacote neither keeps the document (tens of MB for some packages) for
      // the whole run nor annotates it later; tarballs are fetched by their URL (`files`)
      const packument = await pacote.packument(
        name,
        options as pacote.Options & { fullMetadata: true }
      )
      return { value: packument as unknown as Packument }
    } catch (error) {
      return { problem: describeError(error, { name, registry, what: 'package' }) }
    }
  }

  private async fetchFiles(
    target: Target,
    registry: string,
    npmOptions: NpmOptions
  ): Promise<Outcome<PackageFiles>> {
    // By the URL the registry's manifest gives, as pacote itself does once it has resolved the
    // version (allowing that one remote URL); never by the lockfile's `resolved`. Without a URL,
    // pacote resolves `name@version` through the packument, which it then fetches again.
    const spec = `${target.name}@${target.tarball ?? target.version}`
    const options = {
      ...this.pacoteOptions(npmOptions),
      ...(target.integrity ? { integrity: target.integrity } : {}),
      ...(target.tarball ? { allowRemote: 'all' } : {})
    }
    try {
      const tgz = await pacote.tarball.stream(
        spec,
        (stream) => collectBounded(stream, this.limits.maxTarballBytes),
        options as pacote.Options
      )
      return { value: await unpackTarball(tgz, this.limits) }
    } catch (error) {
      return { problem: describeError(error, { ...target, registry, what: 'tarball' }) }
    }
  }

  private pacoteOptions(npmOptions: NpmOptions): NpmOptions {
    return {
      ...npmOptions,
      retry: this.options.retry ?? retryFromConfig(npmOptions),
      cache: this.options.cacheDir,
      fullMetadata: true,
      ...SAFETY_OPTIONS
    }
  }
}

function retryFromConfig(npmOptions: NpmOptions): RetryOptions {
  const number = (key: string, fallback: number | undefined) =>
    typeof npmOptions[key] === 'number' ? (npmOptions[key] as number) : fallback
  return {
    retries: number('fetchRetries', DEFAULT_RETRY.retries) as number,
    factor: number('fetchRetryFactor', DEFAULT_RETRY.factor),
    minTimeout: number('fetchRetryMintimeout', DEFAULT_RETRY.minTimeout) as number,
    maxTimeout: number('fetchRetryMaxtimeout', DEFAULT_RETRY.maxTimeout) as number
  }
}

interface LimitError extends Error {
  code: 'ELIMIT'
}

/** Reads the (compressed) tarball stream into memory, refusing more than `max` bytes. */
function collectBounded(stream: NodeJS.ReadableStream, max: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        const error = new Error(`the tarball is larger than ${formatBytes(max)}`) as LimitError
        error.code = 'ELIMIT'
        reject(error)
        ;(stream as { destroy?: () => void }).destroy?.()
        return
      }
      chunks.push(chunk)
    })
    stream.on('error', reject)
    stream.on('end', () => resolve(Buffer.concat(chunks)))
  })
}

interface ErrorContext {
  name: string
  version?: string
  integrity?: string
  registry: string
  what: 'package' | 'tarball'
}

/** Maps a pacote / npm-registry-fetch error to a problem with a message a user can act on. */
export function describeError(thrown: unknown, ctx: ErrorContext): Problem {
  const error = unwrap(thrown)
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown }
  const registry = redactUrl(ctx.registry)
  const id = ctx.version ? `${ctx.name}@${ctx.version}` : ctx.name
  if (code === 'E404' && ctx.what === 'package') {
    return { code: 'ENOTFOUND_PACKAGE', message: `${ctx.name} is not served by ${registry}` }
  }
  if (code === 'E404' || code === 'ETARGET') {
    return { code: 'ENOTFOUND_VERSION', message: `${id} is not served by ${registry}` }
  }
  if (code === 'EINTEGRITY') {
    return {
      code: 'EINTEGRITY',
      message: `the tarball ${registry} serves for ${id} does not match the lockfile integrity ${ctx.integrity ?? '(none)'}`
    }
  }
  if (code === 'ELIMIT') {
    return { code: 'ELIMIT', message: `${id}: ${errorText(error)}; it was not analysed` }
  }
  return { code: 'EREGISTRY', message: registryFailure(id, registry, statusCode, code, error) }
}

/**
 * A stream inside pacote's pipeline may emit an error nobody listens to; Node then throws
 * ERR_UNHANDLED_ERROR carrying the real error (an EINTEGRITY, typically) as `context`.
 */
function unwrap(error: unknown): unknown {
  const { code, context } = (error ?? {}) as { code?: unknown; context?: unknown }
  return code === 'ERR_UNHANDLED_ERROR' && context instanceof Error ? context : error
}

function registryFailure(
  id: string,
  registry: string,
  statusCode: unknown,
  code: unknown,
  error: unknown
): string {
  if (typeof statusCode === 'number') {
    const hint = statusCode === 401 || statusCode === 403 ? ' (check the registry credentials)' : ''
    return `${registry} answered HTTP ${statusCode} for ${id}${hint}`
  }
  const reason = typeof code === 'string' ? code : errorText(error)
  return `could not read ${id} from ${registry}: ${reason}`
}

/** An error's message, clipped, with any `user:password@` in URLs removed. */
function errorText(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).slice(0, 300)
  return text.replace(/\/\/[^/\s@]{1,300}@/g, '//')
}
