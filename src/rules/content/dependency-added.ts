// content/dependency-added
//
// Detects: a runtime dependency (`dependencies` or `optionalDependencies`) that this version's
// package.json declares and the previous version's did not, and an existing dependency whose
// spec moves from the registry to a URL, git repository or local path. Both sides read the
// tarball's package.json and the registry metadata together (npm resolves from the metadata,
// consumers read the tarball: a name in either counts).
//
// Why: the cheapest way to ship a payload inside a trusted package is to make it depend on a
// package the attacker owns. axios 1.14.1 changed no code: it added `plain-crypto-js`, whose
// install script dropped the malware. A dependency given as a tarball URL or git repository
// bypasses the registry (and its takedowns) altogether.
//
// Severity: medium for a new registry dependency (it is analysed as its own lockfile entry: its
// age and install scripts are judged there); high when no file of the new version refers to it
// (no `require`, `import` or script names it: it is there only for what it does on install, the
// axios shape) or when it is given as a URL, git or file spec; low when the previous version
// already declared it as a peer dependency. Only changed packages are judged: an added package
// has no previous version to compare with.
//
// Known false positives: honest releases add dependencies routinely (medium, a warning at the
// default threshold). A dependency loaded by a computed name (a plugin loader building the name
// from a prefix) or only re-exported for consumers reads as unreferenced (high); `@types/*`
// packages and packages without code files are never counted as unreferenced. Version bumps,
// removed dependencies and new devDependencies (never installed for consumers) are not reported.
import type { Evidence, Finding, Severity } from '../../types.js'
import { makeFinding } from '../finding.js'
import { unreferencedModules } from '../lib/blob/module-references.js'
import {
  lineOf,
  readPackageJson,
  stringRecord,
  type PackageJson
} from '../lib/blob/package-json.js'
import { isCodeFile } from '../lib/code-files.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'content/dependency-added',
  title: 'Runtime dependency added',
  description:
    'This version adds a runtime dependency that every consumer will install: the way axios ' +
    '1.14.1 shipped a payload without changing a line of its own code.',
  defaultSeverity: 'medium',
  version: 1
}

const RUNTIME_FIELDS = ['dependencies', 'optionalDependencies'] as const
const MAX_FINDINGS = 20
/** Specs that do not come from the registry: URLs, git hosts, local paths, `user/repo`. */
const OUTSIDE_REGISTRY =
  /^(?:[a-z][a-z0-9+.-]{0,20}:\/\/|git\+|git@|github:|gitlab:|bitbucket:|gist:|file:|link:|\.{0,2}\/|~\/)/i
