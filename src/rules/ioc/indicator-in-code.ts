// Detects: a domain, e-mail address, URL or IP address from an IOC feed written anywhere in the
// package's text files (e.g. `phan@giftshop.club` in postmark-mcp, `https://0x9c.xyz/xc` in xrpl).
// Why: these hosts and mailboxes belong to attackers; no legitimate package talks to them.
// False positives: security tools, blocklists and advisories that quote indicators on purpose
// (scanners, this project's own feed).
import { describeIncident } from '../../ioc/describe.js'
import type { Evidence, Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { IocEntry, IocTextMatch, Rule, RuleContext, RuleMeta } from '../types.js'

/** Evidence items kept per package: enough to locate the code, bounded for the reports. */
export const MAX_EVIDENCE = 10
/** Indicators named in the message. */
const MAX_NAMED = 3
/** Characters of context kept on each side of a match in a snippet. */
const CONTEXT = 60

const meta: RuleMeta = {
  id: 'ioc/indicator-in-code',
  title: 'Known attacker host, address or URL in the code',
  description:
    "The package's files contain a domain, e-mail address, URL or IP address listed in an " +
    'indicator-of-compromise feed.',
  defaultSeverity: 'critical',
  version: 1
}

interface FileHit {
  file: string
  text: string
  matches: IocTextMatch[]
}

function scanFiles(ctx: RuleContext): FileHit[] {
  const hits: FileHit[] = []
  for (const file of ctx.files?.files.values() ?? []) {
    if (file.text === undefined || file.text.length === 0) continue
    const matches = ctx.iocs.matchText(file.text)
    if (matches.length > 0) hits.push({ file: file.path, text: file.text, matches })
  }
  return hits.sort((a, b) => a.file.localeCompare(b.file))
}

/** One evidence item per file line, in order, at most `MAX_EVIDENCE` in all. */
function evidenceFor(hits: FileHit[]): Evidence[] {
  const evidence: Evidence[] = []
  for (const hit of hits) {
    const lines = new LineCounter(hit.text)
    let lastLine = 0
    for (const match of hit.matches) {
      if (evidence.length >= MAX_EVIDENCE) return evidence
      const line = lines.lineAt(match.index)
      if (line === lastLine) continue
      lastLine = line
      evidence.push({ file: hit.file, line, snippet: snippetAround(hit.text, match) })
    }
  }
  return evidence
}

/** Line numbers for increasing offsets, counting each newline once. */
class LineCounter {
  private offset = 0
  private line = 1
  constructor(private readonly text: string) {}

  lineAt(index: number): number {
    for (let nl = this.text.indexOf('\n', this.offset); nl !== -1 && nl < index;) {
      this.line += 1
      this.offset = nl + 1
      nl = this.text.indexOf('\n', this.offset)
    }
    return this.line
  }
}

/** The match's line, clipped around the match: minified files have MB-long lines. */
export function snippetAround(text: string, match: IocTextMatch): string {
  const lineStart = text.lastIndexOf('\n', match.index) + 1
  const newline = text.indexOf('\n', match.index)
  const lineEnd = newline === -1 ? text.length : newline
  const from = Math.max(lineStart, match.index - CONTEXT)
  const to = Math.min(lineEnd, match.index + match.match.length + CONTEXT)
  const head = from > lineStart ? '…' : ''
  const tail = to < lineEnd ? '…' : ''
  return `${head}${text.slice(from, to)}${tail}`
}

function describeIndicators(hits: FileHit[]): string {
  const entries = new Map<string, IocEntry>()
  for (const match of hits.flatMap((hit) => hit.matches)) {
    entries.set(`${match.entry.type}:${match.entry.value}`, match.entry)
  }
  const list = [...entries.values()]
  const named = list.slice(0, MAX_NAMED).map((e) => `${e.type} ${e.value} (${describeIncident(e)})`)
  const more = list.length > MAX_NAMED ? ` and ${list.length - MAX_NAMED} more` : ''
  return `${named.join(', ')}${more}`
}

function check(ctx: RuleContext): Finding[] {
  const hits = scanFiles(ctx)
  if (hits.length === 0) return []
  const files = hits.map((hit) => hit.file)
  const where = files.length === 1 ? files[0] : `${files.length} files`
  const message =
    `${ctx.change.name}@${ctx.change.version} contains known attacker indicators in ${where}: ` +
    describeIndicators(hits)
  return [makeFinding(ctx, meta, message, evidenceFor(hits))]
}

export const rule: Rule = { meta, check }
