// The job summary (GITHUB_STEP_SUMMARY): verdict, incomplete analysis, a findings table and
// the evidence per package. It is written as HTML blocks inside Markdown: every attacker string
// goes through escapeHtml, which also encodes newlines, so no blank line can end an HTML block
// and let attacker text be parsed as Markdown. GitHub rejects summaries over 1 MiB per step, so
// the document is built part by part against a budget and ends with a note when cut short.
import { type Evidence, type Finding, type RunError, type ScanReport } from '../types.js'
import { clip, escapeHtml } from './escape.js'
import {
  countBySeverity,
  describeCounts,
  describeScope,
  errorLocation,
  fileAndLine,
  plural,
  verdictWord,
  versionChange
} from './format.js'
import { sortFindings } from './sort.js'

/** Budget for the body; the closing tags and the truncation note fit in the rest of 1 MiB. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024

const MESSAGE_MAX = 500
const NAME_MAX = 250
const SNIPPET_MAX = 2000

const VERDICT_ICON = { fail: '❌', warn: '⚠️', pass: '✅' } as const

/** Collects parts until the next one would go over the budget; then refuses everything. */
class BudgetedDocument {
  private readonly parts: string[] = []
  private bytes = 0
  truncated = false

  constructor(private readonly budget: number) {}

  /** Adds `text` if it fits; returns false (and stays closed) once one part did not fit. */
  add(text: string): boolean {
    if (this.truncated) return false
    const size = Buffer.byteLength(text)
    if (this.bytes + size > this.budget) {
      this.truncated = true
      return false
    }
    this.parts.push(text)
    this.bytes += size
    return true
  }

  /** Closing tags must be written even past the budget, or the rest of the page breaks. */
  force(text: string): void {
    this.parts.push(text)
    this.bytes += Buffer.byteLength(text)
  }

  toString(): string {
    return this.parts.join('')
  }
}

export function renderSummary(report: ScanReport, budget = SUMMARY_BUDGET_BYTES): string {
  const doc = new BudgetedDocument(budget)
  const findings = sortFindings(report.findings)
  doc.add(renderHeader(report, findings))
  addErrors(doc, report.errors)
  addNotices(doc, report.notices)
  const tabled = addFindingsTable(doc, findings)
  addEvidence(doc, findings)
  if (doc.truncated) doc.force(truncationNote(tabled, findings.length))
  return doc.toString()
}

function renderHeader(report: ScanReport, findings: Finding[]): string {
  const counts = describeCounts(countBySeverity(findings))
  const heading = `${VERDICT_ICON[report.verdict]} lockgate: ${verdictWord(report.verdict)} (${counts})`
  const range = report.base !== undefined || report.head !== undefined
  const refs = range
    ? ` · <code>${escapeHtml(report.base ?? '?')}..${escapeHtml(report.head ?? '?')}</code>`
    : ''
  const lockfiles = report.lockfiles.map((l) => `<code>${escapeHtml(l.path)}</code>`).join(', ')
  return (
    `<h2>${escapeHtml(heading)}</h2>\n` +
    `<p>Fails on <strong>${escapeHtml(report.failOn)}</strong> and above · mode ` +
    `<code>${escapeHtml(report.mode)}</code>${refs} · ${plural(findings.length, 'finding')}` +
    ` · ${plural(report.errors.length, 'error')}` +
    (lockfiles !== '' ? ` · lockfiles: ${lockfiles}` : '') +
    `<br>${escapeHtml(describeScope(report))}</p>\n\n`
  )
}

function addErrors(doc: BudgetedDocument, errors: RunError[]): void {
  if (errors.length === 0) return
  const intro =
    '<h3>Incomplete analysis</h3>\n<p>These problems kept the scan from being complete; ' +
    'they fail the gate.</p>\n<ul>\n'
  if (!doc.add(intro)) return
  for (const error of errors) {
    if (!doc.add(renderError(error))) break
  }
  doc.force('</ul>\n\n')
}

/** Signals that could not be evaluated in this run: said once, so a pass is never silent about them. */
function addNotices(doc: BudgetedDocument, notices: string[]): void {
  if (notices.length === 0) return
  const items = notices.map((notice) => `<li>${escapeHtml(clip(notice, MESSAGE_MAX))}</li>\n`)
  doc.add(`<h3>Not evaluated in this run</h3>\n<ul>\n${items.join('')}</ul>\n\n`)
}

