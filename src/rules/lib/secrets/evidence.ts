// Evidence for a signal: the file, the line and the line's own text, clipped around the token that
// matched (a minified payload is one very long line).
import type { Evidence, PackageFile, PackageFiles } from '../../../types.js'
import { fileLines } from '../file-lines.js'
import { clipAround } from '../text.js'

function linesOf(files: PackageFiles | undefined, path: string): string[] {
  const file = files?.files.get(path)
  return file?.text ? fileLines(file as PackageFile & { text: string }) : []
}

/** The text of line `line` (1-based) of `path`, or undefined when there is no such line. */
export function lineAt(
  files: PackageFiles | undefined,
  path: string,
  line: number
): string | undefined {
  return linesOf(files, path)[line - 1]
}

/** The evidence for line `line` of `path`, clipped around `needle` when it occurs in the line. */
export function evidenceAt(
  files: PackageFiles | undefined,
  path: string,
  line: number,
  needle?: string
): Evidence {
  const text = lineAt(files, path, line)
  if (text === undefined) return { file: path, line }
  const index = needle ? caseInsensitiveIndex(text, needle) : -1
  return { file: path, line, snippet: clipAround(text, Math.max(0, index)) }
}

function caseInsensitiveIndex(text: string, needle: string): number {
  const exact = text.indexOf(needle)
  if (exact !== -1 || needle.length === 0) return exact
  return text.toLowerCase().indexOf(needle.toLowerCase())
}

/** One piece of evidence per file and line, in order, at most `max`. */
export function uniqueEvidence(evidence: Evidence[], max: number): Evidence[] {
  const seen = new Set<string>()
  const kept: Evidence[] = []
  for (const item of evidence) {
    const key = `${item.file}:${item.line}`
    if (seen.has(key)) continue
    seen.add(key)
    kept.push(item)
    if (kept.length >= max) break
  }
  return kept
}
