// content/minified-blob-added
//
// Detects: a large minified or bundled JavaScript file (at least 200 KiB, with an average line
// over 1,000 characters or almost no whitespace) in a version whose previous version had no
// minified file of comparable size (at least a quarter of the new one's). The shape is measured
// on at most the first MiB of text; the size is the file's real size.
//
// Why: a megabyte of minified code cannot be reviewed, and it is where worms hide. Shai-Hulud
// added a 3.6 MB `bundle.js` run by a new postinstall; its second wave a 10 MB
// `bun_environment.js`. An honest library that ships a minified build ships one in every release.
//
// Severity: medium, also when the file is the package's `main` or a `bin` (bundled CLIs ship
// like that: yarn 2 replaced its readable entry with a 1.6 MiB webpack bundle); high only when an
// install script runs the file, which is how Shai-Hulud ran its bundle on every install. For an
// added package (nothing to compare): info, low when it is the `main` or a `bin`, medium when an
// install script runs it.
//
// Known false positives: a package that starts shipping a bundled build (a move to a bundler, a
// new UMD or standalone build, a CLI rewritten as one bundled entry point) or whose bundle grows
// more than fourfold in one release: medium, a warning.
import type { Finding, PackageFile, PackageFiles, Severity } from '../../types.js'
import { formatBytes } from '../../registry/limits.js'
import { makeFinding } from '../finding.js'
import { isMinifiedShape, measureText, type TextShape } from '../lib/blob/minified.js'
import {
  commandMentions,
  installCommands,
  isEntryFile,
  readPackageJson,
  type PackageJson
} from '../lib/blob/package-json.js'
import { extensionOf } from '../lib/code-files.js'
import { hasBaseline } from '../lib/introduced.js'
import { clipAround } from '../lib/text.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'content/minified-blob-added',
  title: 'Large minified blob added',
  description:
    'This version adds a large minified or bundled JavaScript file where the previous version ' +
    'had none of comparable size: code that cannot be reviewed, the usual home of worm payloads.',
  defaultSeverity: 'medium',
  version: 1
}

/** Option `minBytes`: files smaller than this are not blobs. */
const DEFAULT_MIN_BYTES = 200 * 1024
/** A previous minified file at least this share of the new one's size makes it "comparable". */
const COMPARABLE_SHARE = 0.25
const SCRIPT_EXTENSIONS = new Set(['js', 'mjs', 'cjs'])

interface Blob {
  file: PackageFile
  shape: TextShape
}

function check(ctx: RuleContext): Finding[] {
  const minBytes = numberOption(ctx.options.minBytes, DEFAULT_MIN_BYTES)
  const blobs = minifiedBlobs(ctx.files, minBytes)
  if (blobs.length === 0) return []
  const baseline = hasBaseline(ctx)
  const previous = baseline ? minifiedBlobs(ctx.previousFiles, 0) : []
  const pkg = readPackageJson(ctx.files, ctx.manifest)
  return blobs
    .filter((blob) => !baseline || !hadComparable(blob, previous))
    .map((blob) => findingFor(ctx, blob, baseline, pkg))
}

function findingFor(
  ctx: RuleContext,
  blob: Blob,
  baseline: boolean,
  pkg: PackageJson | undefined
): Finding {
  const path = blob.file.path
  const runOnInstall = installCommands(pkg).some((command) => commandMentions(command, path))
  const entry = isEntryFile(pkg, path)
  const role = runOnInstall
    ? ', run by an install script'
    : entry
      ? ', the package entry point'
      : ''
  const what = `${path}, a ${formatBytes(blob.file.size)} minified file (average line ${Math.round(blob.shape.averageLineLength)} characters)${role}`
  const message = baseline
    ? `This version adds ${what}, where the previous version had no minified file of comparable size.`
    : `The package ships ${what}.`
  const firstLine = blob.file.text?.slice(0, 400) ?? ''
  const evidence = [{ file: path, line: 1, snippet: clipAround(firstLine, 0, 60) }]
  return makeFinding(ctx, meta, message, evidence, severityOf(baseline, runOnInstall, entry))
}

function severityOf(baseline: boolean, runOnInstall: boolean, entry: boolean): Severity {
  if (!baseline) return runOnInstall ? 'medium' : entry ? 'low' : 'info'
  return runOnInstall ? 'high' : 'medium'
}

/** The same file was minified before, or another minified file of comparable size existed. */
function hadComparable(blob: Blob, previous: Blob[]): boolean {
  return previous.some(
    (old) => old.file.path === blob.file.path || old.file.size >= blob.file.size * COMPARABLE_SHARE
  )
}

/** Script files of at least `minBytes` whose shape is minified, sorted by path. */
function minifiedBlobs(files: PackageFiles | undefined, minBytes: number): Blob[] {
  if (!files) return []
  const blobs: Blob[] = []
  for (const file of files.files.values()) {
    if (file.text === undefined || file.size < minBytes) continue
    if (!SCRIPT_EXTENSIONS.has(extensionOf(file.path))) continue
    const shape = measureText(file.text)
    if (isMinifiedShape(shape)) blobs.push({ file, shape })
  }
  return blobs.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0))
}

function numberOption(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback
}

export const rule: Rule = { meta, check }
