// Deterministic order for every reporter: the most severe first, then by where the finding
// points, so annotations, the summary and snapshots come out the same on every run.
import { severityRank, type Finding } from '../types.js'

/** Plain code-unit comparison: independent of the machine's locale. */
function compareText(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.location.lockfile, b.location.lockfile) ||
    a.location.line - b.location.line ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.package.name, b.package.name) ||
    compareText(a.package.version, b.package.version) ||
    compareText(a.message, b.message)
  )
}

/** Returns a sorted copy: severity (critical first), lockfile, line, rule id, package name. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings)
}