function renderError(error: RunError): string {
  const where = errorLocation(error)
  const place = where !== undefined ? ` <code>${escapeHtml(clip(where, NAME_MAX))}</code>` : ''
  const pkg =
    error.package !== undefined ? ` <code>${escapeHtml(clip(error.package, NAME_MAX))}</code>` : ''
  return `<li><code>${escapeHtml(error.code)}</code>${place}${pkg}: ${escapeHtml(clip(error.message, MESSAGE_MAX))}</li>\n`
}

const TABLE_HEAD =
  '<h3>Findings</h3>\n<table>\n<thead><tr><th>Severity</th><th>Package</th><th>Location</th>' +
  '<th>Rule</th><th>Message</th></tr></thead>\n<tbody>\n'

/** Returns how many findings made it into the table. */
function addFindingsTable(doc: BudgetedDocument, findings: Finding[]): number {
  if (findings.length === 0 || !doc.add(TABLE_HEAD)) return 0
  let rows = 0
  for (const finding of findings) {
    if (!doc.add(renderRow(finding))) break
    rows += 1
  }
  doc.force('</tbody>\n</table>\n\n')
  return rows
}

function renderRow(finding: Finding): string {
  const cells = [
    `<strong>${escapeHtml(finding.severity)}</strong>`,
    packageCell(finding.package),
    `<code>${escapeHtml(clip(fileAndLine(finding.location.lockfile, finding.location.line) ?? '', NAME_MAX))}</code>`,
    `<code>${escapeHtml(finding.ruleId)}</code>`,
    escapeHtml(clip(finding.message, MESSAGE_MAX))
  ]
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>\n`
}

function packageCell(pkg: Finding['package']): string {
  const name = `<code>${escapeHtml(clip(pkg.name, NAME_MAX))}</code>`
  return `${name} <code>${escapeHtml(clip(versionChange(pkg, '→'), NAME_MAX))}</code>`
}

/** One collapsed block per package version, in the order of its first (most severe) finding. */
function addEvidence(doc: BudgetedDocument, findings: Finding[]): void {
  const byPackage = groupByPackage(findings)
  if (byPackage.size === 0 || !doc.add('<h3>Evidence</h3>\n\n')) return
  for (const group of byPackage.values()) {
    if (!doc.add(renderDetails(group))) return
  }
}

function groupByPackage(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>()
  for (const finding of findings) {
    const key = JSON.stringify([finding.package.name, finding.package.version])
    const group = groups.get(key) ?? []
    group.push(finding)
    groups.set(key, group)
  }
  return groups
}

function renderDetails(group: Finding[]): string {
  const pkg = group[0]?.package
  if (pkg === undefined) return ''
  const label = `${clip(pkg.name, NAME_MAX)}@${clip(pkg.version, NAME_MAX)}`
  const items = group.map(renderEvidenceItem).join('')
  return (
    `<details><summary><code>${escapeHtml(label)}</code> · ${plural(group.length, 'finding')}` +
    `</summary>\n<ul>\n${items}</ul>\n</details>\n\n`
  )
}

function renderEvidenceItem(finding: Finding): string {
  const head = `<strong>${escapeHtml(finding.severity)}</strong> <code>${escapeHtml(finding.ruleId)}</code>: ${escapeHtml(clip(finding.message, MESSAGE_MAX))}`
  const evidence = finding.evidence.map(renderEvidence).join('')
  return `<li>${head}${evidence}</li>\n`
}

function renderEvidence(evidence: Evidence): string {
  const where = fileAndLine(evidence.file, evidence.line)
  const place = where !== undefined ? `<br><code>${escapeHtml(clip(where, NAME_MAX))}</code>` : ''
  const snippet =
    evidence.snippet !== undefined && evidence.snippet !== ''
      ? `<pre>${escapeHtml(clip(evidence.snippet, SNIPPET_MAX))}</pre>`
      : ''
  return `${place}${snippet}`
}

function truncationNote(tabled: number, total: number): string {
  return (
    `<p><strong>This summary was truncated</strong> to stay under GitHub's 1 MiB limit ` +
    `(${tabled} of ${plural(total, 'finding')} in the table). ` +
    'The full detail is in the JSON report.</p>\n'
  )
}

/** The part of `@actions/core` used to write the summary. */
export interface SummarySink {
  summary: { addRaw(text: string, addEOL?: boolean): { write(): Promise<unknown> } }
}

/** Appends the summary to GITHUB_STEP_SUMMARY through `core.summary`; a no-op outside Actions. */
export async function writeSummary(report: ScanReport, core: SummarySink): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(renderSummary(report), true).write()
}
