// The rule interface. A rule is one file with a header comment (what it detects, why it is
// suspicious, known false positives) and one pure `check`: no network, no file system, no logging.
// Its id is its path under src/rules/ without the extension, e.g. `content/new-email-recipient`.
import type {
  FetchProblem,
  Finding,
  Manifest,
  OsvMatch,
  PackageChange,
  PackageFiles,
  Packument,
  ProvenanceSummary,
  Severity
} from '../types.js'

export interface RuleMeta {
  id: string
  title: string
  /** Why it matters; reused as help text in reports. */
  description: string
  defaultSeverity: Severity
  /** Bump when the rule's behaviour changes (verdict caches key on it). */
  version: number
}

export type IocType = 'package' | 'publisher' | 'domain' | 'email' | 'url' | 'ip' | 'sha256'

/** One indicator of compromise, with where it comes from. */
export interface IocEntry {
  type: IocType
  /** Normalised value: lower-case name, domain, email, url, ip or hex sha256. */
  value: string
  /** For `package`: a semver range of affected versions; `*` means every version. */
  versions?: string
  /** Short name of the incident, e.g. `postmark-mcp backdoor (2025-09)`. */
  incident: string
  /** Where the indicator was published (advisory id or URL). */
  source: string
  /** Which feed it was loaded from (`bundled`, or the user's path or URL). */
  feed: string
}

export interface IocTextMatch {
  entry: IocEntry
  /** Offset of the match in the searched text. */
  index: number
  /** The text that matched, as it appears. */
  match: string
}

export interface IocIndex {
  readonly size: number
  matchPackage(name: string, version: string): IocEntry[]
  matchPublisher(name: string): IocEntry[]
  matchHash(sha256: string): IocEntry[]
  /** Domains (and their subdomains), emails, URLs and IPs appearing in a text. */
  matchText(text: string): IocTextMatch[]
}

export type RuleOptions = Readonly<Record<string, unknown>>

export interface RuleContext {
  change: PackageChange
  /** Full metadata; absent when the registry could not serve it or the source is not a registry. */
  packument?: Packument
  /** The new version's metadata. */
  manifest?: Manifest
  /** The previous version's metadata, for a `changed` package. */
  previousManifest?: Manifest
  /** The new version's tarball, read in memory. */
  files?: PackageFiles
  /** The previous version's tarball, to tell what this version introduces. */
  previousFiles?: PackageFiles
  /** What kept fetching from being complete. */
  problems: FetchProblem[]
  /**
   * Provenance of the new (`current`) and previous version, read from their attestation bundles
   * when both carry `dist.attestations` (fetched before the rules run).
   */
  provenance?: { current?: ProvenanceSummary; previous?: ProvenanceSummary }
  /** OSV `MAL-` records that match this name@version (online API or offline snapshot). */
  osv?: OsvMatch[]
  iocs: IocIndex
  options: RuleOptions
  /** Injected so that time-based rules are testable. */
  now: Date
}

export interface Rule {
  meta: RuleMeta
  check(ctx: RuleContext): Finding[] | Promise<Finding[]>
}
