// What a version introduces: the lines of code that are new compared with the previous version.
// Content rules judge these lines rather than the whole package, so that a capability the package
// already had (an endpoint, a recipient, a script) is context and not an alarm.
import { diffLines } from 'diff'
import type { PackageFile, PackageFiles } from '../../types.js'
import type { RuleContext } from '../types.js'
import { isCodeFile } from './code-files.js'

export interface SourceLine {
  /** Path inside the package. */
  file: string
  /** 1-based line in the new version of the file. */
  line: number
  text: string
}

export interface IntroducedLines {
  lines: SourceLine[]
  /** True when a limit cut the list short: what is missing was not judged. */
  capped: boolean
}

export interface IntroducedLimits {
  /** Files with more text than this are not diffed: all their lines count as new. */
  maxDiffChars: number
  /**
   * Above this many edits the Myers diff gives up and a line-set comparison is used. Myers costs
   * O(N·D): profiles of real updates (zod, typescript) spent seconds in it at D = 2000, while the
   * line-set comparison finds the same new lines in linear time.
   */
  maxEditLength: number
  /** Stop collecting after this many lines in total. */
  maxLines: number
}

export const DEFAULT_LIMITS: IntroducedLimits = {
  maxDiffChars: 1024 * 1024,
  maxEditLength: 200,
  maxLines: 50_000
}

type Baseline = Pick<RuleContext, 'files' | 'previousFiles'>

/** True when the previous version's files are known, so "introduced" is meaningful. */
export function hasBaseline(ctx: Baseline): boolean {
  return ctx.previousFiles !== undefined
}

/** The code lines this version adds. Without a previous version, every code line counts. */
export function introducedLines(
  ctx: Baseline,
  limits: Partial<IntroducedLimits> = {}
): SourceLine[] {
  return collectIntroduced(ctx, limits).lines
}

/** Results for the default limits, per (new, previous) pair: several rules ask for the same diff. */
const cache = new WeakMap<PackageFiles, Map<PackageFiles | undefined, IntroducedLines>>()

export function collectIntroduced(
  ctx: Baseline,
  limits: Partial<IntroducedLimits> = {}
): IntroducedLines {
  const bounds = { ...DEFAULT_LIMITS, ...limits }
  const files = ctx.files
  if (!files || Object.keys(limits).length > 0) return computeIntroduced(ctx, bounds)
  const byPrevious = cache.get(files) ?? new Map<PackageFiles | undefined, IntroducedLines>()
  cache.set(files, byPrevious)
  const result = byPrevious.get(ctx.previousFiles) ?? computeIntroduced(ctx, bounds)
  byPrevious.set(ctx.previousFiles, result)
  return result
}

function computeIntroduced(ctx: Baseline, bounds: IntroducedLimits): IntroducedLines {
  const lines: SourceLine[] = []
  for (const file of codeFiles(ctx.files)) {
    const before = ctx.previousFiles?.files.get(file.path)
    if (before && before.sha256 !== undefined && before.sha256 === file.sha256) continue
    for (const added of addedLines(before?.text, file.text ?? '', bounds)) {
      if (lines.length >= bounds.maxLines) return { lines, capped: true }
      lines.push({ file: file.path, ...added })
    }
  }
  return { lines, capped: false }
}

/** Every line of every code file of a version: what a version already contained. */
export function allCodeLines(files: PackageFiles | undefined, maxLines = DEFAULT_LIMITS.maxLines) {
  const lines: SourceLine[] = []
  for (const file of codeFiles(files)) {
    for (const added of addedLines(undefined, file.text ?? '', DEFAULT_LIMITS)) {
      if (lines.length >= maxLines) return lines
      lines.push({ file: file.path, ...added })
    }
  }
  return lines
}

/** Text code files, sorted by path so that findings are stable. */
export function codeFiles(files: PackageFiles | undefined): PackageFile[] {
  if (!files) return []
  return [...files.files.values()]
    .filter((file) => file.text !== undefined && isCodeFile(file.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/)
}

type NumberedLine = { line: number; text: string }

function addedLines(before: string | undefined, after: string, bounds: IntroducedLimits) {
  if (before === undefined || after.length > bounds.maxDiffChars) return numbered(after)
  // The line-set comparison is linear; when it already shows many new lines, a Myers diff
  // (O(N·D)) would only give up after spending its whole edit budget.
  const missing = linesMissingFrom(before, after)
  if (before.length > bounds.maxDiffChars || missing.length > bounds.maxEditLength / 2)
    return missing
  const changes = diffLines(before, after, {
    ignoreNewlineAtEof: true,
    stripTrailingCr: true,
    maxEditLength: bounds.maxEditLength
  })
  return changes ? linesFromChanges(changes) : missing
}

function numbered(text: string): NumberedLine[] {
  return splitLines(text).map((line, index) => ({ line: index + 1, text: line }))
}

type Change = { added: boolean; removed: boolean; count: number; value: string }

function linesFromChanges(changes: Change[]): NumberedLine[] {
  const result: NumberedLine[] = []
  let lineNumber = 1
  for (const change of changes) {
    if (change.removed) continue
    if (change.added) {
      const texts = splitLines(change.value.replace(/\r?\n$/, ''))
      texts.forEach((text, index) => result.push({ line: lineNumber + index, text }))
    }
    lineNumber += change.count
  }
  return result
}

/**
 * The fallback when a file is too big or too different for a Myers diff: the lines of the new text
 * that do not appear anywhere in the old one. Linear, and good enough to tell what is new.
 */
function linesMissingFrom(before: string, after: string): NumberedLine[] {
  const known = new Set(splitLines(before))
  return numbered(after).filter((line) => !known.has(line.text))
}
