// Evidence for a finding: the file, the line and that line's text as the package ships it, clipped
// around what matched so that a minified line still shows the interesting part.
import type { Evidence, PackageFile, PackageFiles } from '../../../types.js'
import { fileLines } from '../file-lines.js'
import { clipAround } from '../text.js'

function linesOf(files: PackageFiles, path: string): string[] | undefined {
  const file = files.files.get(path)
  return file?.text === undefined ? undefined : fileLines(file as PackageFile & { text: string })
}

/** The text of one line of a file of this version ('' when unknown). */
export function lineText(files: PackageFiles | undefined, path: string, line: number): string {
  return (files && linesOf(files, path)?.[line - 1]) ?? ''
}

/** Evidence pointing at `path:line`, the snippet clipped around `needle` when it is on the line. */
export function evidenceAt(
  files: PackageFiles | undefined,
  path: string,
  line: number,
  needle?: string
): Evidence {
  const text = lineText(files, path, line)
  const at = needle ? text.indexOf(needle) : -1
  return { file: path, line, snippet: clipAround(text, Math.max(0, at)) }
}
