// Facts of one file, computed once per PackageFile object: several rules ask about the same file.
import type { PackageFile } from '../../../types.js'
import { isCodeFile } from '../code-files.js'
import { factsOfText } from './parse.js'
import type { FileFacts } from './types.js'

const factsCache = new WeakMap<PackageFile, FileFacts | undefined>()

/** Facts of one file, or undefined for a file that is not code (binary, not isCodeFile). */
export function factsOf(file: PackageFile): FileFacts | undefined {
  if (factsCache.has(file)) return factsCache.get(file)
  const facts =
    file.binary || file.text === undefined || !isCodeFile(file.path)
      ? undefined
      : factsOfText(file.text, file.path, file.truncated)
  factsCache.set(file, facts)
  return facts
}
