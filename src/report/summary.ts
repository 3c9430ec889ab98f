// The job summary (GITHUB_STEP_SUMMARY): verdict, incomplete analysis, a findings table, the
// evidence per package (introduced lines as a diff snippet, the registry page, the `npm diff`
// command that reproduces the comparison) and the suppressed findings with their reasons. It is
// written as HTML blocks inside Markdown: every attacker string goes through escapeHtml, which
// also encodes newlines, so no blank line can end an HTML block and let attacker text be parsed
// as Markdown. GitHub rejects summaries over 1 MiB per step, so the document is built part by
// part against a budget and ends with a note when cut short.
import { type Evidence, type Finding, type RunError, type ScanReport } from '../types.js'
import { clip, escapeHtml } from './escape.js'
import {
  activeFindings,
  countBySeverity,
  describeCounts,
  describeScope,
  errorLocation,
  fileAndLine,
  plural,
  suppressedFindings,
  verdictWord,
  versionChange
} from './format.js'
import { npmDiffCommand, packagePageUrl } from './links.js'
import { sortFindings } from './sort.js'

/**
 * A report, plus where the registry's website shows a package version (`<base>/package/<name>/
 * v/<version>`). Without `registryBase` the summary links nowhere: no registry host is built in.
 */
export type SummaryReport = ScanReport & { registryBase?: string }

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

export function renderSummary(report: SummaryReport, budget = SUMMARY_BUDGET_BYTES): string {
  const doc = new BudgetedDocument(budget)
  const findings = sortFindings(activeFindings(report.findings))
  const suppressed = sortFindings(suppressedFindings(report.findings))
  doc.add(renderHeader(report, findings, suppressed.length))
  addErrors(doc, report.errors)
  addNotices(doc, report.notices)
  const tabled = addFindingsTable(doc, findings)
  addEvidence(doc, findings, report.registryBase)
  addSuppressed(doc, suppressed)
  if (doc.truncated) doc.force(truncationNote(tabled, findings.length))
  return doc.toString()
}

