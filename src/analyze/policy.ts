// The policy stage: the configuration's judgement over what the rules found. Severity overrides,
// `allow` entries (a covered finding stays in the report, marked suppressed with the reason, and
// stops counting), expired entries (they stop suppressing and become a warning of their own), and
// the verdict. An error (something that kept the scan from being complete) fails the gate: an
// unreadable lockfile or an unreachable registry must never read as a pass; only `warn-only`,
// which the user chooses to never block, caps it at warn.
import type { AllowEntry, Policy } from '../config.js'
import { expiredAllowFinding, rule as allowExpiredRule } from '../rules/policy/allow-expired.js'
import { rule as deniedRule } from '../rules/policy/denied.js'
import { packageMatches } from '../rules/lib/package-match.js'
import type { Rule } from '../rules/types.js'
import { severityRank, type Finding, type RunError, type Severity, type Verdict } from '../types.js'

export interface VerdictOptions {
  /** Never fail: the verdict is at most `warn`. */
  warnOnly?: boolean
}

export function decideVerdict(
  findings: Finding[],
  errors: RunError[],
  failOn: Severity,
  options: VerdictOptions = {}
): Verdict {
  const verdict = uncappedVerdict(findings, errors, failOn)
  return options.warnOnly && verdict === 'fail' ? 'warn' : verdict
}

function uncappedVerdict(findings: Finding[], errors: RunError[], failOn: Severity): Verdict {
  if (errors.length > 0) return 'fail'
  const counted = findings.filter((finding) => !finding.suppressed)
  if (counted.some((finding) => isFailing(finding.severity, failOn))) return 'fail'
  // info findings are context (a capability, not an alarm): they do not turn a pass into a warn
  return counted.some((finding) => finding.severity !== 'info') ? 'warn' : 'pass'
}

/** True when a severity is at or above the fail-on threshold. */
export function isFailing(severity: Severity, failOn: Severity): boolean {
  return severityRank(severity) <= severityRank(failOn)
}

/** The rules the configuration leaves enabled (every rule unless `enabled: false`). */
export function enabledRules(rules: readonly Rule[], policy: Policy): Rule[] {
  return rules.filter((rule) => policy.rules[rule.meta.id]?.enabled !== false)
}

/** The options a rule receives from the configuration; `policy/denied` gets the deny list. */
export function policyOptions(policy: Policy, ruleId: string): Record<string, unknown> {
  if (ruleId === deniedRule.meta.id) return { deny: policy.deny, file: policy.file }
  return policy.rules[ruleId]?.options ?? {}
}

/**
 * Severity overrides, then suppression by the `allow` entries that are still valid, plus one
 * `policy/allow-expired` finding per expired entry. Findings of `policy/*` rules are neither
 * re-graded nor suppressible: a deny always fails.
 */
export function applyPolicy(findings: readonly Finding[], policy: Policy, now: Date): Finding[] {
  const active = policy.allow.filter((entry) => !isExpired(entry, now))
  const judged = findings.map((finding) => suppress(regrade(finding, policy), active))
  return [...judged, ...expiredFindings(findings, policy, now)]
}

function regrade(finding: Finding, policy: Policy): Finding {
  const severity = policy.rules[finding.ruleId]?.severity
  if (!severity || finding.ruleId === deniedRule.meta.id) return finding
  return { ...finding, severity }
}

function suppress(finding: Finding, entries: readonly AllowEntry[]): Finding {
  if (finding.ruleId.startsWith('policy/')) return finding
  const entry = entries.find((candidate) => allowCovers(candidate, finding))
  if (!entry) return finding
  return {
    ...finding,
    suppressed: { reason: entry.reason, ...(entry.expires ? { expires: entry.expires } : {}) }
  }
}

/** True when the entry's package glob, version range and rule list all cover the finding. */
export function allowCovers(entry: AllowEntry, finding: Finding): boolean {
  if (entry.rules && !entry.rules.includes(finding.ruleId)) return false
  return packageMatches(entry.package, entry.versions, finding.package)
}

/** An entry suppresses through its `expires` day (UTC) and stops at the next midnight. */
export function isExpired(entry: AllowEntry, now: Date): boolean {
  if (!entry.expires) return false
  const endOfDay = Date.parse(`${entry.expires}T00:00:00Z`) + 86_400_000
  return now.getTime() >= endOfDay
}

function expiredFindings(findings: readonly Finding[], policy: Policy, now: Date): Finding[] {
  const setting = policy.rules[allowExpiredRule.meta.id]
  if (setting?.enabled === false) return []
  return policy.allow
    .filter((entry) => isExpired(entry, now))
    .map((entry) => {
      const covered = findings.filter(
        (finding) => !finding.ruleId.startsWith('policy/') && allowCovers(entry, finding)
      ).length
      const finding = expiredAllowFinding(entry, policy.file, covered)
      return setting?.severity ? { ...finding, severity: setting.severity } : finding
    })
}
