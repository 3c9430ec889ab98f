// The introduced text a command could hide in, from three places: string values in JavaScript
// (decoded, so `'cu'+'rl'` reads `curl`) and the raw lines around them (template literals with
// placeholders are not constant strings), lines of shell and other non-JavaScript scripts, and the
// install scripts of package.json. Each site says where it is, for evidence and for grading.
import type { PackageFiles } from '../../../types.js'
import type { RuleContext } from '../../types.js'
import { extensionOf, isCommentLine } from '../code-files.js'
import { codeFiles, collectIntroduced } from '../introduced.js'
import type { IntroducedFacts } from './facts.js'
import { introducedInstallScripts } from './install-scripts.js'

/** `js`: a JavaScript file with facts; `shell`: a script that is a list of commands; `other`: code
 * in another language (Python, a TypeScript file that did not parse), where a command is only text
 * until something runs it. */
export type SiteOrigin = 'js' | 'shell' | 'other' | 'install-script'

const SHELL_EXTENSIONS = new Set(['sh', 'bash', 'zsh', 'ps1', 'bat', 'cmd'])

const JS_EXTENSIONS = new Set(['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'])

/** What kind of code a file of this version is, by extension (and shebang when it has none). */
export function originOf(files: PackageFiles | undefined, path: string): SiteOrigin {
  const ext = extensionOf(path)
  if (SHELL_EXTENSIONS.has(ext)) return 'shell'
  if (JS_EXTENSIONS.has(ext)) return 'js'
  if (ext !== '') return 'other'
  const firstLine = (files?.files.get(path)?.text ?? '').slice(0, 200).split('\n', 1)[0] ?? ''
  return firstLine.startsWith('#!') && !/\bnode\b/.test(firstLine) ? 'shell' : 'js'
}

export interface TextSite {
  /** Path inside the package (`package.json` for install scripts). */
  file: string
  line: number
  text: string
  origin: SiteOrigin
}

type Versions = Pick<RuleContext, 'files' | 'previousFiles' | 'manifest' | 'previousManifest'>

/** Every introduced text site of a version: JavaScript strings, then lines, then install scripts. */
export function introducedTexts(ctx: Versions, introduced: IntroducedFacts[]): TextSite[] {
  // several rules ask for the same version's sites (callers only read them): computed once per
  // `introduced` list, which is itself cached per version pair
  const cached = textsCache.get(introduced)
  if (cached && cached.key.every((part, i) => part === keyOf(ctx)[i])) return cached.sites
  const sites = computeTexts(ctx, introduced)
  textsCache.set(introduced, { key: keyOf(ctx), sites })
  return sites
}

const textsCache = new WeakMap<IntroducedFacts[], { key: unknown[]; sites: TextSite[] }>()

function keyOf(ctx: Versions): unknown[] {
  return [ctx.files, ctx.previousFiles, ctx.manifest, ctx.previousManifest]
}

function computeTexts(ctx: Versions, introduced: IntroducedFacts[]): TextSite[] {
  const sites: TextSite[] = []
  for (const entry of introduced) {
    if (originOf(ctx.files, entry.file) !== 'js') continue
    for (const fact of entry.facts.strings) {
      sites.push({ file: entry.file, line: fact.line, text: fact.value, origin: 'js' })
    }
  }
  // lines come file after file: the origin is computed once per file, not once per line
  let originFile: string | undefined
  let origin: SiteOrigin = 'js'
  for (const line of collectIntroduced(ctx).lines) {
    if (isCommentLine(line.file, line.text)) continue
    if (line.file !== originFile) {
      originFile = line.file
      origin = originOf(ctx.files, line.file)
    }
    sites.push({ file: line.file, line: line.line, text: line.text, origin })
  }
  for (const script of introducedInstallScripts(ctx)) {
    sites.push({
      file: 'package.json',
      line: script.line ?? 1,
      text: script.command,
      origin: 'install-script'
    })
  }
  return sites
}

const lowerTexts = new WeakMap<PackageFiles, string[]>()

/**
 * True when some code file of the previous version contains `needle` (case-insensitive): a cheap
 * "did it already do this?" that reads text instead of parsing every file of the old version.
 */
export function previouslyMentioned(ctx: Pick<RuleContext, 'previousFiles'>, needle: string) {
  const previous = ctx.previousFiles
  if (!previous || needle.length === 0) return false
  let texts = lowerTexts.get(previous)
  if (!texts) {
    texts = codeFiles(previous).map((file) => (file.text ?? '').toLowerCase())
    lowerTexts.set(previous, texts)
  }
  const lower = needle.toLowerCase()
  return texts.some((text) => text.includes(lower))
}

/** Like previouslyMentioned, case-sensitive: `Function(` is not `function(`. */
export function previouslyContains(ctx: Pick<RuleContext, 'previousFiles'>, needle: string) {
  return codeFiles(ctx.previousFiles).some((file) => file.text?.includes(needle) === true)
}
