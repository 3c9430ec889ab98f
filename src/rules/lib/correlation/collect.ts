// Gathers every threat signal a version introduces, each placed in a file (its scope) so that the
// combination table can ask "in the same file" or "in the same package":
// - code signals from the detectors in signals.ts, minus keys the previous version already had;
// - key material (`seed`, `privateKey`) and requests on introduced lines, as they are;
// - endpoints (new hosts, and exfiltration services or raw IPs) in introduced lines and in
//   introduced decoded strings (a base64 URL), judged against every host of the previous version;
// - obfuscation markers on introduced lines, in a file that did not have them before;
// - a large minified file that is new or was readable before;
// - an added or changed install script, placed in the file it runs when that file is new or
//   changed in this version (the signal's evidence stays the package.json line).
import type { Evidence, PackageFile } from '../../../types.js'
import type { RuleContext } from '../../types.js'
import { isMinifiedText } from '../blob/minified.js'
import { introducedFacts } from '../code/index.js'
import { isCodeFile, isCommentLine } from '../code-files.js'
import { introducedInstallScripts } from '../exec/install-scripts.js'
import { findHosts, type HostMatch } from '../hosts.js'
import {
  exfilCategory,
  isIgnoredHost,
  isKnownEndpoint,
  isLinkHost,
  knownEndpoints,
  ownSites,
  siteOf,
  type KnownEndpoints
} from '../host-policy.js'
import { collectIntroduced, type SourceLine } from '../introduced.js'
import { isDenseAt } from '../secrets/dense.js'
import { evidenceAt } from '../secrets/evidence.js'
import { introducedSignals } from '../secrets/signals.js'
import { clipAround } from '../text.js'
import { firstObfuscation, looksObfuscated } from './markers.js'
import { detectorFor, flowSignals, type SignalKind } from './signals.js'

export interface Signal {
  kind: SignalKind
  /** The file the signal belongs to, for same-file combinations. */
  scope: string
  /** 1-based line of the evidence (in `evidence.file`, which is `scope` except for scripts). */
  line: number
  detail: string
  evidence: Evidence
  /**
   * True when the signal sits on a line over ~1,000 characters or in a minified file, where "a few
   * lines apart" says nothing (one line holds thousands of statements).
   */
  dense?: boolean
  /** The value tying it to another signal on the same line (see FactSignal's `link`). */
  link?: string
}

type Versions = Pick<RuleContext, 'files' | 'previousFiles' | 'manifest' | 'previousManifest'>

const MAX_SIGNALS_PER_FILE = 200
const LARGE_BLOB_CHARS = 64 * 1024
const SCRIPT_FILE = /^(?:\.\/)*([\w@./-]{1,200}\.(?:js|cjs|mjs|ts|sh|bash|ps1|bat|cmd|py))$/i

/** Every signal this version introduces, in a stable order (by scope, then line). */
export function collectSignals(ctx: Versions): Signal[] {
  const lines = collectIntroduced(ctx).lines
  const signals = [
    ...codeSignals(ctx),
    ...flowSignalsOf(ctx),
    ...endpointSignals(ctx, lines),
    ...obfuscationSignals(ctx, lines),
    ...blobSignals(ctx),
    ...installSignals(ctx)
  ].map((found) => withDensity(ctx, found))
  return signals.sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : a.line - b.line))
}

function withDensity(ctx: Versions, found: Signal): Signal {
  const file = found.evidence.file ?? found.scope
  const line = found.evidence.line ?? found.line
  return isDenseAt(ctx.files, file, line) ? { ...found, dense: true } : found
}

function codeSignals(ctx: Versions): Signal[] {
  return introducedSignals(ctx, detectorFor(ctx.manifest?.name)).flatMap((entry) =>
    entry.signals.slice(0, MAX_SIGNALS_PER_FILE).map((found) => ({
      kind: found.kind,
      scope: entry.file,
      line: found.line,
      detail: found.detail,
      evidence: evidenceAt(ctx.files, entry.file, found.line, found.needle),
      ...(found.link !== undefined ? { link: found.link } : {})
    }))
  )
}

/** Key material and requests on introduced lines (not compared with the previous version). */
function flowSignalsOf(ctx: Versions): Signal[] {
  return introducedFacts(ctx).flatMap((entry) =>
    isCodeFile(entry.file)
      ? flowSignals(entry.facts)
          .slice(0, MAX_SIGNALS_PER_FILE)
          .map((found) => ({
            kind: found.kind,
            scope: entry.file,
            line: found.line,
            detail: found.detail,
            evidence: evidenceAt(ctx.files, entry.file, found.line, found.needle)
          }))
      : []
  )
}

