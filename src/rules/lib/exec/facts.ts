// The code facts the exec rules read, grouped per file: what this version introduces, what the whole
// new file contains (a `require('child_process')` written three releases ago still makes a new
// `exec(...)` call a process spawn) and what the previous version already did somewhere (a
// capability the package had before is context, not news).
import type { PackageFiles } from '../../../types.js'
import type { RuleContext } from '../../types.js'
import { isCodeFile } from '../code-files.js'
import { factsOf, introducedFacts, type IntroducedFacts } from '../code/index.js'
import type { CallFact, FileFacts, StringFact } from '../code/types.js'

export type { IntroducedFacts }
export type Baseline = Pick<RuleContext, 'files' | 'previousFiles'>

/** Introduced facts of code files (not tests or docs) per file, sorted by path so that findings are stable. */
export function introducedByFile(ctx: Baseline): IntroducedFacts[] {
  // introducedFacts is cached per version pair: so is this view of it, shared by several rules
  // (callers only read it)
  const all = introducedFacts(ctx)
  let result = byFileCache.get(all)
  if (!result) {
    result = all
      .filter((entry) => isCodeFile(entry.file))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    byFileCache.set(all, result)
  }
  return result
}

const byFileCache = new WeakMap<IntroducedFacts[], IntroducedFacts[]>()

/** The facts of a whole file of this version, or undefined when it is not JavaScript. */
export function wholeFileFacts(files: PackageFiles | undefined, path: string) {
  const file = files?.files.get(path)
  return file ? factsOf(file) : undefined
}

/** Calls of a file on one line. */
export function callsOnLine(facts: FileFacts, line: number): CallFact[] {
  return facts.calls.filter((call) => call.line === line)
}

/** Strings of a file on one line. */
export function stringsOnLine(facts: FileFacts, line: number): StringFact[] {
  return facts.strings.filter((fact) => fact.line === line)
}

/** The last segment of a dotted callee: `cp.spawn` -> `spawn`, `new vm.Script` -> `Script`. */
export function methodOf(callee: string): string {
  const bare = callee.startsWith('new ') ? callee.slice(4) : callee
  return bare.slice(bare.lastIndexOf('.') + 1)
}

/** `cp` for `cp.spawn`, `` for `spawn`. */
export function objectOf(callee: string): string {
  const bare = callee.startsWith('new ') ? callee.slice(4) : callee
  const dot = bare.lastIndexOf('.')
  return dot === -1 ? '' : bare.slice(0, dot)
}
