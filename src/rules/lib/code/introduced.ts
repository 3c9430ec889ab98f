// What a version introduces, as facts: for each new or changed code file, the facts of the new
// file minus those the previous version of the same file already had. The difference is a
// multiset difference (a string present twice before and three times now is introduced once), so
// that moving code around or reformatting it introduces nothing, while one more `eval` does.
import type { PackageFiles } from '../../../types.js'
import type { RuleContext } from '../../types.js'
import { codeFiles, collectIntroduced } from '../introduced.js'
import { factsOf } from './facts-of.js'
import type { FileFacts, Located } from './types.js'

export interface IntroducedFacts {
  file: string
  isNewFile: boolean
  /** Only the facts this version introduces. */
  facts: FileFacts
}

type Baseline = Pick<RuleContext, 'files' | 'previousFiles'>

const cache = new WeakMap<PackageFiles, Map<PackageFiles | undefined, IntroducedFacts[]>>()

/**
 * For each code file that is new or whose content differs from the same path in the previous
 * version, the facts it introduces. Without a previous version every code file counts as new.
 */
export function introducedFacts(ctx: Baseline): IntroducedFacts[] {
  const files = ctx.files
  if (!files) return []
  const byPrevious = cache.get(files) ?? new Map<PackageFiles | undefined, IntroducedFacts[]>()
  cache.set(files, byPrevious)
  const result = byPrevious.get(ctx.previousFiles) ?? computeIntroduced(ctx)
  byPrevious.set(ctx.previousFiles, result)
  return result
}

function computeIntroduced(ctx: Baseline): IntroducedFacts[] {
  const result: IntroducedFacts[] = []
  let changedLines: Map<string, Set<number>> | undefined
  for (const file of codeFiles(ctx.files)) {
    const before = ctx.previousFiles?.files.get(file.path)
    if (before && before.sha256 !== undefined && before.sha256 === file.sha256) continue
    const facts = factsOf(file)
    if (!facts) continue
    const old = before ? factsOf(before) : undefined
    if (!old) {
      result.push({ file: file.path, isNewFile: !before, facts })
      continue
    }
    changedLines ??= linesIntroducedByDiff(ctx)
    const preferred = changedLines.get(file.path) ?? new Set<number>()
    result.push({ file: file.path, isNewFile: false, facts: subtract(facts, old, preferred) })
  }
  return result
}

/** Lines the text diff marks as new, to report a repeated fact where it was actually added. */
function linesIntroducedByDiff(ctx: Baseline): Map<string, Set<number>> {
  const byFile = new Map<string, Set<number>>()
  for (const { file, line } of collectIntroduced(ctx).lines) {
    const lines = byFile.get(file) ?? new Set<number>()
    lines.add(line)
    byFile.set(file, lines)
  }
  return byFile
}

export function subtract(current: FileFacts, previous: FileFacts, changed: Set<number>): FileFacts {
  const known = new Set(previous.identifiers)
  return {
    parsed: current.parsed,
    strings: difference(current.strings, previous.strings, changed, (s) =>
      [s.decodedFrom ?? '', s.value].join('\0')
    ),
    calls: difference(current.calls, previous.calls, changed, (c) =>
      [c.callee, ...c.args.map((arg) => arg ?? '\u0001')].join('\0')
    ),
    members: difference(current.members, previous.members, changed, (m) =>
      [m.path, String(m.assigned)].join('\0')
    ),
    properties: difference(current.properties, previous.properties, changed, (p) =>
      [p.key, p.value ?? '\u0001'].join('\0')
    ),
    imports: difference(current.imports, previous.imports, changed, (i) => i.specifier),
    identifiers: current.identifiers.filter((name) => !known.has(name))
  }
}

/**
 * Multiset difference keyed by `keyOf`. When a key occurs more often than before, the extra
 * occurrences are taken first from lines the diff marks as added, then from lines where the key
 * did not occur before, so that the reported line is where the new occurrence is.
 */
function difference<T extends Located>(
  current: T[],
  previous: T[],
  changed: Set<number>,
  keyOf: (fact: T) => string
): T[] {
  const before = new Map<string, { count: number; lines: Set<number> }>()
  for (const fact of previous) {
    const key = keyOf(fact)
    const entry = before.get(key) ?? { count: 0, lines: new Set<number>() }
    entry.count++
    entry.lines.add(fact.line)
    before.set(key, entry)
  }
  const groups = new Map<string, T[]>()
  for (const fact of current) {
    const key = keyOf(fact)
    const group = groups.get(key)
    if (group) group.push(fact)
    else groups.set(key, [fact])
  }
  const introduced: T[] = []
  for (const [key, group] of groups) {
    const old = before.get(key)
    const extra = group.length - (old?.count ?? 0)
    if (extra <= 0) continue
    const rank = (fact: T) => (changed.has(fact.line) ? 0 : old?.lines.has(fact.line) ? 2 : 1)
    const ranked = [...group].sort((a, b) => rank(a) - rank(b))
    introduced.push(...ranked.slice(0, extra))
  }
  return introduced.sort((a, b) => a.line - b.line)
}
