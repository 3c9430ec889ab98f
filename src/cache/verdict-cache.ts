// The verdict cache: what the file-dependent rules found in a change's tarballs, kept between
// runs so that a nightly full scan reads and analyses only the tarballs it has not judged yet.
// The other rules (feeds' package-version entries, OSV, packument, lockfile) run on every scan,
// so a package newly marked malicious is reported even when its tarball verdict is cached.
import { dirname, join } from 'node:path'
import type { RuleRunResult } from '../analyze/run-rules.js'
import type { FetchedPackage } from '../registry/fetch-packages.js'
import type { IocEntry, Rule, RuleOptions } from '../rules/types.js'
import type { Finding, PackageChange, RunError } from '../types.js'
import { isFileDependent } from './file-dependent.js'
import { changeKey, feedContentHash, rulesHash, type KeyParts } from './keys.js'
import {
  DEFAULT_MAX_BYTES,
  evictEntries,
  readEntry,
  writeEntry,
  type StoredFinding
} from './store.js'

export { classifyRule, isFileDependent } from './file-dependent.js'
export { feedContentHash, rulesHash } from './keys.js'

export interface VerdictCacheOptions {
  /** The rules of the run: the file-dependent ones and their versions are part of every key. */
  rules: readonly Rule[]
  /** Every loaded feed entry (`loadFeedEntries`); only file-content indicators are hashed. */
  feedEntries: readonly IocEntry[]
  /** Options of the file-dependent rules (those that do not depend on the lockfile). */
  optionsFor?: (ruleId: string) => RuleOptions
  /** Folder size kept after `close` (least recently used entries go first). Default 200 MB. */
  maxBytes?: number
}

export interface VerdictStats {
  /** Changes whose tarball verdict came from the cache. */
  hits: number
  /** Changes that were analysed in full. */
  misses: number
  /** Verdicts written during this run. */
  stored: number
}

export interface VerdictCache {
  readonly dir: string
  /** Hash of the file-dependent rules: names the `@actions/cache` entries (`restoreVerdicts`). */
  readonly rulesHash: string
  fileDependent(ruleId: string): boolean
  /** True when the change's tarball verdict is cached: pass it as the fetch's `skipFiles`. */
  has(change: PackageChange): Promise<boolean>
  /** The cached file-dependent findings of a change, pointed at its current lockfile line. */
  get(change: PackageChange): Promise<Finding[] | undefined>
  /** Stores what the file-dependent rules found, when the package was read completely. */
  put(fetched: FetchedPackage, result: RuleRunResult): Promise<boolean>
  /**
   * Runs the rules on one fetched package through the cache: on a hit (the fetch skipped its
   * tarballs) only the always-run rules run and the cached findings are added; on a miss every
   * rule runs and the file-dependent findings are stored.
   */
  analyze(
    fetched: FetchedPackage,
    rules: readonly Rule[],
    run: (rules: readonly Rule[]) => Promise<RuleRunResult>
  ): Promise<RuleRunResult>
  stats(): VerdictStats
  /** One line for the log: how much was reused. */
  describe(): string
  /** Trims the folder to its size bound. Never throws. */
  close(): Promise<void>
}

/**
 * The verdict folder, beside pacote's cache folder (`config.cacheDir`, under RUNNER_TEMP in the
 * Action): `$RUNNER_TEMP/lockgate-verdicts`. It is a folder of its own so that the Actions cache
 * carries the small verdicts from run to run, not the tarballs.
 */
export function verdictDir(cacheDir: string): string {
  return join(dirname(cacheDir), 'lockgate-verdicts')
}

export async function openVerdictCache(
  dir: string,
  options: VerdictCacheOptions
): Promise<VerdictCache> {
  const parts: KeyParts = {
    rules: rulesHash(options.rules, options.optionsFor),
    feeds: feedContentHash(options.feedEntries)
  }
  return new FolderVerdictCache(dir, parts, options.maxBytes ?? DEFAULT_MAX_BYTES)
}

class FolderVerdictCache implements VerdictCache {
  private readonly lookups = new Map<string, Promise<StoredFinding[] | undefined>>()
  private readonly counts: VerdictStats = { hits: 0, misses: 0, stored: 0 }

