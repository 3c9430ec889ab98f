// Findings + threshold -> verdict. An error (something that kept the scan from being complete)
// fails the gate: an unreadable lockfile or an unreachable registry must never read as a pass.
import { severityRank, type Finding, type RunError, type Severity, type Verdict } from '../types.js'

export function decideVerdict(findings: Finding[], errors: RunError[], failOn: Severity): Verdict {
  if (errors.length > 0) return 'fail'
  if (findings.some((finding) => isFailing(finding.severity, failOn))) return 'fail'
  // info findings are context (a capability, not an alarm): they do not turn a pass into a warn
  return findings.some((finding) => finding.severity !== 'info') ? 'warn' : 'pass'
}

/** True when a severity is at or above the fail-on threshold. */
export function isFailing(severity: Severity, failOn: Severity): boolean {
  return severityRank(severity) <= severityRank(failOn)
}
