// Text output of the false-positive check: a block per package that does not pass, then totals
// and the slowest pairs. Findings come from package contents: control characters are removed
// before they reach the terminal.
import { formatBytes } from '../../src/registry/limits.js'
import type { Finding } from '../../src/types.js'
import type { PairResult } from './run.js'

export interface Totals {
  fail: number
  warn: number
  pass: number
  error: number
}

const SNIPPET_WIDTH = 160

export function countVerdicts(results: readonly PairResult[]): Totals {
  const totals: Totals = { fail: 0, warn: 0, pass: 0, error: 0 }
  for (const result of results) totals[result.verdict]++
  return totals
}

/** The block printed for one package; empty for a pass (unless verbose with info findings). */
export function formatResult(result: PairResult, verbose = false): string[] {
  const shown = result.findings.filter((finding) => verbose || finding.severity !== 'info')
  if (result.verdict === 'pass' && shown.length === 0) return []
  const pair = result.latest ? `${result.previous ?? '?'} -> ${result.latest}` : '(no pair)'
  const lines = [`${result.verdict} ${result.name} ${pair} (${result.ms} ms)`]
  if (result.problem) lines.push(`  problem: ${clean(result.problem)}`)
  for (const error of result.errors) lines.push(`  error ${error.code}: ${clean(error.message)}`)
  for (const finding of shown) lines.push(...formatFinding(finding, verbose))
  return lines
}

function formatFinding(finding: Finding, verbose: boolean): string[] {
  const head = `  ${finding.severity} ${finding.ruleId}: ${clean(finding.message)}`
  const evidence = verbose ? finding.evidence : finding.evidence.slice(0, 1)
  const more = finding.evidence.length - evidence.length
  const lines = [head]
  for (const item of evidence) {
    const where = item.file ? `${item.file}${item.line ? `:${item.line}` : ''}` : '(no file)'
    lines.push(`      ${clean(where)}${item.snippet ? `  ${clip(item.snippet)}` : ''}`)
  }
  if (more > 0) lines.push(`      (+${more} more evidence)`)
  return lines
}

export function formatSummary(results: readonly PairResult[], totalMs: number): string[] {
  const totals = countVerdicts(results)
  const lines = [
    '',
    `${totals.fail} fail, ${totals.warn} warn, ${totals.pass} pass, ${totals.error} errors` +
      ` (${results.length} packages in ${(totalMs / 1000).toFixed(1)} s)`,
    ...severityCounts(results),
    'slowest pairs:'
  ]
  for (const result of slowest(results, 5)) lines.push(`  ${slowLine(result)}`)
  return lines
}

export function slowest(results: readonly PairResult[], count: number): PairResult[] {
  return results
    .filter((result) => result.verdict !== 'error')
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
}

function slowLine(result: PairResult): string {
  const sizes = result.sizes
    ? `unpacked ${formatBytes(result.sizes.previous)} -> ${formatBytes(result.sizes.latest)}`
    : ''
  return (
    `${result.name} ${result.previous} -> ${result.latest}: ${result.ms} ms` +
    ` (rules ${result.rulesMs ?? 0} ms, ${sizes})`
  )
}

/** How many findings of each rule and severity, warn and above: where the noise comes from. */
function severityCounts(results: readonly PairResult[]): string[] {
  const counts = new Map<string, number>()
  for (const finding of results.flatMap((result) => result.findings)) {
    if (finding.severity === 'info') continue
    const key = `${finding.ruleId} ${finding.severity}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  if (counts.size === 0) return []
  const rows = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return ['findings by rule:', ...rows.map(([key, count]) => `  ${count} ${key}`)]
}

function clip(text: string): string {
  const flat = clean(text).replace(/\s+/g, ' ').trim()
  return flat.length > SNIPPET_WIDTH ? `${flat.slice(0, SNIPPET_WIDTH)}…` : flat
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?')
}
