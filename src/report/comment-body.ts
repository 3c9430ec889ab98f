// The body of the pull request comment: the verdict and the findings table, in Markdown. Unlike
// the job summary it is plain Markdown, so attacker strings go through markdownCodeSpan (names,
// paths, rule ids) or escapeMarkdownInline (messages, reasons): neither can open a link, an
// image, HTML or a new table row. GitHub refuses comments over 65,536 characters, so rows are
// added against a budget and the rest is counted.
import type { Finding, ScanReport } from '../types.js'
import { clip, escapeMarkdownInline, markdownCodeSpan } from './escape.js'
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
import { sortFindings } from './sort.js'

/** Hidden first line that tells lockgate's comment from every other one on the pull request. */
export const COMMENT_MARKER = '<!-- lockgate -->'

/** GitHub's limit on an issue comment body. */
export const COMMENT_MAX_CHARS = 65_536

/** Room for the rows; the head, the counts and the closing lines fit in the rest. */
const ROWS_BUDGET = 56_000
const NAME_MAX = 120
const MESSAGE_MAX = 300
const ERRORS_SHOWN = 10

const VERDICT_ICON = { fail: '❌', warn: '⚠️', pass: '✅' } as const

export interface CommentBodyOptions {
  /** Link to the workflow run, where the job summary has the evidence. */
  runUrl?: string
}

export function renderCommentBody(report: ScanReport, options: CommentBodyOptions = {}): string {
  const findings = sortFindings(activeFindings(report.findings))
  const suppressed = suppressedFindings(report.findings).length
  const parts = [
    COMMENT_MARKER,
    heading(report, findings),
    detailLine(report, findings.length, suppressed),
    ...findingsTable(findings),
    ...errorLines(report),
    ...(suppressed > 0
      ? [
          `${plural(suppressed, 'finding')} suppressed by allow entries, with their reasons in the job summary.`
        ]
      : []),
    footer(options.runUrl)
  ]
  return clip(parts.filter((part) => part !== '').join('\n\n'), COMMENT_MAX_CHARS)
}

function heading(report: ScanReport, findings: Finding[]): string {
  const counts = describeCounts(countBySeverity(findings))
  return `### ${VERDICT_ICON[report.verdict]} lockgate: ${verdictWord(report.verdict)} (${counts})`
}

function detailLine(report: ScanReport, findings: number, suppressed: number): string {
  const parts = [
    `Fails on **${report.failOn}** and above`,
    plural(findings, 'finding'),
    ...(suppressed > 0 ? [`${suppressed} suppressed`] : []),
    plural(report.errors.length, 'error')
  ]
  return `${parts.join(' · ')}  \n${escapeMarkdownInline(describeScope(report))}`
}

function findingsTable(findings: Finding[]): string[] {
  if (findings.length === 0) return []
  const rows = [
    '| Severity | Package | Location | Rule | Message |',
    '| --- | --- | --- | --- | --- |'
  ]
  let used = 0
  let shown = 0
  for (const finding of findings) {
    const row = tableRow(finding)
    if (used + row.length + 1 > ROWS_BUDGET) break
    rows.push(row)
    used += row.length + 1
    shown += 1
  }
  const rest = findings.length - shown
  const more = rest > 0 ? [`…and ${plural(rest, 'more finding')}: see the job summary.`] : []
  return [rows.join('\n'), ...more]
}

function tableRow(finding: Finding): string {
  const { name } = finding.package
  const where = fileAndLine(finding.location.lockfile, finding.location.line) ?? ''
  const cells = [
    `**${finding.severity}**`,
    `${markdownCodeSpan(clip(name, NAME_MAX))} ${markdownCodeSpan(clip(versionChange(finding.package, '→'), NAME_MAX))}`,
    markdownCodeSpan(clip(where, NAME_MAX)),
    markdownCodeSpan(clip(finding.ruleId, NAME_MAX)),
    escapeMarkdownInline(clip(finding.message, MESSAGE_MAX))
  ]
  return `| ${cells.join(' | ')} |`
}

function errorLines(report: ScanReport): string[] {
  if (report.errors.length === 0) return []
  const lines = report.errors.slice(0, ERRORS_SHOWN).map((error) => {
    const where = errorLocation(error)
    const place = where !== undefined ? ` ${markdownCodeSpan(clip(where, NAME_MAX))}` : ''
    return `- ${markdownCodeSpan(error.code)}${place}: ${escapeMarkdownInline(clip(error.message, MESSAGE_MAX))}`
  })
  const rest = report.errors.length - lines.length
  if (rest > 0) lines.push(`- …and ${plural(rest, 'more error')}`)
  return [`**Incomplete analysis** (fails the gate):\n${lines.join('\n')}`]
}

function footer(runUrl: string | undefined): string {
  const link = runUrl !== undefined && /^https?:\/\//.test(runUrl) ? linkTarget(runUrl) : undefined
  const where = link !== undefined ? `[the job summary](${link})` : 'the job summary'
  return `<sub>Evidence per package, the \`npm diff\` commands and the suppressed findings are in ${where}.</sub>`
}

/** Percent-encodes what could end a Markdown link target early. */
function linkTarget(url: string): string {
  return url.replace(/[\s()<>[\]\\`"']/g, (char) => {
    const hex = char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
    return `%${hex}`
  })
}
