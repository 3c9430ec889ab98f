// Plain-text report for the CLI. The CLI may itself run inside an Actions job, where any stdout
// line that starts with `::` is a workflow command, so every attacker string goes through
// sanitizeText and the finished text gets a final line-by-line guard.
import type { Evidence, Finding, RunError, ScanReport, Severity, Verdict } from '../types.js'
import { neutralizeCommandLines, sanitizeText } from './escape.js'
import {
  activeFindings,
  countBySeverity,
  describeCounts,
  describeScope,
  describeSuppression,
  errorLocation,
  fileAndLine,
  plural,
  suppressedFindings,
  verdictWord,
  versionChange
} from './format.js'
import { sortFindings } from './sort.js'

export interface TextOptions {
  /** ANSI colors for severities and the verdict (only our own constant codes). Default false. */
  color?: boolean
}

const NAME_MAX = 250
const MESSAGE_MAX = 500
const SNIPPET_MAX = 200

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m'
}
const VERDICT_COLOR: Record<Verdict, string> = {
  fail: '\u001b[1;31m',
  warn: '\u001b[1;33m',
  pass: '\u001b[1;32m'
}
const RESET = '\u001b[0m'

type Paint = (text: string, code: string) => string

export function renderText(report: ScanReport, opts: TextOptions = {}): string {
  const paint: Paint = opts.color === true ? (text, code) => `${code}${text}${RESET}` : (t) => t
  const findings = sortFindings(activeFindings(report.findings))
  const suppressed = sortFindings(suppressedFindings(report.findings))
  const blocks = [
    header(report, findings, paint),
    ...findings.map((finding) => findingBlock(finding, paint)),
    ...(suppressed.length > 0 ? [suppressedBlock(suppressed)] : []),
    ...(report.errors.length > 0 ? [errorsBlock(report.errors)] : []),
    ...(report.notices.length > 0 ? [noticesBlock(report.notices)] : []),
    footer(report, findings, suppressed.length, paint)
  ]
  return neutralizeCommandLines(`${blocks.join('\n\n')}\n`)
}

function header(report: ScanReport, findings: Finding[], paint: Paint): string {
  const verdict = paint(verdictWord(report.verdict), VERDICT_COLOR[report.verdict])
  const counts = describeCounts(countBySeverity(findings))
  const refs =
    report.base !== undefined || report.head !== undefined
      ? ` · ${sanitizeText(`${report.base ?? '?'}..${report.head ?? '?'}`, NAME_MAX)}`
      : ''
  return `lockgate: ${verdict} (${counts}) · fail-on ${report.failOn} · ${report.mode}${refs}`
}

function findingBlock(finding: Finding, paint: Paint): string {
  const where = sanitizeText(
    fileAndLine(finding.location.lockfile, finding.location.line) ?? '?',
    NAME_MAX
  )
  const pkg = `${sanitizeText(finding.package.name, NAME_MAX)} ${sanitizeText(versionChange(finding.package), NAME_MAX)}`
  const severity = paint(`[${finding.severity}]`, SEVERITY_COLOR[finding.severity])
  const lines = [
    `${where}  ${pkg}  ${severity} ${sanitizeText(finding.ruleId, NAME_MAX)}`,
    `  ${sanitizeText(finding.message, MESSAGE_MAX)}`,
    ...finding.evidence.map(evidenceLine).filter((line) => line !== '')
  ]
  return lines.join('\n')
}

function evidenceLine(evidence: Evidence): string {
  const where = fileAndLine(evidence.file, evidence.line)
  const parts = [
    ...(where !== undefined ? [sanitizeText(where, NAME_MAX)] : []),
    ...(evidence.snippet ? [sanitizeText(evidence.snippet, SNIPPET_MAX)] : [])
  ]
  return parts.length > 0 ? `    ${parts.join('  ')}` : ''
}

/** Allowed by the configuration: one line each, with the reason, so nothing is hidden. */
function suppressedBlock(suppressed: Finding[]): string {
  const lines = suppressed.map((finding) => {
    const where = sanitizeText(
      fileAndLine(finding.location.lockfile, finding.location.line) ?? '?',
      NAME_MAX
    )
    const pkg = `${sanitizeText(finding.package.name, NAME_MAX)} ${sanitizeText(versionChange(finding.package), NAME_MAX)}`
    const reason = finding.suppressed !== undefined ? describeSuppression(finding.suppressed) : ''
    return (
      `  ${where}  ${pkg}  [${finding.severity}, suppressed] ${sanitizeText(finding.ruleId, NAME_MAX)}` +
      `\n    allowed: ${sanitizeText(reason, MESSAGE_MAX)}`
    )
  })
  return ['Suppressed by allow entries (not counted in the verdict):', ...lines].join('\n')
}

function errorsBlock(errors: RunError[]): string {
  const lines = errors.map((error) => {
    const where = errorLocation(error)
    const parts = [
      error.code,
      ...(where !== undefined ? [where] : []),
      ...(error.package !== undefined ? [error.package] : [])
    ].map((part) => sanitizeText(part, NAME_MAX))
    return `  ${parts.join('  ')}: ${sanitizeText(error.message, MESSAGE_MAX)}`
  })
  return ['Incomplete analysis (these fail the gate):', ...lines].join('\n')
}

function noticesBlock(notices: string[]): string {
  const lines = notices.map((notice) => `  ${sanitizeText(notice, MESSAGE_MAX)}`)
  return ['Not evaluated in this run:', ...lines].join('\n')
}

function footer(report: ScanReport, findings: Finding[], suppressed: number, paint: Paint): string {
  const counts = describeCounts(countBySeverity(findings))
  const verdict = paint(verdictWord(report.verdict), VERDICT_COLOR[report.verdict])
  const allowed = suppressed > 0 ? `, ${suppressed} suppressed` : ''
  return (
    `${describeScope(report)}.\n` +
    `${plural(findings.length, 'finding')} (${counts})${allowed}, ${plural(report.errors.length, 'error')}.` +
    ` Verdict: ${verdict}`
  )
}