const GITHUB_SHORTHAND = /^[\w.-]{1,100}\/[\w.-]{1,100}(?:#.{0,200})?$/

interface Declared {
  spec: string
  field: (typeof RUNTIME_FIELDS)[number]
  /** Where it is declared in the tarball's package.json, when it is. */
  pkg?: PackageJson
}

function check(ctx: RuleContext): Finding[] {
  if (ctx.change.kind !== 'changed') return []
  const before = runtimeDependencies(ctx.previousFiles, ctx.previousManifest)
  const after = runtimeDependencies(ctx.files, ctx.manifest)
  if (!before || !after) return []
  const peersBefore = peerNames(ctx)
  const reported = [...after].filter(([name, declared]) => {
    const old = before.get(name)
    return !old || (isOutsideRegistry(declared.spec) && !isOutsideRegistry(old.spec))
  })
  const unused = unusedNames(
    ctx,
    reported
      .filter(([name, declared]) => !platformSibling(name, declared, before))
      .map(([name]) => name)
  )
  return reported.slice(0, MAX_FINDINGS).map(([name, declared]) =>
    findingFor(ctx, name, declared, before.get(name), {
      wasPeer: peersBefore.has(name),
      unreferenced: unused.has(name)
    })
  )
}

/**
 * The new names that no file of the new version refers to. Empty when that cannot be told: no
 * tarball, a package without code (a meta-package or a config preset), or too much to search.
 */
function unusedNames(ctx: RuleContext, names: string[]): Set<string> {
  const files = ctx.files
  const candidates = names.filter((name) => !name.startsWith('@types/'))
  if (!files || candidates.length === 0) return new Set()
  if (![...files.files.keys()].some((path) => isCodeFile(path))) return new Set()
  const pkg = readPackageJson(files, undefined)
  return new Set(unreferencedModules(files, pkg, candidates) ?? [])
}

/**
 * A new optional dependency of the same family as an optional dependency the previous version had
 * (`@esbuild/…`, `lightningcss-…`): a prebuilt binary for one more platform, loaded by a computed
 * name, so "nobody refers to it" says nothing.
 */
function platformSibling(name: string, declared: Declared, before: Map<string, Declared>): boolean {
  if (declared.field !== 'optionalDependencies') return false
  const family = familyOf(name)
  return [...before].some(
    ([oldName, old]) => old.field === 'optionalDependencies' && familyOf(oldName) === family
  )
}

/** `@esbuild/linux-x64` -> `@esbuild`, `lightningcss-linux-x64-gnu` -> `lightningcss`. */
function familyOf(name: string): string {
  if (name.startsWith('@')) return name.slice(0, Math.max(name.indexOf('/'), 1))
  const dash = name.indexOf('-')
  return dash > 0 ? name.slice(0, dash) : name
}

function findingFor(
  ctx: RuleContext,
  name: string,
  declared: Declared,
  old: Declared | undefined,
  how: { wasPeer: boolean; unreferenced: boolean }
): Finding {
  const spec = JSON.stringify(declared.spec)
  const outside = isOutsideRegistry(declared.spec)
  const { wasPeer, unreferenced } = how
  const severity: Severity = outside ? 'high' : wasPeer ? 'low' : unreferenced ? 'high' : 'medium'
  const where = declared.field === 'dependencies' ? 'dependency' : 'optional dependency'
  const source =
    (outside ? ' from outside the registry' : '') +
    (unreferenced ? ' that no file of the package refers to' : '')
  const message = old
    ? `This version moves the ${where} ${name} from ${JSON.stringify(old.spec)} to ${spec}, outside the registry.`
    : `This version adds the ${where} ${name}@${spec}${source}${wasPeer ? ' (previously a peer dependency)' : ''}; it is analysed as its own lockfile entry.`
  const line = lineOf(declared.pkg, [declared.field, name])
  const evidence: Evidence = {
    file: 'package.json',
    ...(line ? { line } : {}),
    snippet: `"${name}": ${spec}`
  }
  return makeFinding(ctx, meta, message, [evidence], severity)
}

/**
 * Runtime dependencies by name, from the tarball's package.json and the registry metadata, or
 * undefined when neither could be read (unknown, not "none").
 */
function runtimeDependencies(
  files: RuleContext['files'],
  manifest: RuleContext['manifest']
): Map<string, Declared> | undefined {
  const fromTarball = files ? readPackageJson(files, undefined) : undefined
  const fromRegistry = manifest ? readPackageJson(undefined, manifest) : undefined
  if (!fromTarball && !fromRegistry) return undefined
  const result = new Map<string, Declared>()
  // registry first, so that the tarball's entry (which has a line number) wins
  for (const pkg of [fromRegistry, fromTarball]) {
    for (const field of RUNTIME_FIELDS) {
      for (const [name, spec] of stringRecord(pkg, field)) result.set(name, { spec, field, pkg })
    }
  }
  return result
}

function peerNames(ctx: RuleContext): Set<string> {
  const names = new Set<string>()
  for (const pkg of [
    readPackageJson(ctx.previousFiles, undefined),
    readPackageJson(undefined, ctx.previousManifest)
  ]) {
    for (const name of stringRecord(pkg, 'peerDependencies').keys()) names.add(name)
  }
  return names
}

export function isOutsideRegistry(spec: string): boolean {
  const trimmed = spec.trim()
  if (trimmed.startsWith('npm:')) return false
  return OUTSIDE_REGISTRY.test(trimmed) || GITHUB_SHORTHAND.test(trimmed)
}

export const rule: Rule = { meta, check }
