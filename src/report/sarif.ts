// SARIF 2.1.0 for GitHub Code Scanning. One result per finding, at the repository-relative
// lockfile path and the entry's line in the head lockfile (a line the pull request adds, so the
// alert shows in the PR). `tool.driver.rules` come from the rules' meta, with the `security` tag
// and a `security-severity` so that GitHub files the results as security alerts.
//
// Fingerprints: `partialFingerprints.primaryLocationLineHash` is sha256(`ruleId:lockfile:name@
// version`) plus `:<n>`, the occurrence of that key among the sorted results (the convention of
// CodeQL's own line hashes). It does not depend on the line, so an alert survives the entry
// moving in the lockfile, and two findings of one rule on one package stay two alerts.
//
// Suppressed findings (an `allow` entry) are kept, with an external suppression carrying the
// reason, so Code Scanning shows them as dismissed rather than forgetting them.
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type {
  Location,
  Log,
  Notification,
  ReportingDescriptor,
  Result,
  Run,
  Suppression
} from 'sarif'
import type { Rule, RuleMeta } from '../rules/types.js'
import {
  severityRank,
  type Finding,
  type RunError,
  type ScanReport,
  type Severity
} from '../types.js'
import { findingMessage } from './annotations.js'
import { clip, sanitizeText } from './escape.js'
import { activeFindings, describeSuppression, suppressedFindings, usableLine } from './format.js'
import { sortFindings } from './sort.js'

export type SarifLog = Log
export type SarifLevel = 'error' | 'warning' | 'note'

export interface SarifOptions {
  /**
   * Code Scanning category (`runAutomationDetails.id` without the run part). Default
   * `lockgate/<mode>`: a pull-request scan and a nightly full scan of the same branch must not
   * close each other's alerts.
   */
  category?: string
  /** Severity per rule id when the configuration overrides the rule's default. */
  severities?: Readonly<Record<string, Severity>>
}

/** Code Scanning shows the first 5,000 and accepts at most 25,000 results per run. */
export const SARIF_RESULT_LIMIT = 25_000

/** GitHub's reading of `security-severity`: >= 9 critical, 7-8.9 high, 4-6.9 medium, else low. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0'
}

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'
const MESSAGE_MAX = 1000
const EVIDENCE_MAX = 10
const SNIPPET_MAX = 500

/** error at or above fail-on, note for info, warning in between. */
export function sarifLevel(severity: Severity, failOn: Severity): SarifLevel {
  if (severityRank(severity) <= severityRank(failOn)) return 'error'
  return severity === 'info' ? 'note' : 'warning'
}

export function renderSarif(
  report: ScanReport,
  rules: readonly Rule[],
  options: SarifOptions = {}
): SarifLog {
  const ordered = [
    ...sortFindings(activeFindings(report.findings)),
    ...sortFindings(suppressedFindings(report.findings))
  ]
  const kept = ordered.slice(0, SARIF_RESULT_LIMIT)
  const descriptors = ruleDescriptors(rules, kept, report.failOn, options.severities ?? {})
  const indexOf = new Map(descriptors.map((descriptor, index) => [descriptor.id, index]))
  const results = withFingerprints(kept).map(({ finding, fingerprint }) =>
    renderResult(finding, fingerprint, report.failOn, indexOf.get(finding.ruleId))
  )
  const run: Run = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        rules: descriptors
      }
    },
    automationDetails: { id: `${options.category ?? `lockgate/${report.mode}`}/` },
    invocations: [invocation(report, ordered.length - kept.length)],
    results,
    properties: runProperties(report)
  }
  return { $schema: SCHEMA_URI, version: '2.1.0', runs: [run] }
}

/** Writes the SARIF log to `path` (creating its folder) and returns the log. */
export async function writeSarif(
  report: ScanReport,
  rules: readonly Rule[],
  path: string,
  options: SarifOptions = {}
): Promise<SarifLog> {
  const log = renderSarif(report, rules, options)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, `${JSON.stringify(log, null, 2)}\n`, 'utf8')
  return log
}

// ---- rules ----

function ruleDescriptors(
  rules: readonly Rule[],
  findings: readonly Finding[],
  failOn: Severity,
  severities: Readonly<Record<string, Severity>>
): ReportingDescriptor[] {
  const known = new Set(rules.map((rule) => rule.meta.id))
  const descriptors = rules.map((rule) =>
    ruleDescriptor(rule.meta, severities[rule.meta.id] ?? rule.meta.defaultSeverity, failOn)
  )
  // findings the policy itself produces (a deny entry, an expired allow entry) have no Rule
  for (const [id, severity] of unknownRules(findings, known)) {
    descriptors.push(ruleDescriptor(policyMeta(id, severity), severity, failOn))
  }
  return descriptors
}

function ruleDescriptor(meta: RuleMeta, severity: Severity, failOn: Severity): ReportingDescriptor {
  const kind = meta.id.split('/')[0] ?? 'lockgate'
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: { text: helpText(meta), markdown: helpMarkdown(meta, severity) },
    defaultConfiguration: { level: sarifLevel(severity, failOn) },
    properties: {
      tags: ['security', 'supply-chain', kind],
      'security-severity': SECURITY_SEVERITY[severity],
      precision: 'high'
    }
  }
}

