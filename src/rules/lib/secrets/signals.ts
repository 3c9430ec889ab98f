// The plumbing shared by the credential, wallet and persistence rules: run a detector over what a
// version introduces (code facts for JavaScript files, introduced lines for shell and other
// scripts) and drop every signal whose key the previous version already had anywhere. A capability
// the package already had (an env read moved to a new file, a workflow writer that was always
// there) is context, not news.
import type { PackageFile, PackageFiles } from '../../../types.js'
import type { RuleContext } from '../../types.js'
import { factsOf, introducedFacts } from '../code/index.js'
import type { FileFacts } from '../code/types.js'
import { extensionOf, isCodeFile, isCommentLine } from '../code-files.js'
import { codeFiles, collectIntroduced, splitLines } from '../introduced.js'

export interface Signal {
  /** 1-based line in the new version of the file. */
  line: number
  /** What counts as "the same signal" across versions, e.g. `env:NPM_TOKEN`. */
  key: string
  /** Text to look for in the line when clipping evidence (the token that matched). */
  needle?: string
  /** True for a signal that counts even when the previous version had the same key (a sink). */
  ignoreBaseline?: boolean
}

export interface Detector<S extends Signal> {
  /** Signals in `facts` (what a file introduces); `whole` is the whole file's facts, for context. */
  fromFacts(facts: FileFacts, whole: FileFacts): S[]
  /** Signals in one line of a script the JavaScript parser does not read (shell, PowerShell...). */
  fromLine(text: string, line: number): S[]
}

export interface FileSignals<S extends Signal> {
  file: string
  /** True when the previous version had no file at this path (or there is no previous version). */
  isNewFile: boolean
  signals: S[]
}

type Baseline = Pick<RuleContext, 'files' | 'previousFiles'>

const JS_EXTENSIONS = new Set(['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'])

/** True when a file is read through the parser's facts rather than line by line. */
export function readsAsJavaScript(file: PackageFile): boolean {
  const extension = extensionOf(file.path)
  if (JS_EXTENSIONS.has(extension)) return true
  return extension === '' && isCodeFile(file.path) && /^#!.*\bnode\b/.test(file.text ?? '')
}

/** The signals this version introduces, per file, minus those the previous version already had. */
export function introducedSignals<S extends Signal>(
  ctx: Baseline,
  detector: Detector<S>
): FileSignals<S>[] {
  const byFile = new Map<string, FileSignals<S>>()
  const add = (file: string, isNewFile: boolean, signals: S[]) => {
    if (signals.length === 0) return
    const entry = byFile.get(file) ?? { file, isNewFile, signals: [] }
    entry.signals.push(...signals)
    byFile.set(file, entry)
  }
  for (const entry of introducedFacts(ctx)) {
    const file = ctx.files?.files.get(entry.file)
    if (!file || !isCodeFile(entry.file) || !readsAsJavaScript(file)) continue
    add(entry.file, entry.isNewFile, detector.fromFacts(entry.facts, factsOf(file) ?? entry.facts))
  }
  for (const line of collectIntroduced(ctx).lines) {
    const file = ctx.files?.files.get(line.file)
    if (!file || readsAsJavaScript(file) || isCommentLine(line.file, line.text)) continue
    const isNewFile = !ctx.previousFiles?.files.has(line.file)
    add(line.file, isNewFile, detector.fromLine(line.text, line.line))
  }
  const entries = [...byFile.values()]
  // the previous version is only read when a signal needs comparing with it
  if (!entries.some((entry) => entry.signals.some((signal) => !signal.ignoreBaseline))) {
    return entries.sort(byPath)
  }
  const known = previousKeys(ctx.previousFiles, detector)
  return entries
    .map((entry) => ({
      ...entry,
      signals: entry.signals.filter((s) => s.ignoreBaseline || !known.has(s.key))
    }))
    .filter((entry) => entry.signals.length > 0)
    .sort(byPath)
}

function byPath(a: { file: string }, b: { file: string }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0
}

/** Every signal key anywhere in the previous version's code. Only computed when something is new. */
export function previousKeys<S extends Signal>(
  previous: PackageFiles | undefined,
  detector: Detector<S>
): Set<string> {
  const keys = new Set<string>()
  for (const file of codeFiles(previous)) {
    for (const signal of signalsOfWholeFile(file, detector)) keys.add(signal.key)
  }
  return keys
}

/** All signals of one file, as if every line were new. */
export function signalsOfWholeFile<S extends Signal>(
  file: PackageFile,
  detector: Detector<S>
): S[] {
  if (readsAsJavaScript(file)) {
    const facts = factsOf(file)
    return facts ? detector.fromFacts(facts, facts) : []
  }
  return splitLines(file.text ?? '').flatMap((text, index) =>
    isCommentLine(file.path, text) ? [] : detector.fromLine(text, index + 1)
  )
}