function renderHeader(report: ScanReport, findings: Finding[], suppressed: number): string {
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
    (suppressed > 0 ? ` · ${suppressed} suppressed` : '') +
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
    locationCell(finding),
    `<code>${escapeHtml(finding.ruleId)}</code>`,
    escapeHtml(clip(finding.message, MESSAGE_MAX))
  ]
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>\n`
}

function packageCell(pkg: Finding['package']): string {
  const name = `<code>${escapeHtml(clip(pkg.name, NAME_MAX))}</code>`
  return `${name} <code>${escapeHtml(clip(versionChange(pkg, '→'), NAME_MAX))}</code>`
}

function locationCell(finding: Finding): string {
  const where = fileAndLine(finding.location.lockfile, finding.location.line) ?? ''
  return `<code>${escapeHtml(clip(where, NAME_MAX))}</code>`
}

/** One collapsed block per package version, in the order of its first (most severe) finding. */
function addEvidence(doc: BudgetedDocument, findings: Finding[], registryBase?: string): void {
  const byPackage = groupByPackage(findings)
  if (byPackage.size === 0 || !doc.add('<h3>Evidence</h3>\n\n')) return
  for (const group of byPackage.values()) {
    if (!doc.add(renderDetails(group, registryBase))) return
  }
}

function groupByPackage(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>()
  for (const finding of findings) {
    const { name, version, previous } = finding.package
    const key = JSON.stringify([name, version, previous ?? null])
    const group = groups.get(key) ?? []
    group.push(finding)
    groups.set(key, group)
  }
  return groups
}

function renderDetails(group: Finding[], registryBase?: string): string {
  const pkg = group[0]?.package
  if (pkg === undefined) return ''
  const label = `${clip(pkg.name, NAME_MAX)}@${clip(pkg.version, NAME_MAX)}`
  const change = pkg.previous !== undefined ? ` (${clip(versionChange(pkg, '→'), NAME_MAX)})` : ''
  const items = group.map(renderEvidenceItem).join('')
  return (
    `<details><summary><code>${escapeHtml(label)}</code>${escapeHtml(change)} · ` +
    `${plural(group.length, 'finding')}</summary>\n${renderPointers(pkg, registryBase)}` +
    `<ul>\n${items}</ul>\n</details>\n\n`
  )
}

/** The registry page (when its website is known) and the command that shows the same diff. */
function renderPointers(pkg: Finding['package'], registryBase?: string): string {
  const parts: string[] = []
  const page = packagePageUrl(pkg.name, pkg.version, registryBase)
  if (page !== undefined) parts.push(`<a href="${escapeHtml(page)}">registry page</a>`)
  const command = npmDiffCommand(pkg)
  if (command !== undefined) parts.push(`reproduce: <code>${escapeHtml(command)}</code>`)
  return parts.length > 0 ? `<p>${parts.join(' · ')}</p>\n` : ''
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
      ? `<pre>${escapeHtml(diffSnippet(evidence.file, evidence.snippet))}</pre>`
      : ''
  return `${place}${snippet}`
}

// Evidence that describes registry metadata or the lockfile rather than lines of the new tarball.
const NOT_PACKAGE_CONTENT = new Set(['lockfile', 'packument', 'attestation', 'osv'])

/**
 * A snippet from the new tarball is what the version introduces: each line gets the `+` of a
 * unified diff. Metadata evidence (the lockfile, the packument, an attestation) stays as it is.
 */
export function diffSnippet(file: string | undefined, snippet: string): string {
  const text = clip(snippet, SNIPPET_MAX)
  if (file === undefined || NOT_PACKAGE_CONTENT.has(file)) return text
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `+${line}`)
    .join('\n')
}

const SUPPRESSED_HEAD =
  '<table>\n<thead><tr><th>Severity</th><th>Package</th><th>Location</th><th>Rule</th>' +
  '<th>Message</th><th>Reason</th><th>Expires</th></tr></thead>\n<tbody>\n'

/** Findings allowed by the configuration: listed apart, with why and until when. */
function addSuppressed(doc: BudgetedDocument, suppressed: Finding[]): void {
  if (suppressed.length === 0) return
  const intro =
    `<h3>Suppressed</h3>\n<details><summary>${plural(suppressed.length, 'finding')} ` +
    'suppressed by allow entries: not counted in the verdict</summary>\n' +
    SUPPRESSED_HEAD
  if (!doc.add(intro)) return
  for (const finding of suppressed) {
    if (!doc.add(renderSuppressedRow(finding))) break
  }
  doc.force('</tbody>\n</table>\n</details>\n\n')
}

function renderSuppressedRow(finding: Finding): string {
  const reason = finding.suppressed?.reason ?? ''
  const expires = finding.suppressed?.expires ?? '—'
  const cells = [
    escapeHtml(finding.severity),
    packageCell(finding.package),
    locationCell(finding),
    `<code>${escapeHtml(finding.ruleId)}</code>`,
    escapeHtml(clip(finding.message, MESSAGE_MAX)),
    escapeHtml(clip(reason, MESSAGE_MAX)),
    escapeHtml(clip(expires, NAME_MAX))
  ]
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>\n`
}

function truncationNote(tabled: number, total: number): string {
  return (
    `<p><strong>This summary was truncated</strong> to stay under GitHub's 1 MiB limit ` +
    `(${tabled} of ${plural(total, 'finding')} in the table). ` +
    'The full detail is in the JSON report and the SARIF file.</p>\n'
  )
}

/** The part of `@actions/core` used to write the summary. */
export interface SummarySink {
  summary: { addRaw(text: string, addEOL?: boolean): { write(): Promise<unknown> } }
}

/** Appends the summary to GITHUB_STEP_SUMMARY through `core.summary`; a no-op outside Actions. */
export async function writeSummary(report: SummaryReport, core: SummarySink): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(renderSummary(report), true).write()
}