const HELP_ACTION =
  'Review the evidence in the job summary (or run the npm diff command it shows). If the change ' +
  'is expected, add an allow entry with a reason (and an expiry) to the lockgate configuration; ' +
  'otherwise pin the previous version or remove the dependency.'

function helpText(meta: RuleMeta): string {
  return `${meta.title}. ${meta.description}\n\n${HELP_ACTION}`
}

function helpMarkdown(meta: RuleMeta, severity: Severity): string {
  return (
    `**${meta.title}** (\`${meta.id}\`, default severity ${severity})\n\n` +
    `${meta.description}\n\n${HELP_ACTION}`
  )
}

function unknownRules(findings: readonly Finding[], known: Set<string>): Map<string, Severity> {
  const unknown = new Map<string, Severity>()
  for (const finding of findings) {
    if (known.has(finding.ruleId)) continue
    const seen = unknown.get(finding.ruleId)
    if (seen === undefined || severityRank(finding.severity) < severityRank(seen)) {
      unknown.set(finding.ruleId, finding.severity)
    }
  }
  return new Map([...unknown].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function policyMeta(id: string, severity: Severity): RuleMeta {
  const text = clip(sanitizeText(id, 200), 200)
  return {
    id,
    title: text,
    description: `Reported by the lockgate policy (${text}).`,
    defaultSeverity: severity,
    version: 1
  }
}

// ---- results ----

/** sha256 of `ruleId:lockfile:name@version`: independent of the line and of the run. */
export function findingFingerprintKey(finding: Finding): string {
  const { ruleId, location, package: pkg } = finding
  return createHash('sha256')
    .update(`${ruleId}:${location.lockfile}:${pkg.name}@${pkg.version}`)
    .digest('hex')
}

function withFingerprints(findings: Finding[]): { finding: Finding; fingerprint: string }[] {
  const occurrences = new Map<string, number>()
  return findings.map((finding) => {
    const key = findingFingerprintKey(finding)
    const occurrence = (occurrences.get(key) ?? 0) + 1
    occurrences.set(key, occurrence)
    return { finding, fingerprint: `${key}:${occurrence}` }
  })
}

function renderResult(
  finding: Finding,
  fingerprint: string,
  failOn: Severity,
  ruleIndex: number | undefined
): Result {
  const result: Result = {
    ruleId: finding.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: sarifLevel(finding.severity, failOn),
    message: { text: findingMessage(finding) },
    locations: [lockfileLocation(finding.location.lockfile, finding.location.line)],
    partialFingerprints: { primaryLocationLineHash: fingerprint },
    properties: resultProperties(finding)
  }
  if (finding.suppressed !== undefined) result.suppressions = [suppression(finding.suppressed)]
  return result
}

function suppression(suppressed: NonNullable<Finding['suppressed']>): Suppression {
  return {
    kind: 'external',
    status: 'accepted',
    justification: clip(describeSuppression(suppressed), MESSAGE_MAX)
  }
}

function lockfileLocation(lockfile: string, line: number | undefined): Location {
  const startLine = usableLine(line)
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeUri(lockfile), uriBaseId: '%SRCROOT%' },
      ...(startLine !== undefined ? { region: { startLine } } : {})
    }
  }
}

/** A repository-relative path as a relative URI reference: each segment percent-encoded. */
function relativeUri(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/')
}

function resultProperties(finding: Finding): Record<string, unknown> {
  const { name, version, previous } = finding.package
  return {
    severity: finding.severity,
    package: name,
    version,
    ...(previous !== undefined ? { previousVersion: previous } : {}),
    evidence: finding.evidence.slice(0, EVIDENCE_MAX).map((evidence) => ({
      ...(evidence.file !== undefined ? { file: clip(evidence.file, 300) } : {}),
      ...(evidence.line !== undefined ? { line: evidence.line } : {}),
      ...(evidence.snippet !== undefined ? { snippet: clip(evidence.snippet, SNIPPET_MAX) } : {})
    }))
  }
}

// ---- the run ----

function invocation(report: ScanReport, leftOut: number): NonNullable<Run['invocations']>[number] {
  const notifications: Notification[] = [
    ...report.errors.map(errorNotification),
    ...report.notices.map((notice) => ({
      level: 'note' as const,
      message: { text: clip(notice, MESSAGE_MAX) }
    }))
  ]
  if (leftOut > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${leftOut} findings left out: Code Scanning accepts ${SARIF_RESULT_LIMIT} results per run; the JSON report has them all.`
      }
    })
  }
  return {
    executionSuccessful: report.errors.length === 0,
    endTimeUtc: report.generatedAt,
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {})
  }
}

function errorNotification(error: RunError): Notification {
  const located = error.lockfile !== undefined && error.lockfile !== ''
  return {
    level: 'error',
    descriptor: { id: error.code },
    message: { text: clip(error.message, MESSAGE_MAX) },
    ...(located ? { locations: [lockfileLocation(error.lockfile ?? '', error.line)] } : {})
  }
}

function runProperties(report: ScanReport): Record<string, unknown> {
  return {
    verdict: report.verdict,
    failOn: report.failOn,
    mode: report.mode,
    ...(report.base !== undefined ? { base: report.base } : {}),
    ...(report.head !== undefined ? { head: report.head } : {})
  }
}
