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
// Severity: high when the spec is a URL, git or file spec, and for the axios shape: a new runtime
// dependency that no file of the new version refers to (no `require`, `import` or script names
// it: it is there only for what it does on install). Everything else is context, because each new
// dependency is itself an added lockfile entry that the gate analyses on its own (its age, its
// install scripts, its code): low for a new registry dependency the code uses, for one in the
// package's own npm scope (`@solana/web3.js` -> `@solana/sysvars`: the same organisation
// publishes both) and for a former peer dependency; info for a per-platform binary package named
// after the package (`typescript` -> `@typescript/typescript-linux-x64`, the esbuild/@swc/@rollup
// pattern), low for another optional dependency whose name carries an os/cpu word. Such platform
// packages are loaded by a computed name, so they are never called unreferenced. Only changed
// packages are judged: an added package has no previous version to compare with.
//
// Known false positives: a dependency loaded by a computed name (a plugin loader building the
// name from a prefix) or only re-exported for consumers reads as unreferenced (high); `@types/*`
// packages and packages without code files are never counted as unreferenced. Version bumps,
// removed dependencies and new devDependencies (never installed for consumers) are not reported.
import type { Evidence, Finding, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import { hasPlatformToken, namedAfter, sameScope, scopeOf } from '../lib/blob/dependency-names.js'
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
  defaultSeverity: 'low',
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

/**
 * Why a dependency is there, as far as its name and spec tell: `outside` the registry, a former
 * `peer`, a per-`platform` build (`own-platform` when named after the package), a package of the
 * `same-scope`, or a plain `registry` dependency (the only kind that can be "unreferenced").
 */
type Kind = 'outside' | 'peer' | 'own-platform' | 'platform' | 'same-scope' | 'registry'

interface Added {
  name: string
  declared: Declared
  old: Declared | undefined
  kind: Kind
}

const SEVERITY: Record<Kind, Severity> = {
  outside: 'high',
  peer: 'low',
  'own-platform': 'info',
  platform: 'low',
  'same-scope': 'low',
  registry: 'low'
}

function check(ctx: RuleContext): Finding[] {
  if (ctx.change.kind !== 'changed') return []
  const before = runtimeDependencies(ctx.previousFiles, ctx.previousManifest)
  const after = runtimeDependencies(ctx.files, ctx.manifest)
  if (!before || !after) return []
  const classify = classifier(ctx, before)
  const added: Added[] = [...after]
    .filter(([name, declared]) => {
      const old = before.get(name)
      return !old || (isOutsideRegistry(declared.spec) && !isOutsideRegistry(old.spec))
    })
    .map(([name, declared]) => ({
      name,
      declared,
      old: before.get(name),
      kind: classify(name, declared)
    }))
  const unused = unusedNames(
    ctx,
    added.filter(({ kind }) => kind === 'registry' || kind === 'outside').map(({ name }) => name)
  )
  return added
    .map((dependency) => findingFor(ctx, dependency, unused.has(dependency.name)))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
    .slice(0, MAX_FINDINGS)
}

function classifier(
  ctx: RuleContext,
  before: Map<string, Declared>
): (name: string, declared: Declared) => Kind {
  const peers = peerNames(ctx)
  const owners = ownerNames(ctx)
  return (name, declared) => {
    if (isOutsideRegistry(declared.spec)) return 'outside'
    if (peers.has(name)) return 'peer'
    if (declared.field === 'optionalDependencies' && hasPlatformToken(name)) {
      const own = platformSibling(name, before) || owners.some((owner) => namedAfter(name, owner))
      return own ? 'own-platform' : 'platform'
    }
    if (owners.some((owner) => sameScope(name, owner))) return 'same-scope'
    return 'registry'
  }
}

/**
 * The package's names: the one the lockfile installs it under and the registry's. Not the
 * tarball's package.json `name`, which the publisher can set to anything.
 */
function ownerNames(ctx: RuleContext): string[] {
  const names = [ctx.change.name]
  const registryName = ctx.manifest?.name
  if (typeof registryName === 'string' && registryName !== ctx.change.name) {
    names.push(registryName)
  }
  return names
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
function platformSibling(name: string, before: Map<string, Declared>): boolean {
  const family = familyOf(name)
  return [...before].some(
    ([oldName, old]) => old.field === 'optionalDependencies' && familyOf(oldName) === family
  )
}

/** `@esbuild/linux-x64` -> `@esbuild`, `lightningcss-linux-x64-gnu` -> `lightningcss`. */
function familyOf(name: string): string {
  const scope = scopeOf(name)
  if (scope) return scope
  const dash = name.indexOf('-')
  return dash > 0 ? name.slice(0, dash) : name
}

function findingFor(ctx: RuleContext, dependency: Added, unreferenced: boolean): Finding {
  const { name, declared, kind } = dependency
  const severity: Severity = unreferenced ? 'high' : SEVERITY[kind]
  const line = lineOf(declared.pkg, [declared.field, name])
  const evidence: Evidence = {
    file: 'package.json',
    ...(line ? { line } : {}),
    snippet: `"${name}": ${JSON.stringify(declared.spec)}`
  }
  return makeFinding(ctx, meta, messageFor(dependency, unreferenced), [evidence], severity)
}

const KIND_NOTES: Record<Kind, string> = {
  outside: ' from outside the registry',
  peer: ' (previously a peer dependency)',
  'own-platform': ', a prebuilt binary for one platform, loaded by a computed name',
  platform: ', whose name says it is a build for one platform',
  'same-scope': " from the package's own npm scope",
  registry: ''
}

function messageFor({ name, declared, old, kind }: Added, unreferenced: boolean): string {
  const spec = JSON.stringify(declared.spec)
  const where = declared.field === 'dependencies' ? 'dependency' : 'optional dependency'
  if (old) {
    return `This version moves the ${where} ${name} from ${JSON.stringify(old.spec)} to ${spec}, outside the registry.`
  }
  const unused = unreferenced ? ' that no file of the package refers to' : ''
  return `This version adds the ${where} ${name}@${spec}${KIND_NOTES[kind]}${unused}; it is analysed as its own lockfile entry.`
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
