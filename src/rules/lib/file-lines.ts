// A file's text split into lines, once per file object: several rules cite evidence lines from the
// same (often large) files, and splitting each one again for every rule was work done twice.
import type { PackageFile } from '../../types.js'
import { splitLines } from './introduced.js'

const cache = new WeakMap<PackageFile, string[]>()

export function fileLines(file: PackageFile & { text: string }): string[] {
  const cached = cache.get(file)
  if (cached) return cached
  const lines = splitLines(file.text)
  cache.set(file, lines)
  return lines
}
