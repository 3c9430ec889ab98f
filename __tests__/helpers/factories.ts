// Small factories for rule tests: build the inputs a rule sees, with no mocks and no I/O.
import { createHash } from 'node:crypto'
import type { IocIndex, RuleContext } from '../../src/rules/types.js'
import type {
  LockedPackage,
  Manifest,
  PackageChange,
  PackageFile,
  PackageFiles
} from '../../src/types.js'

export function makeLocked(overrides: Partial<LockedPackage> = {}): LockedPackage {
  const name = overrides.name ?? 'example-pkg'
  return {
    name,
    version: '1.0.1',
    path: `node_modules/${name}`,
    line: 10,
    source: 'registry',
    integrity: 'sha512-AAAA',
    ...overrides
  }
}

/** A change from `previousVersion` to `version`; pass `previousVersion: null` for an added package. */
export function makeChange(
  opts: { name?: string; version?: string; previousVersion?: string | null; line?: number } = {}
): PackageChange {
  const name = opts.name ?? 'example-pkg'
  const version = opts.version ?? '1.0.1'
  const line = opts.line ?? 10
  const locked = makeLocked({ name, version, line })
  const previous =
    opts.previousVersion === null
      ? undefined
      : makeLocked({ name, version: opts.previousVersion ?? '1.0.0', line })
  return {
    kind: previous ? 'changed' : 'added',
    name,
    version,
    lockfile: 'package-lock.json',
    line,
    locked,
    ...(previous ? { previous } : {})
  }
}

export function makeFiles(contents: Record<string, string | Buffer>): PackageFiles {
  const files = new Map<string, PackageFile>()
  let totalBytes = 0
  for (const [path, content] of Object.entries(contents)) {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content
    const binary = typeof content !== 'string'
    totalBytes += bytes.length
    files.set(path, {
      path,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...(binary ? {} : { text: content as string }),
      truncated: false,
      binary
    })
  }
  return { files, totalBytes, limitsHit: [] }
}

export function makeManifest(overrides: Partial<Manifest> = {}): Manifest {
  return { name: 'example-pkg', version: '1.0.1', ...overrides }
}

export const EMPTY_IOCS: IocIndex = {
  size: 0,
  matchPackage: () => [],
  matchPublisher: () => [],
  matchHash: () => [],
  matchText: () => []
}

export function makeContext(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    change: makeChange(),
    problems: [],
    iocs: EMPTY_IOCS,
    options: {},
    now: new Date('2026-11-21T00:00:00Z'),
    ...overrides
  }
}

// ---- packuments with a release history (metadata rules: new-package, release-burst, ...) ----

// (types imported inline so that this appended block leaves the file's header untouched)
type HistoryPackument = import('../../src/types.js').Packument

/** `[version, ISO publish time]` pairs. */
export type ReleaseHistory = readonly (readonly [string, string])[]

/**
 * A packument whose `versions` and `time` follow `history`; `time.created` is the earliest
 * publish unless `extra.time` says otherwise.
 */
export function makeReleasePackument(
  name: string,
  history: ReleaseHistory,
  extra: Partial<HistoryPackument> = {}
): HistoryPackument {
  const versions: Record<string, Manifest> = {}
  const time: Record<string, string> = {}
  for (const [version, at] of history) {
    versions[version] = { name, version }
    time[version] = at
  }
  const times = history.map(([, at]) => at).sort()
  if (times[0]) time.created = times[0]
  if (times.at(-1)) time.modified = times.at(-1) as string
  const latest = history.at(-1)?.[0]
  return {
    name,
    ...(latest ? { 'dist-tags': { latest } } : {}),
    versions,
    time,
    ...extra
  }
}

/**
 * `count` versions `major.minor.firstPatch`, `major.minor.firstPatch+1`, … published every
 * `everyHours` from `start` (ISO).
 */
export function releaseSeries(opts: {
  count: number
  start: string
  everyHours: number
  major?: number
  minor?: number
  firstPatch?: number
}): [string, string][] {
  const startMs = Date.parse(opts.start)
  return Array.from({ length: opts.count }, (_, i) => [
    `${opts.major ?? 1}.${opts.minor ?? 0}.${(opts.firstPatch ?? 0) + i}`,
    new Date(startMs + i * opts.everyHours * 3_600_000).toISOString()
  ])
}
