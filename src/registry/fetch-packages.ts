// The fetch stage: for each change, the full packument, the new version's tarball and the previous
// version's tarball, read in memory. Whatever keeps a package from being read completely becomes a
// FetchProblem on it (turned into a finding by the registry rules): a missing tarball never means
// a pass. Only lockfile entries that come from a registry are fetched.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import semver from 'semver'
import type {
  FetchProblem,
  LockedPackage,
  Manifest,
  PackageChange,
  PackageFiles,
  Packument,
  ProvenanceSummary
} from '../types.js'
import { RegistryClient, type Outcome, type RetryOptions } from './client.js'
import type { UnpackLimits } from './limits.js'
import type { NpmOptions } from './npm-config.js'

export { DEFAULT_RETRY, type RetryOptions } from './client.js'

export interface FetchedPackage {
  change: PackageChange
  packument?: Packument
  manifest?: Manifest
  previousManifest?: Manifest
  files?: PackageFiles
  previousFiles?: PackageFiles
  problems: FetchProblem[]
  /** Provenance of both versions, read only when both carry `dist.attestations` provenance. */
  provenance?: { current?: ProvenanceSummary; previous?: ProvenanceSummary }
  /**
   * True when `skipFiles` said the tarballs are not needed (their verdict is cached): `files` and
   * `previousFiles` are then absent on purpose, not because reading failed.
   */
  filesSkipped?: boolean
}

export interface FetchOptions {
  /** npm options for the lockfile a change comes from (its `.npmrc` may differ). */
  npmOptionsFor: (lockfile: string) => NpmOptions
  limits?: UnpackLimits
  /** Packages fetched at the same time. Default 8. */
  concurrency?: number
  /** pacote's cache. Default: a temporary folder under RUNNER_TEMP (or the OS one), removed after. */
  cacheDir?: string
  /** Retry settings for network errors, 429 and 5xx. Default: npm config, else DEFAULT_RETRY. */
  retry?: RetryOptions
  /**
   * True for a change whose tarballs need not be read (a verdict cache already holds what the
   * content rules found in them). Its packument and manifests are still fetched: the metadata
   * rules run on every scan.
   */
  skipFiles?: (change: PackageChange) => boolean | Promise<boolean>
  /**
   * Unpacked bytes of fetched packages still being consumed above which no new fetch starts: a
   * slow consumer (the analysis) must not let big packages pile up in memory. Default 256 MiB.
   */
  maxHeldBytes?: number
}

const DEFAULT_CONCURRENCY = 8
const DEFAULT_MAX_HELD_BYTES = 256 * 1024 * 1024
// registry names: lower-case today, mixed case for old packages; no spaces, no path tricks
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]{0,213}\/)?[a-z0-9][\w.~-]{0,213}$/i

/** Fetches every change; the result has the same order as `changes`. */
export function fetchChanges(
  changes: PackageChange[],
  options: FetchOptions
): Promise<FetchedPackage[]> {
  return fetchAndConsume(changes, options, async (fetched) => fetched)
}

/**
 * Fetches every change and hands each package to `consume` as soon as it is read, so that a
 * full scan holds only the packages in flight in memory, not every tarball of the lockfile.
 * The results have the same order as `changes`.
 */
export async function fetchAndConsume<T>(
  changes: PackageChange[],
  options: FetchOptions,
  consume: (fetched: FetchedPackage) => Promise<T>
): Promise<T[]> {
  const ownCache = options.cacheDir === undefined
  const cacheDir = options.cacheDir ?? makeTempCache()
  const client = new RegistryClient({
    cacheDir,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.retry ? { retry: options.retry } : {})
  })
  try {
    const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY)
    const held = new HeldBytes(options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES)
    return await mapPool(changes, concurrency, async (change) => {
      await held.admit()
      const fetched = await fetchChange(change, client, options)
      const bytes = (fetched.files?.totalBytes ?? 0) + (fetched.previousFiles?.totalBytes ?? 0)
      held.hold(bytes)
      try {
        return await consume(fetched)
      } finally {
        held.release(bytes)
      }
    })
  } finally {
    if (ownCache) rmSync(cacheDir, { recursive: true, force: true })
  }
}

async function fetchChange(
  change: PackageChange,
  client: RegistryClient,
  options: FetchOptions
): Promise<FetchedPackage> {
  const result: FetchedPackage = { change, problems: [] }
  const sourceProblem = unfetchable(change.locked)
  if (sourceProblem) {
    result.problems.push({ ...sourceProblem, which: 'new' })
    return result
  }
  const npmOptions = options.npmOptionsFor(change.lockfile)
  const packument = await client.packument(change.name, npmOptions)
  if ('problem' in packument) {
    result.problems.push({ ...packument.problem, which: 'new' })
    return result
  }
  result.packument = packument.value
  const skip = (await options.skipFiles?.(change)) === true
  if (skip) result.filesSkipped = true
  const fetching = { client, npmOptions, skip }
  await Promise.all([fetchNew(result, fetching), fetchPrevious(result, fetching)])
  await fetchProvenances(result, client, npmOptions)
  return result
}

