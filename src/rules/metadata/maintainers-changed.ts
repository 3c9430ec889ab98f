// Detects: an npm account listed in the new version's `maintainers` that the previously locked
// version did not list. The version's own list is used; when the new version has none and it is
// the latest release, the packument's top-level list (which reflects the package as of its latest
// release) stands in for it.
// Why: a takeover often starts by adding an account to the package, then publishing from it.
// Combined with a publisher change (the new account published), it ranks high.
// False positives: a project welcoming a new maintainer. Needs `maintainers`: mirrors that strip
// it make this rule silent (the metadata-gap notice says so).
import type { Finding, Manifest, Packument } from '../../types.js'
import { makeFinding } from '../finding.js'
import { publisherIsNew } from '../lib/metadata/publishers.js'
import { publishTime } from '../lib/metadata/time.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/maintainers-changed',
  title: 'Maintainer added',
  description:
    'An npm account was added to the maintainers between the previously locked version and the ' +
    'new one.',
  defaultSeverity: 'medium',
  version: 1
}

const MAX_LISTED = 5

function check(ctx: RuleContext): Finding[] {
  const { manifest, previousManifest, change } = ctx
  if (!manifest || !previousManifest || change.previous?.version === change.version) return []
  const before = namesOf(previousManifest.maintainers)
  const now = namesOf(currentList(manifest, ctx.packument))
  if (!before || !now) return []
  const added = [...now].filter((name) => !before.has(name))
  if (added.length === 0) return []
  const shown = added.slice(0, MAX_LISTED)
  const publisherToo = publisherIsNew(manifest, previousManifest, ctx.packument)
  const message =
    `${change.name}@${change.version} lists maintainer${added.length > 1 ? 's' : ''} ` +
    `${shown.join(', ')}${added.length > shown.length ? ', …' : ''} that ` +
    `${change.previous?.version} did not` +
    (publisherToo ? ', and it was published by an account new to the package' : '')
  const evidence = [
    {
      file: 'packument',
      snippet: `maintainers: ${[...before].join(', ')} -> ${[...now].join(', ')}`
    }
  ]
  return [makeFinding(ctx, meta, message, evidence, publisherToo ? 'high' : 'medium')]
}

/** The version's own list; the package's list when the version has none and is the latest one. */
function currentList(manifest: Manifest, packument: Packument | undefined): unknown {
  if (Array.isArray(manifest.maintainers)) return manifest.maintainers
  if (!packument || !isLatestRelease(manifest.version, packument)) return undefined
  return packument.maintainers
}

function isLatestRelease(version: string, packument: Packument): boolean {
  if (packument['dist-tags']?.latest === version) return true
  const mine = publishTime(packument, version)
  if (mine === undefined) return false
  return Object.keys(packument.versions).every((v) => (publishTime(packument, v) ?? 0) <= mine)
}

/** Lower-case account names; undefined when the list is absent (unknown, not empty). */
function namesOf(list: unknown): Set<string> | undefined {
  if (!Array.isArray(list)) return undefined
  const names = new Set<string>()
  for (const person of list.slice(0, 200)) {
    const name = (person as { name?: unknown } | null)?.name
    if (typeof name === 'string' && name.trim()) names.add(name.trim().toLowerCase())
  }
  return names
}

export const rule: Rule = { meta, check }
