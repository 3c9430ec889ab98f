// Detects: a registry package locked without an integrity hash (medium), or with only a `sha1`
// hash (low).
// Why: the integrity is what makes `npm ci`, pnpm, yarn classic and bun refuse other bytes than
// those locked. Without it, whatever the `resolved` URL serves today is installed; sha1 is
// broken for collisions, so a party that publishes or serves the tarball can prepare two files
// with the same hash. Lockfiles written by current package managers always carry sha512.
// Not reported: yarn berry lockfiles (their `checksum` is not an npm integrity, by design; a
// yarn.lock entry is judged only when it carries an integrity or classic's `#sha1`), git,
// file, link and remote sources (`lockfile/non-registry-source` covers them), and npm entries
// with neither `resolved` nor `integrity` (packages inside a bundled dependency, which npm
// writes that way; they come with their parent's verified tarball).
// Known false positives: very old lockfiles (npm 4 / yarn < 1.10) that were never refreshed.
// Known gap: a yarn classic entry stripped of both its integrity and its `#sha1` looks like a
// berry entry here; if it had them in base, `lockfile/integrity-changed` reports the removal.
import type { Finding, LockedPackage } from '../../types.js'
import { makeFinding } from '../finding.js'
import { parseHttpUrl } from '../lib/lockfile/registries.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'lockfile/weak-integrity',
  title: 'Registry package without a strong integrity hash',
  description:
    'The lockfile pins this registry package without an integrity hash, or only with sha1: ' +
    'the package manager cannot tell the locked bytes from others.',
  defaultSeverity: 'medium',
  version: 1
}

const NPM_LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json'])
const MAX_HASHES = 16
// yarn classic writes the sha1 of the tarball as the URL fragment: `…/x-1.0.0.tgz#<40 hex>`.
const SHA1_FRAGMENT = /^#[0-9a-f]{40}$/i

function check(ctx: RuleContext): Finding[] {
  const { change } = ctx
  const { locked } = change
  if (locked.source !== 'registry' || !carriesIntegrity(change.lockfile, locked)) return []
  const id = `${locked.name}@${locked.version}`
  const evidence = [{ file: 'lockfile', line: change.line, snippet: locked.integrity ?? '' }]
  if (locked.integrity === undefined || locked.integrity.trim() === '') {
    if (sha1Fragment(locked.resolved)) {
      const message = `${id} is locked only by the sha1 in its resolved URL, a hash broken for collisions`
      return [makeFinding(ctx, meta, message, evidence, 'low')]
    }
    const message = `${id} is locked without an integrity hash: any bytes its URL serves would be installed`
    return [makeFinding(ctx, meta, message, evidence)]
  }
  if (!onlySha1(locked.integrity)) return []
  const message = `${id} is locked only by a sha1 integrity, a hash broken for collisions`
  return [makeFinding(ctx, meta, message, evidence, 'low')]
}

/** Whether this kind of entry is expected to carry an npm integrity at all. */
function carriesIntegrity(lockfile: string, locked: LockedPackage): boolean {
  const file = lockfile.slice(lockfile.lastIndexOf('/') + 1)
  // yarn classic always writes the tarball's sha1 as the URL fragment; yarn berry has no npm
  // integrity and writes a URL only for a non-standard tarball location, without that fragment
  if (file === 'yarn.lock') return locked.integrity !== undefined || sha1Fragment(locked.resolved)
  if (NPM_LOCKFILES.has(file))
    return locked.resolved !== undefined || locked.integrity !== undefined
  return true
}

function onlySha1(integrity: string): boolean {
  const tokens = integrity.trim().split(/\s+/).slice(0, MAX_HASHES)
  return tokens.every((token) => token.toLowerCase().startsWith('sha1-'))
}

function sha1Fragment(resolved: string | undefined): boolean {
  const url = resolved === undefined ? undefined : parseHttpUrl(resolved)
  return url !== undefined && SHA1_FRAGMENT.test(url.hash)
}

export const rule: Rule = { meta, check }
