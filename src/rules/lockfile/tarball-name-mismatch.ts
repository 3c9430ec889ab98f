// Detects: a registry-shaped `resolved` URL whose tarball belongs to another package or version
// than the lockfile entry, e.g. `node_modules/lodash` resolved to
// `…/evil-pkg/-/evil-pkg-1.0.0.tgz`. The entry's real name is used, so an `npm:` alias (installed
// as `lodash`, really `evil-pkg`) whose tarball is `evil-pkg` is consistent and not reported.
// Why: the package manager installs whatever the URL serves under the entry's name. Reviewers
// and tools (this one included: it fetches by name and version) read the name, so a mismatched
// URL smuggles another package in under a trusted name.
// Known false positives: registries that serve tarballs under a non-npm layout that still uses
// `/-/` (none known); hand-edited lockfiles after a package was renamed.
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import { displayUrl, parseHttpUrl } from '../lib/lockfile/registries.js'
import { fileMatches, tarballRef } from '../lib/lockfile/tarball-url.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'lockfile/tarball-name-mismatch',
  title: 'Tarball URL names another package',
  description:
    'The `resolved` tarball URL belongs to a different package or version than the lockfile ' +
    'entry: the package manager would install other code under a trusted name.',
  defaultSeverity: 'high',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  const { change } = ctx
  const { locked } = change
  const url = locked.resolved === undefined ? undefined : parseHttpUrl(locked.resolved)
  const ref = url ? tarballRef(url) : undefined
  if (!url || !ref) return []
  const sameName = ref.name.toLowerCase() === locked.name.toLowerCase()
  if (sameName && fileMatches(ref.file, ref.name, locked.version)) return []
  const what = sameName ? `the file ${ref.file}` : `the package ${ref.name} (${ref.file})`
  const installedAs = locked.alias ? ` (installed as ${locked.alias})` : ''
  const message =
    `${locked.name}@${locked.version}${installedAs} is locked to a tarball URL that serves ` +
    `${what}, not ${locked.name}@${locked.version}`
  const evidence = [{ file: 'lockfile', line: change.line, snippet: displayUrl(url) }]
  return [makeFinding(ctx, meta, message, evidence)]
}

export const rule: Rule = { meta, check }
