// Detects: a tarball that was only partly read because it went over a reading limit (total
// unpacked bytes, file count, decompressed size, tarball size) or was not a valid archive.
// Why: the content rules only see what was read, so their silence on this package proves less
// than usual. Gzip bombs and huge packages are also ways to hide a payload from scanners. For
// the previous version only the comparison is weakened, so the severity is low.
// Known false positives: legitimately huge packages (native binaries, bundled browsers, large
// data sets); raise the limits for them rather than ignoring the rule.
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'registry/unpack-limit',
  title: 'Package only partly analysed',
  description:
    'The tarball went over a reading limit (size, file count, decompression) or could not be ' +
    'read completely, so the content rules only saw part of it.',
  defaultSeverity: 'medium',
  version: 1
}

const MAX_SENTENCES = 5

function check(ctx: RuleContext): Finding[] {
  const findings: Finding[] = []
  const current = sentences(ctx, 'new', ctx.files?.limitsHit)
  if (current.length > 0) {
    const message = `${ctx.change.name}@${ctx.change.version} was only partly analysed: ${current[0]}`
    findings.push(makeFinding(ctx, meta, message, evidence(current)))
  }
  const previous = sentences(ctx, 'previous', ctx.previousFiles?.limitsHit)
  if (previous.length > 0) {
    const version = ctx.change.previous?.version ?? 'the previous version'
    const message = `the previous version ${ctx.change.name}@${version} was only partly read, so the comparison with it is incomplete: ${previous[0]}`
    findings.push(makeFinding(ctx, meta, message, evidence(previous), 'low'))
  }
  return findings
}

function sentences(
  ctx: RuleContext,
  which: 'new' | 'previous',
  limitsHit: string[] | undefined
): string[] {
  const fromProblems = ctx.problems
    .filter((p) => p.code === 'ELIMIT' && p.which === which)
    .map((p) => p.message)
  return [...fromProblems, ...(limitsHit ?? [])]
}

function evidence(list: string[]): { snippet: string }[] {
  return list.slice(0, MAX_SENTENCES).map((snippet) => ({ snippet }))
}

export const rule: Rule = { meta, check }
