// Domain types shared by every stage of the pipeline:
// refs -> lockfiles -> parse -> diff -> fetch -> analyze -> policy -> report

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info'

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

/** 0 for critical, 4 for info: lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity)
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value)
}

/** Where a locked package comes from. Only `registry` entries are ever fetched. */
export type SourceKind = 'registry' | 'git' | 'file' | 'link' | 'remote'

/** One entry of a lockfile. Everything in it is attacker-controlled text. */
export interface LockedPackage {
  /** The real package name (an `npm:` alias is resolved to the name it points at). */
  name: string
  version: string
  /** The entry's key: `node_modules/a/node_modules/b` (v2/v3) or the equivalent path for v1. */
  path: string
  /** The name it is installed under, when it differs from `name` (`npm:` alias). */
  alias?: string
  resolved?: string
  integrity?: string
  /** 1-based line of the entry's key in the lockfile: where annotations point. */
  line: number
  dev?: boolean
  optional?: boolean
  hasInstallScript?: boolean
  source: SourceKind
}

export type LockfileFormat =
  'package-lock' | 'npm-shrinkwrap' | 'pnpm-lock' | 'yarn-lock' | 'bun-lock'

export interface ParsedLockfile {
  /** Repository-relative path with forward slashes. */
  path: string
  format: LockfileFormat
  lockfileVersion: number
  packages: LockedPackage[]
}

/** A package that the head lockfile brings in or changes, compared with base. */
export interface PackageChange {
  kind: 'added' | 'changed'
  name: string
  version: string
  /** Repository-relative lockfile path. */
  lockfile: string
  /** Line of the entry's key in the head lockfile. */
  line: number
  /** The head entry. */
  locked: LockedPackage
  /** The base entry at the same path, for `changed`. Its version may equal `version` (tampering). */
  previous?: LockedPackage
}

export interface Evidence {
  /** Path inside the tarball (without the leading `package/`), or `package.json`, `lockfile`. */
  file?: string
  /** 1-based line in that file. */
  line?: number
  /** Short excerpt; untrusted, reporters escape it. */
  snippet?: string
}

export interface Finding {
  ruleId: string
  severity: Severity
  /** One sentence, no newlines. */
  message: string
  package: { name: string; version: string; previous?: string }
  location: { lockfile: string; line: number }
  evidence: Evidence[]
  /**
   * Set when an `allow` entry of the configuration covers this finding: it stays in the report,
   * with the reason, but no longer counts toward the verdict.
   */
  suppressed?: { reason: string; expires?: string }
}

/** Something that kept the scan from being complete: reported, and it fails the gate. */
export interface RunError {
  /** Stable code, e.g. ELOCKFILE, EREGISTRY, ERULE. */
  code: string
  message: string
  lockfile?: string
  line?: number
  package?: string
  ruleId?: string
}

export type Verdict = 'pass' | 'warn' | 'fail'

// ---- registry metadata (only the fields lockgate reads; everything else passes through) ----

export interface NpmUser {
  name?: string
  email?: string
  trustedPublisher?: { id?: string; oidcConfigId?: string }
}

export interface Manifest {
  name: string
  version: string
  scripts?: Record<string, string>
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  homepage?: string
  repository?: string | { type?: string; url?: string; directory?: string }
  deprecated?: string
  gypfile?: boolean
  _npmUser?: NpmUser
  maintainers?: { name?: string; email?: string }[]
  dist?: {
    tarball?: string
    integrity?: string
    shasum?: string
    attestations?: { url?: string; provenance?: { predicateType?: string } }
    signatures?: { keyid: string; sig: string }[]
  }
  [key: string]: unknown
}

export interface Packument {
  name: string
  'dist-tags'?: Record<string, string>
  versions: Record<string, Manifest>
  time?: Record<string, string>
  maintainers?: { name?: string; email?: string }[]
  [key: string]: unknown
}

// ---- tarball contents, read in memory ----

export interface PackageFile {
  /** Path inside the package, without the tarball's top folder (`index.js`, `lib/a.js`). */
  path: string
  /** Size in bytes as unpacked (the full size even when the text was truncated). */
  size: number
  /** sha256 of the full content, hex; absent when the file was over the per-file limit. */
  sha256?: string
  /** UTF-8 text when the file looks textual; absent for binaries. */
  text?: string
  /** True when only part of the file was read. */
  truncated: boolean
  binary: boolean
  /** Executable format told by the first bytes, whatever the file is called. */
  magic?: 'pe' | 'elf' | 'macho'
}

export interface PackageFiles {
  files: Map<string, PackageFile>
  /** Unpacked bytes seen. */
  totalBytes: number
  /** Limits that were hit while reading, as sentences; a non-empty list is a finding. */
  limitsHit: string[]
}

/** Why a package could not be read completely. Each becomes a finding: never a silent pass. */
export interface FetchProblem {
  code:
    'ENOTFOUND_VERSION' | 'ENOTFOUND_PACKAGE' | 'EINTEGRITY' | 'ELIMIT' | 'EREGISTRY' | 'ESOURCE'
  /** Which tarball the problem concerns. */
  which: 'new' | 'previous'
  message: string
}

// ---- the result of a scan, as the JSON report writes it ----

export interface LockfileSummary {
  path: string
  /** Packages locked in the head lockfile. */
  packages: number
  /** Added or changed packages that were analysed. */
  changes: number
}

/** What a provenance attestation says about where a version was built. */
export interface ProvenanceSummary {
  /** Source repository, e.g. `https://github.com/owner/repo`. */
  repository?: string
  /** Workflow file that built it, e.g. `.github/workflows/release.yml`. */
  workflow?: string
  /** Git ref it was built from, e.g. `refs/tags/v1.2.3`. */
  ref?: string
  /** Builder id, e.g. the GitHub Actions runner URI. */
  builder?: string
}

/** An OSV record (a `MAL-` advisory) that matches a scanned name@version. */
export interface OsvMatch {
  id: string
  summary?: string
  /** How the record covers the version: an explicit list, a range, or every version. */
  shape: 'versions' | 'range' | 'all'
  /** `online` (OSV's API) or `offline` (a local snapshot). */
  source: 'online' | 'offline'
  aliases?: string[]
}

export interface ScanReport {
  tool: { name: 'lockgate'; version: string }
  verdict: Verdict
  /** Findings at or above this severity fail the gate. */
  failOn: Severity
  /** `pull-request`: only what changed between base and head; `full`: every locked package. */
  mode: 'pull-request' | 'full'
  base?: string
  head?: string
  lockfiles: LockfileSummary[]
  /** Sorted: most severe first, then lockfile, line, rule. */
  findings: Finding[]
  errors: RunError[]
  /**
   * Run-wide remarks that are neither findings nor errors: signals that could not be evaluated
   * (trust metadata missing behind a mirror, OSV unreachable). Said once per run, never silently.
   */
  notices: string[]
  /** Base URL of the registry's website, for links to package pages (`<base>/package/<name>`). */
  registryBase?: string
  /** ISO time the scan finished. */
  generatedAt: string
}
