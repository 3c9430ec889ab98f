// content/obfuscation-introduced
//
// Detects: obfuscation in the code this version introduces: a family of `_0x…` identifiers,
// the string-array rotation loop of javascript-obfuscator (`while(!![])`,
// `arr['push'](arr['shift']())`), lines crowded with escapes of printable ASCII (`'\x72\x65'`),
// code hidden after a run of 150+ spaces or tabs, and very long lines of encoded data (2 KiB+,
// at least half of it one run of base64/hex characters, or 6.2+ bits per character: more varied
// than any minified code, see lib/blob/obfuscation.ts for the calibration) added to a file that
// was readable before. Minified code is not obfuscation: a readable file rebuilt as minified
// output (tsx 4.23.15, yarn 2's webpack bundle) shows none of these signs. A sign the same file
// already showed in the previous version is not counted: only what this version brings in.
//
// Why: honest packages are either readable or minified by a standard tool; they do not hide
// what they do. The "qix" wave (chalk, debug and 17 more, September 2025) appended obfuscated
// wallet-swapping code to otherwise readable entry files; Shai-Hulud 2.0 shipped a 10 MB
// obfuscated `bun_environment.js`.
//
// Severity: high in a changed package when the file was readable before or is new and shows an
// unambiguous sign (`_0x` family, rotation loop, hidden code); medium when the file was already
// minified or obfuscated in another way, or for dense escapes in a new file. For an added package
// (nothing to compare): medium for the unambiguous signs, low for dense escapes. The combination
// with an install script that runs the file is left to correlation.
//
// Known false positives: packages that ship obfuscated code on purpose (licence protection),
// generated parsers or tables that spell ASCII as escapes, a readable file that gains a long
// line of encoded data (an inlined font or wasm module).
import type { Evidence, Finding, PackageFile, Severity } from '../../types.js'
import { makeFinding } from '../finding.js'
import { isMinifiedText } from '../lib/blob/minified.js'
import {
  DEFAULT_OBFUSCATION,
  hexIdentifiers,
  isHighEntropyLine,
  lineSignals,
  type SignalKind
} from '../lib/blob/obfuscation.js'
import { collectIntroduced, hasBaseline, splitLines, type SourceLine } from '../lib/introduced.js'
import { clipAround, listSome } from '../lib/text.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'content/obfuscation-introduced',
  title: 'Obfuscated code introduced',
  description:
    'This version introduces obfuscated code (_0x identifiers, a rotated string array, dense ' +
    'escapes, code hidden after whitespace, long lines of encoded data): code written not to be read.',
  defaultSeverity: 'high',
  version: 1
}

const STRONG: ReadonlySet<SignalKind> = new Set<SignalKind>([
  'hex-identifiers',
  'string-array-rotation',
  'hidden-after-whitespace'
])
const WORDS: Record<SignalKind, string> = {
  'hex-identifiers': '_0x identifiers',
  'string-array-rotation': 'a rotated string array',
  'dense-escapes': 'dense hex/unicode escapes',
  'hidden-after-whitespace': 'code hidden after a long run of whitespace',
  'high-entropy-line': 'a very long line of encoded data'
}
const MAX_FILES = 10
/** Distinct `_0x` names remembered per file: enough to pass any threshold, bounded. */
const MAX_HEX_NAMES = 1000

interface Sign {
  kind: SignalKind
  line: SourceLine
  index: number
}

/** What the previous version of a file already looked like. */
interface Profile {
  kinds: Set<SignalKind>
  readable: boolean
}

function check(ctx: RuleContext): Finding[] {
  const baseline = hasBaseline(ctx)
  const findings: Finding[] = []
  for (const [path, lines] of byFile(collectIntroduced(ctx).lines)) {
    const previous = baseline ? ctx.previousFiles?.files.get(path) : undefined
    const profile = previous?.text !== undefined ? profileOf(previous.text) : undefined
    const signs = introducedSigns(lines, profile)
    if (signs.length === 0) continue
    const severity = severityOf(signs, baseline, previous, profile)
    findings.push(
      makeFinding(ctx, meta, describe(path, signs, profile), evidenceFor(signs), severity)
    )
    if (findings.length >= MAX_FILES) break
  }
  return findings
}

/** The first sign of each kind among the introduced lines, minus kinds the file already had. */
function introducedSigns(lines: SourceLine[], profile: Profile | undefined): Sign[] {
  const found = scanLines(lines, profile?.readable === true)
  return [...found.values()].filter((sign) => !profile?.kinds.has(sign.kind))
}

function scanLines(lines: SourceLine[], readableBefore: boolean): Map<SignalKind, Sign> {
  const found = new Map<SignalKind, Sign>()
  const hexNames = new Set<string>()
  let firstHex: Sign | undefined
  for (const line of lines) {
    for (const signal of lineSignals(line.text)) {
      if (!found.has(signal.kind)) found.set(signal.kind, { ...signal, line })
    }
    if (readableBefore && !found.has('high-entropy-line') && isHighEntropyLine(line.text)) {
      found.set('high-entropy-line', { kind: 'high-entropy-line', line, index: 0 })
    }
    if (hexNames.size < MAX_HEX_NAMES) {
      const names = hexIdentifiers(line.text)
      if (names.length > 0 && !firstHex) {
        firstHex = {
          kind: 'hex-identifiers',
          line,
          index: line.text.indexOf(names[0]!.slice(0, 3))
        }
      }
      for (const name of names) hexNames.add(name)
    }
  }
  if (firstHex && hexNames.size >= DEFAULT_OBFUSCATION.hexIdentifiers) {
    found.set('hex-identifiers', firstHex)
  }
  return found
}

/** The signs of a whole previous file, and whether it read as plain code. */
function profileOf(text: string): Profile {
  const lines = splitLines(text).map((line, index) => ({ file: '', line: index + 1, text: line }))
  const kinds = new Set(scanLines(lines, false).keys())
  const longLine = lines.some((line) => line.text.length >= DEFAULT_OBFUSCATION.entropyLineLength)
  return { kinds, readable: kinds.size === 0 && !longLine && !isMinifiedText(text) }
}

function severityOf(
  signs: Sign[],
  baseline: boolean,
  previous: PackageFile | undefined,
  profile: Profile | undefined
): Severity {
  const strong = signs.some((sign) => STRONG.has(sign.kind))
  if (!baseline) return strong ? 'medium' : 'low'
  if (profile?.readable) return 'high'
  if (!previous) return strong ? 'high' : 'medium'
  return 'medium'
}

function describe(path: string, signs: Sign[], profile: Profile | undefined): string {
  const what = listSome(
    signs.map((sign) => WORDS[sign.kind]),
    5
  )
  const where = profile?.readable
    ? `into ${path}, which was readable in the previous version`
    : `in ${path}`
  return `Obfuscated code introduced ${where}: ${what}.`
}

function evidenceFor(signs: Sign[]): Evidence[] {
  return signs.map((sign) => ({
    file: sign.line.file,
    line: sign.line.line,
    snippet: clipAround(sign.line.text, Math.max(0, sign.index), 60)
  }))
}

function byFile(lines: SourceLine[]): Map<string, SourceLine[]> {
  const files = new Map<string, SourceLine[]>()
  for (const line of lines) {
    const list = files.get(line.file) ?? []
    list.push(line)
    files.set(line.file, list)
  }
  return files
}

export const rule: Rule = { meta, check }
