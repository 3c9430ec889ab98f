// Small pieces of wording shared by the reporters. They return raw (unescaped) text: each
// reporter escapes for its own channel.
import {
  SEVERITIES,
  type Finding,
  type RunError,
  type ScanReport,
  type Severity
} from '../types.js'

export type SeverityCounts = Record<Severity, number>

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts
  for (const finding of findings) counts[finding.severity] += 1
  return counts
}

/** `1 critical, 2 high`, or `no findings`. */
export function describeCounts(counts: SeverityCounts): string {
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`)
  return parts.length > 0 ? parts.join(', ') : 'no findings'
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** A 1-based line worth showing, or undefined for a missing or nonsensical one. */
export function usableLine(line: number | undefined): number | undefined {
  return typeof line === 'number' && Number.isInteger(line) && line > 0 ? line : undefined
}

/** `file:line`, `file`, or undefined. */
export function fileAndLine(
  file: string | undefined,
  line: number | undefined
): string | undefined {
  if (file === undefined || file === '') return undefined
  const shown = usableLine(line)
  return shown === undefined ? file : `${file}:${shown}`
}

/** `previous -> version`, or just `version` for an added package (or a full scan). */
export function versionChange(pkg: Finding['package'], arrow = '->'): string {
  return pkg.previous !== undefined ? `${pkg.previous} ${arrow} ${pkg.version}` : pkg.version
}

/** The first evidence location of a finding, as `file:line`. */
export function firstEvidenceLocation(finding: Finding): string | undefined {
  for (const evidence of finding.evidence) {
    const where = fileAndLine(evidence.file, evidence.line)
    if (where !== undefined) return where
  }
  return undefined
}

/** Where a run error points, as `lockfile:line`, when known. */
export function errorLocation(error: RunError): string | undefined {
  return fileAndLine(error.lockfile, error.line)
}

export function verdictWord(verdict: ScanReport['verdict']): string {
  return verdict.toUpperCase()
}

/** What was looked at, so that a pass says how much it covers: `13 added or changed packages
 *  analysed (of 86 locked), in 1 lockfile`. */
export function describeScope(report: ScanReport): string {
  const changes = report.lockfiles.reduce((sum, lockfile) => sum + lockfile.changes, 0)
  const locked = report.lockfiles.reduce((sum, lockfile) => sum + lockfile.packages, 0)
  const what = report.mode === 'full' ? 'package' : 'added or changed package'
  const noun = changes === 1 ? what : `${what}s`
  return `${changes} ${noun} analysed (of ${locked} locked), in ${plural(report.lockfiles.length, 'lockfile')}`
}

/** Findings that count: everything an `allow` entry of the configuration does not cover. */
export function activeFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.suppressed === undefined)
}

/** Findings an `allow` entry covers: still reported, with the reason, but never failing. */
export function suppressedFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.suppressed !== undefined)
}

/** `allowed: <reason> (until <expires>)` for a suppressed finding. */
export function describeSuppression(suppressed: NonNullable<Finding['suppressed']>): string {
  const until = suppressed.expires !== undefined ? ` (until ${suppressed.expires})` : ''
  return `${suppressed.reason}${until}`
}
