// Where "the same file" and "a few lines apart" say little: a minified bundle puts a whole
// program's worth of unrelated code in one file, often on one line of thousands of statements.
// A credential read and a fetch in yarn's 1.6 MiB bundle are not the same piece of code the way
// they are in a 40-line telemetry.js, so rules grade proximity there as package-wide.
import type { PackageFile, PackageFiles } from '../../../types.js'
import { isMinifiedText } from '../blob/minified.js'
import { lineAt } from './evidence.js'

/** Lines longer than this hold many statements: being on or near one means little. */
export const DENSE_LINE_CHARS = 1000

const minifiedCache = new WeakMap<PackageFile, boolean>()

/** True when the file at `path` is minified or bundled in shape (cached per file). */
export function isMinifiedFile(files: PackageFiles | undefined, path: string): boolean {
  const file = files?.files.get(path)
  if (file?.text === undefined) return false
  const cached = minifiedCache.get(file)
  if (cached !== undefined) return cached
  const minified = isMinifiedText(file.text)
  minifiedCache.set(file, minified)
  return minified
}

/** True when line `line` of `path` is longer than {@link DENSE_LINE_CHARS} characters. */
export function isLongLine(files: PackageFiles | undefined, path: string, line: number): boolean {
  return (lineAt(files, path, line)?.length ?? 0) > DENSE_LINE_CHARS
}

/** True when proximity at `line` of `path` says little: a long line, or a minified file. */
export function isDenseAt(files: PackageFiles | undefined, path: string, line: number): boolean {
  return isLongLine(files, path, line) || isMinifiedFile(files, path)
}