  constructor(
    readonly dir: string,
    private readonly parts: KeyParts,
    private readonly maxBytes: number
  ) {}

  get rulesHash(): string {
    return this.parts.rules
  }

  fileDependent(ruleId: string): boolean {
    return isFileDependent(ruleId)
  }

  async get(change: PackageChange): Promise<Finding[] | undefined> {
    const key = changeKey(change, this.parts)
    if (!key) return undefined
    let lookup = this.lookups.get(key)
    if (!lookup) {
      lookup = readEntry(this.dir, key)
      this.lookups.set(key, lookup)
    }
    const stored = await lookup
    if (!stored) return undefined
    return stored
      .filter((finding) => isFileDependent(finding.ruleId))
      .map((f) => relocate(f, change))
  }

  async put(fetched: FetchedPackage, result: RuleRunResult): Promise<boolean> {
    const key = changeKey(fetched.change, this.parts)
    if (!key || !this.complete(fetched, result)) return false
    const findings = result.findings.filter((f) => isFileDependent(f.ruleId)).map(toStored)
    try {
      await writeEntry(this.dir, key, findings)
    } catch {
      return false // a full disk or a read-only folder costs the next run time, never a verdict
    }
    this.lookups.set(key, Promise.resolve(findings))
    this.counts.stored += 1
    return true
  }

  has(change: PackageChange): Promise<boolean> {
    return this.get(change).then(
      (found) => found !== undefined,
      () => false
    )
  }

  async analyze(
    fetched: FetchedPackage,
    rules: readonly Rule[],
    run: (rules: readonly Rule[]) => Promise<RuleRunResult>
  ): Promise<RuleRunResult> {
    if (!fetched.filesSkipped) {
      const result = await run(rules)
      this.counts.misses += 1
      await this.put(fetched, result)
      return result
    }
    const cached = await this.get(fetched.change)
    const result = await run(rules.filter((rule) => !isFileDependent(rule.meta.id)))
    if (!cached) {
      return { findings: result.findings, errors: [...result.errors, lostVerdict(fetched.change)] }
    }
    this.counts.hits += 1
    return { findings: [...result.findings, ...cached], errors: result.errors }
  }

  stats(): VerdictStats {
    return { ...this.counts }
  }

  describe(): string {
    const { hits, misses, stored } = this.counts
    return (
      `lockgate: verdict cache reused the tarball analysis of ${hits} of ${hits + misses} ` +
      `package(s), stored ${stored} new verdict(s) in ${this.dir}`
    )
  }

  async close(): Promise<void> {
    await evictEntries(this.dir, this.maxBytes).catch(() => undefined)
  }

  /** Only a verdict on everything the rules should have seen is worth replaying. */
  private complete(fetched: FetchedPackage, result: RuleRunResult): boolean {
    const { change } = fetched
    if (fetched.filesSkipped || fetched.problems.length > 0 || !fetched.files) return false
    const comparesWithPrevious = change.previous && change.previous.version !== change.version
    if (comparesWithPrevious && !fetched.previousFiles) return false
    return !result.errors.some((error) => error.ruleId && isFileDependent(error.ruleId))
  }
}

/** The fetch skipped the tarballs for a verdict that then could not be read: never a pass. */
function lostVerdict(change: PackageChange): RunError {
  return {
    code: 'ECACHE',
    message: `the cached tarball verdict of ${change.name}@${change.version} could not be read: run the scan again`,
    lockfile: change.lockfile,
    line: change.line,
    package: `${change.name}@${change.version}`
  }
}

function toStored(finding: Finding): StoredFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    evidence: finding.evidence
  }
}

/** A cached finding pointed at the change as it is locked now (its line may have moved). */
function relocate(stored: StoredFinding, change: PackageChange): Finding {
  const previous =
    change.previous && change.previous.version !== change.version
      ? change.previous.version
      : undefined
  return {
    ruleId: stored.ruleId,
    severity: stored.severity,
    message: stored.message,
    package: { name: change.name, version: change.version, ...(previous ? { previous } : {}) },
    location: { lockfile: change.lockfile, line: change.line },
    evidence: stored.evidence.map((item) =>
      item.file === 'lockfile' ? { ...item, line: change.line } : { ...item }
    )
  }
}