/**
 * Both versions' provenance, when both advertise it: the only case where comparing the attested
 * source says anything (a loss is visible in the packument alone). A bundle that cannot be read
 * leaves its side undefined; that is not a fetch problem, it must not fail the gate.
 */
async function fetchProvenances(
  result: FetchedPackage,
  client: RegistryClient,
  npmOptions: NpmOptions
): Promise<void> {
  const { manifest, previousManifest, change } = result
  if (!manifest || !previousManifest || change.previous?.version === change.version) return
  const currentUrl = provenanceUrl(manifest)
  const previousUrl = provenanceUrl(previousManifest)
  if (!currentUrl || !previousUrl) return
  const [current, previous] = await Promise.all([
    client.provenance(currentUrl, npmOptions),
    client.provenance(previousUrl, npmOptions)
  ])
  result.provenance = { ...(current ? { current } : {}), ...(previous ? { previous } : {}) }
}

function provenanceUrl(manifest: Manifest): string | undefined {
  const attestations = manifest.dist?.attestations
  const predicate = attestations?.provenance?.predicateType
  if (typeof predicate !== 'string' || !predicate.startsWith('https://slsa.dev/provenance/')) {
    return undefined
  }
  return typeof attestations?.url === 'string' ? attestations.url : undefined
}

/** How one change's tarballs are read: `skip` keeps the manifests and reads no tarball. */
interface Fetching {
  client: RegistryClient
  npmOptions: NpmOptions
  skip: boolean
}

async function fetchNew(result: FetchedPackage, fetching: Fetching): Promise<void> {
  const { client, npmOptions, skip } = fetching
  const { locked } = result.change
  const manifest = versionOf(result, locked, 'new')
  if (!manifest) return
  result.manifest = manifest
  if (skip) return
  const files = await client.files({ ...locked, tarball: tarballUrl(manifest) }, npmOptions)
  record(result, files, 'new', (value) => (result.files = value))
}

async function fetchPrevious(result: FetchedPackage, fetching: Fetching): Promise<void> {
  const { client, npmOptions, skip } = fetching
  const { previous, version } = result.change
  if (!previous) return
  const sourceProblem = unfetchable(previous)
  if (sourceProblem) {
    result.problems.push({ ...sourceProblem, which: 'previous' })
    return
  }
  const manifest = versionOf(result, previous, 'previous')
  if (!manifest) return
  result.previousManifest = manifest
  // the same version with another integrity is lockfile tampering: the new tarball is the check
  if (previous.version === version || skip) return
  const files = await client.files({ ...previous, tarball: tarballUrl(manifest) }, npmOptions)
  record(result, files, 'previous', (value) => (result.previousFiles = value))
}

/** The manifest's tarball URL, when it is a plausible one (pacote resolves the spec otherwise). */
function tarballUrl(manifest: Manifest): string | undefined {
  const url = manifest.dist?.tarball
  return typeof url === 'string' && /^https?:\/\//i.test(url) && url.length <= 2048
    ? url
    : undefined
}

/** The version's manifest from the packument, or a problem when the registry no longer lists it. */
function versionOf(
  result: FetchedPackage,
  locked: LockedPackage,
  which: FetchProblem['which']
): Manifest | undefined {
  const manifest = result.packument?.versions?.[locked.version]
  if (manifest && typeof manifest === 'object') return manifest
  result.problems.push({
    code: 'ENOTFOUND_VERSION',
    which,
    message: `${locked.name}@${locked.version} is no longer listed by the registry`
  })
  return undefined
}

function record<T>(
  result: FetchedPackage,
  outcome: Outcome<T>,
  which: FetchProblem['which'],
  store: (value: T) => void
): void {
  if ('problem' in outcome) result.problems.push({ ...outcome.problem, which })
  else store(outcome.value)
}

/** Why a locked entry is not fetched from a registry, if it is not. */
function unfetchable(locked: LockedPackage): Omit<FetchProblem, 'which'> | undefined {
  const id = `${locked.name}@${locked.version}`
  if (locked.source !== 'registry') {
    return {
      code: 'ESOURCE',
      message: `${id} comes from a ${locked.source} source, not a registry: its contents were not fetched`
    }
  }
  if (!PACKAGE_NAME.test(locked.name) || semver.valid(locked.version) === null) {
    return {
      code: 'ESOURCE',
      message: `${id.slice(0, 200)} is not a valid registry package name and version: it was not fetched`
    }
  }
  return undefined
}

/**
 * The unpacked bytes held by packages between their fetch and the end of their consumption. While
 * they exceed the bound, new fetches wait; one that is being consumed always releases them.
 */
class HeldBytes {
  private held = 0
  private waiting: (() => void)[] = []

  constructor(private readonly max: number) {}

  async admit(): Promise<void> {
    while (this.held > this.max) await new Promise<void>((wake) => this.waiting.push(wake))
  }

  hold(bytes: number): void {
    this.held += bytes
  }

  release(bytes: number): void {
    this.held -= bytes
    for (const wake of this.waiting.splice(0)) wake()
  }
}

/** Runs `task` over `items` with at most `concurrency` in flight; results keep the input order. */
async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}

function makeTempCache(): string {
  const base = process.env.RUNNER_TEMP || tmpdir()
  return mkdtempSync(join(base, 'lockgate-cache-'))
}