/** New hosts in introduced lines and decoded strings; exfiltration services and raw IPs apart. */
function endpointSignals(ctx: Versions, lines: SourceLine[]): Signal[] {
  const known = ctx.previousFiles ? knownEndpoints(ctx.previousFiles) : undefined
  const own = ownSites(ctx.manifest)
  const found: Signal[] = []
  const seen = new Set<string>()
  const add = (file: string, line: number, text: string, match: HostMatch) => {
    const kind = endpointKind(match, known, own)
    const key = `${file}#${match.host}#${kind}`
    if (!kind || seen.has(key) || found.length >= MAX_SIGNALS_PER_FILE) return
    seen.add(key)
    const evidence = { file, line, snippet: clipAround(text, match.index) }
    found.push({ kind, scope: file, line, detail: describeEndpoint(match), evidence })
  }
  for (const line of lines) {
    if (isCommentLine(line.file, line.text)) continue
    for (const match of findHosts(line.text)) add(line.file, line.line, line.text, match)
  }
  for (const entry of introducedFacts(ctx)) {
    if (!isCodeFile(entry.file)) continue
    for (const fact of entry.facts.strings) {
      if (fact.decodedFrom === undefined || fact.decodedFrom === 'template') continue
      for (const match of findHosts(fact.value, 20)) add(entry.file, fact.line, fact.value, match)
    }
  }
  return found
}

function endpointKind(
  match: HostMatch,
  known: KnownEndpoints | undefined,
  own: Set<string>
): SignalKind | undefined {
  if (isIgnoredHost(match.host) || (known && isKnownEndpoint(known, match))) return undefined
  if (match.isIp || exfilCategory(match.host, match.path)) return 'exfil-host'
  if (own.has(siteOf(match.host)) || isLinkHost(match.host)) return undefined
  return 'new-host'
}

function describeEndpoint(match: HostMatch): string {
  const category = exfilCategory(match.host, match.path) ?? (match.isIp ? 'raw IP' : undefined)
  return category ? `${match.host} (${category})` : match.host
}

/** `_0x` families, string-array rotation, dense escapes, code hidden after whitespace. */
function obfuscationSignals(ctx: Versions, lines: SourceLine[]): Signal[] {
  const byFile = new Map<string, SourceLine[]>()
  for (const line of lines) {
    const group = byFile.get(line.file)
    if (group) group.push(line)
    else byFile.set(line.file, [line])
  }
  const found: Signal[] = []
  for (const [file, fileLines] of byFile) {
    const marker = firstObfuscation(fileLines)
    if (!marker || wasObfuscated(ctx.previousFiles?.files.get(file))) continue
    const evidence = evidenceAt(ctx.files, file, marker.line, marker.needle)
    found.push({
      kind: 'obfuscation',
      scope: file,
      line: marker.line,
      detail: marker.what,
      evidence
    })
  }
  return found
}

/** True when the previous version of the file already was minified or obfuscated. */
function wasObfuscated(file: PackageFile | undefined): boolean {
  return file?.text !== undefined && looksObfuscated(file.text)
}

/** A big minified code file that is new, or that was readable in the previous version. */
function blobSignals(ctx: Versions): Signal[] {
  const found: Signal[] = []
  for (const file of ctx.files?.files.values() ?? []) {
    if (file.text === undefined || file.size < LARGE_BLOB_CHARS || !isCodeFile(file.path)) continue
    const before = ctx.previousFiles?.files.get(file.path)
    if (before?.sha256 !== undefined && before.sha256 === file.sha256) continue
    if (!isMinifiedText(file.text) || (before?.text !== undefined && isMinifiedText(before.text)))
      continue
    const detail = `${file.path} (${Math.round(file.size / 1024)} KiB, minified)`
    const evidence = { file: file.path, line: 1, snippet: file.text.slice(0, 120) }
    found.push({ kind: 'large-blob', scope: file.path, line: 1, detail, evidence })
  }
  return found
}

/** An added or changed install script, in the scope of each new or changed file it runs. */
function installSignals(ctx: Versions): Signal[] {
  const found: Signal[] = []
  for (const script of introducedInstallScripts(ctx)) {
    const line = script.line ?? 1
    const snippet = `"${script.key}": ${JSON.stringify(script.command)}`
    for (const path of filesRun(script.command)) {
      if (!isNewOrChanged(ctx, path)) continue
      const detail = `${script.key} runs ${path}`
      const evidence = { file: 'package.json', line, snippet }
      found.push({ kind: 'install-runs-file', scope: path, line, detail, evidence })
    }
  }
  return found
}

function filesRun(command: string): string[] {
  return command.split(/[\s;&|()<>"'=,]+/).flatMap((token) => SCRIPT_FILE.exec(token)?.[1] ?? [])
}

function isNewOrChanged(ctx: Versions, path: string): boolean {
  const file = ctx.files?.files.get(path)
  if (!file) return false
  const before = ctx.previousFiles?.files.get(path)
  return !before || before.sha256 === undefined || before.sha256 !== file.sha256
}
