// content/binary-added
//
// Detects: native code (a Windows `.dll`/`.exe`, an ELF or Mach-O library or executable, a
// Node.js `.node` addon, an extension-less or `.bin` binary) in a version whose previous version
// shipped no native code at all. Images, fonts, archives and other data are ignored by name. When
// the unpacker records a file's magic bytes (`magic: 'pe' | 'elf' | 'macho'`), the magic decides
// whatever the file is called; otherwise the extension does.
//
// Why: a JavaScript package that suddenly ships native code is running something nobody can
// review. "Scavenger" (July 2025) added `node-gyp.dll` to eslint-config-prettier and started it
// with `rundll32` from a new install script; the git repository never contained it.
//
// Severity, for a package whose previous version is known: high for a Windows binary or an unknown
// binary, medium for a `.node` addon or a shared library (the usual shape of a package that starts
// shipping prebuilds); critical when an install script names the binary. When the previous version
// already built native code on install (a `binding.gyp`, `gypfile: true`, or an install script
// running node-gyp, node-pre-gyp, prebuild-install...), shipping prebuilds instead is routine
// (bcrypt 5 -> 6, node-pty 1.0 -> 1.1): low when every binary sits in a per-platform folder
// (`prebuilds/win32-x64/`, `bin/linux-arm64/`), medium otherwise. For an added package (nothing to
// compare): medium for a Windows binary, low for everything else and for a package that declares
// `os`/`cpu` (a platform package such as a prebuilt CLI for one system).
//
// Known false positives: a pure-JS package that starts shipping prebuilt binaries (medium), a
// package that bundles a tool's executable for the first time. A package that already shipped
// native code is not reported when it adds more (a new prebuild per platform is routine).
import type { Evidence, Finding, Severity } from '../../types.js'
import { formatBytes } from '../../registry/limits.js'
import { makeFinding } from '../finding.js'
import { nativeBinaries, type NativeBinary, type NativeKind } from '../lib/blob/binaries.js'
import { buildsNativeCode, inPlatformFolder } from '../lib/blob/native-build.js'
import {
  commandMentions,
  installCommands,
  readPackageJson,
  type PackageJson
} from '../lib/blob/package-json.js'
import { hasBaseline } from '../lib/introduced.js'
import { listSome } from '../lib/text.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'content/binary-added',
  title: 'Native binary added',
  description:
    'This version ships native code (a DLL, executable, shared library or Node.js addon) where ' +
    'the previous version had none: code that cannot be reviewed and may run on install.',
  defaultSeverity: 'high',
  version: 1
}

const KIND_WORDS: Record<NativeKind, string> = {
  windows: 'a Windows binary',
  addon: 'a Node.js native addon',
  library: 'a native library or executable',
  unknown: 'a binary file that may be native code'
}
/** Most alarming first: the finding is graded on the worst binary added. */
const KIND_ORDER: NativeKind[] = ['windows', 'unknown', 'library', 'addon']
const MAX_EVIDENCE = 5

/** What the severity depends on, besides the worst binary. */
interface Situation {
  /** The previous version is known. */
  baseline: boolean
  /** An install script names one of the binaries. */
  runOnInstall: boolean
  /** The package declares `os`/`cpu`. */
  platformPackage: boolean
  /** The previous version compiled or fetched native code on install. */
  builtBefore: boolean
  /** Every binary sits in a per-platform folder. */
  perPlatform: boolean
}

function check(ctx: RuleContext): Finding[] {
  const binaries = nativeBinaries(ctx.files)
  if (binaries.length === 0) return []
  const baseline = hasBaseline(ctx)
  // a package that already shipped native code is expected to ship new builds of it
  if (baseline && nativeBinaries(ctx.previousFiles).length > 0) return []
  const pkg = readPackageJson(ctx.files, ctx.manifest)
  const worst = [...binaries].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
  )
  const run = worst.find((binary) => installRuns(pkg, binary))
  const situation: Situation = {
    baseline,
    runOnInstall: run !== undefined,
    platformPackage: platformPackage(pkg),
    builtBefore: baseline && buildsNativeCode(ctx.previousFiles, ctx.previousManifest),
    perPlatform: binaries.every((binary) => inPlatformFolder(binary.file.path))
  }
  const message = describe(worst, situation, run)
  const evidence = worst.slice(0, MAX_EVIDENCE).map(evidenceFor)
  return [makeFinding(ctx, meta, message, evidence, severityOf(worst[0]!, situation))]
}

function severityOf(worst: NativeBinary, situation: Situation): Severity {
  if (!situation.baseline) {
    if (situation.platformPackage) return 'low'
    return worst.kind === 'windows' || situation.runOnInstall ? 'medium' : 'low'
  }
  if (situation.runOnInstall) return 'critical'
  if (situation.builtBefore) return situation.perPlatform ? 'low' : 'medium'
  return worst.kind === 'windows' || worst.kind === 'unknown' ? 'high' : 'medium'
}

function describe(binaries: NativeBinary[], situation: Situation, run?: NativeBinary): string {
  const first = binaries[0]!
  const names = listSome(
    binaries.map((binary) => binary.file.path),
    3
  )
  const subject = !situation.baseline
    ? `The package ships ${KIND_WORDS[first.kind]} (${names})`
    : situation.builtBefore
      ? `This version ships ${KIND_WORDS[first.kind]} (${names}) prebuilt; the previous version built its native code on install`
      : `This version adds ${KIND_WORDS[first.kind]} (${names}) where the previous version had no native code`
  const runs = run ? `; an install script runs ${run.file.path}` : ''
  return `${subject}${runs}.`
}

function evidenceFor(binary: NativeBinary): Evidence {
  const magic = binary.magic ? `, ${binary.magic.toUpperCase()} header` : ''
  const hash = binary.file.sha256 ? `, sha256 ${binary.file.sha256}` : ''
  return {
    file: binary.file.path,
    snippet: `binary, ${formatBytes(binary.file.size)}${magic}${hash}`
  }
}

/** True when an install script names the binary, by path or (for `rundll32 x.dll`) by name. */
function installRuns(pkg: PackageJson | undefined, binary: NativeBinary): boolean {
  const path = binary.file.path
  const name = path.slice(path.lastIndexOf('/') + 1)
  return installCommands(pkg).some(
    (command) => commandMentions(command, path) || commandMentions(command, name)
  )
}

/** A package restricted to some systems or CPUs: the shape of a per-platform prebuild. */
function platformPackage(pkg: PackageJson | undefined): boolean {
  return Array.isArray(pkg?.value.os) || Array.isArray(pkg?.value.cpu)
}

export const rule: Rule = { meta, check }
