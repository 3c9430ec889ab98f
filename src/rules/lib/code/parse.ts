// Turns the text of one file into FileFacts: a real parse when the text is JavaScript (acorn, then
// acorn-loose for TypeScript, JSX or broken code), the lexical scanner otherwise. Parsing is
// bounded: text over MAX_PARSE_CHARS is only scanned lexically (its head), and a tree too deep
// for the recursive parser or walker (a RangeError) falls back to the scanner too.
import { parse, type Options, type Program } from 'acorn'
import { parse as parseLoose } from 'acorn-loose'
import { collectFacts, type WalkState } from './collect.js'
import { FactCollector, mergeFacts } from './collector.js'
import { ConstantFolder } from './constant.js'
import { MAX_FOLDED_LENGTH } from './decode.js'
import { buildLineIndex } from '../../../line-index.js'
import { scanLexically } from './lexical.js'
import type { FileFacts } from './types.js'

/** Text longer than this is not parsed; its first MAX_PARSE_CHARS characters are scanned. */
export const MAX_PARSE_CHARS = 2 * 1024 * 1024
/** How many levels of decoded code inside decoded code are parsed (`eval(atob('…'))`). */
const MAX_NESTED_DEPTH = 2

/**
 * Above this share of placeholder nodes, acorn-loose's tree is mostly invented and the lexical
 * scanner says more. Type-heavy TypeScript stays below (about 9% for a file of interfaces);
 * random punctuation is well above (25% and more).
 */
const MAX_LOOSE_DUMMY_SHARE = 0.15

const JS_EXTENSIONS = new Set(['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'])

const BASE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowAwaitOutsideFunction: true,
  // lines come from node offsets (WalkState.lineOf): locations would allocate 3 objects per node
  locations: false
}

/**
 * Facts of a file's text; `path` decides whether it is JavaScript worth parsing. A `truncated`
 * text (only the head of a big file was kept) cannot parse strictly: it goes to acorn-loose first.
 *
 * `parsed` is true only when acorn accepted the whole text. When only acorn-loose could build a
 * tree, its facts (which include the decoded forms: concatenations, base64...) are merged with the
 * lexical scanner's, because acorn-loose silently drops what it cannot make sense of (TypeScript
 * annotations, JSX, garbage) and the scanner still sees the strings and calls there.
 */
export function factsOfText(text: string, path: string, truncated = false): FileFacts {
  if (text.length > MAX_PARSE_CHARS || !isJavaScript(path, text)) {
    return lexicalFacts(text.slice(0, MAX_PARSE_CHARS))
  }
  const parsed = parsedFacts(text, 0, truncated ? 'loose-only' : 'tolerant')
  if (parsed && !parsed.loose) return parsed.facts
  const lexical = lexicalFacts(text)
  return parsed ? mergeFacts(parsed.facts, lexical) : lexical
}

export function lexicalFacts(text: string): FileFacts {
  const collector = new FactCollector()
  scanLexically(text, collector)
  return collector.finish(false)
}

/** JavaScript-family extensions, and extension-less scripts run by node (`bin/cli`). */
function isJavaScript(path: string, text: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot > 0) return JS_EXTENSIONS.has(name.slice(dot + 1).toLowerCase())
  const firstLine = text.slice(0, 200).split('\n', 1)[0] ?? ''
  return !firstLine.startsWith('#!') || /\bnode\b/.test(firstLine)
}

/**
 * Facts from a parse, or undefined when nothing parses, when acorn-loose had to invent too much
 * of the tree (the text is not JavaScript-like enough for its facts to mean anything), or when the
 * tree is too deep to walk.
 */
function parsedFacts(text: string, depth: number, mode: ParseMode) {
  try {
    const parsed = parseProgram(text, mode)
    if (!parsed) return undefined
    const state: WalkState = {
      collector: new FactCollector(),
      folder: new ConstantFolder(),
      nested: (code) =>
        depth < MAX_NESTED_DEPTH && code.length <= MAX_FOLDED_LENGTH
          ? parsedFacts(code, depth + 1, 'strict')?.facts
          : undefined,
      nodes: 0,
      dummies: 0,
      decoded: new Set<string>(),
      lineOf: buildLineIndex(text)
    }
    collectFacts(parsed.program, state)
    if (parsed.loose && state.dummies > state.nodes * MAX_LOOSE_DUMMY_SHARE) return undefined
    return { facts: state.collector.finish(true), loose: parsed.loose }
  } catch (error) {
    if (error instanceof RangeError) return undefined
    throw error
  }
}

/** `strict`: acorn only (decoded snippets); `tolerant`: then acorn-loose; `loose-only`: skip acorn. */
type ParseMode = 'strict' | 'tolerant' | 'loose-only'

/** A strict parse as a module, then as a script; then, unless strict, acorn-loose. */
function parseProgram(text: string, mode: ParseMode) {
  if (mode !== 'loose-only') {
    const program = parseStrict(text)
    if (program) return { program, loose: false }
  }
  if (mode === 'strict') return undefined
  return { program: parseLoose(text, { ...BASE_OPTIONS, sourceType: 'module' }), loose: true }
}

function parseStrict(text: string): Program | undefined {
  for (const sourceType of ['module', 'script'] as const) {
    try {
      return parse(text, { ...BASE_OPTIONS, sourceType })
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error
      // failing at the very end (a cut-off text) fails the same way as a script: skip that parse
      const raisedAt = (error as SyntaxError & { raisedAt?: number }).raisedAt ?? 0
      if (raisedAt >= text.length) return undefined
    }
  }
  return undefined
}
