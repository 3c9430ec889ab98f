// Detects: an added or changed package installed from a git repository, a file tarball or an
// arbitrary tarball URL instead of the registry.
// Why: lockgate only fetches and analyses registry tarballs, so such code is never read; it also
// bypasses everything the registry gives (publisher, provenance, advisories, takedowns), and a
// URL or git ref can serve different bytes tomorrow. Attackers use it to slip code past review.
// Known false positives: forks pinned to a commit while a fix is upstreamed, vendored tarballs
// checked into the repository, private tarball hosts that do not use registry-shaped URLs.
import type { Finding, SourceKind } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'lockfile/non-registry-source',
  title: 'Installed from outside the registry',
  description:
    'The package comes from a git repository, a file or a tarball URL. lockgate does not fetch ' +
    'or analyse such code, and it bypasses the registry checks (publisher, provenance, advisories).',
  defaultSeverity: 'high',
  version: 1
}

const LABELS: Partial<Record<SourceKind, string>> = {
  git: 'a git repository',
  file: 'a local file',
  remote: 'a tarball URL'
}

const MAX_SOURCE = 160

function check(ctx: RuleContext): Finding[] {
  const { change } = ctx
  const label = LABELS[change.locked.source]
  if (!label) return []
  const where = clip(change.locked.resolved ?? change.locked.version)
  const message =
    `${change.name}@${change.version} is installed from ${label} (${where}), which lockgate ` +
    'does not fetch or analyse and which bypasses the registry checks'
  return [
    makeFinding(ctx, meta, message, [{ file: 'lockfile', line: change.line, snippet: where }])
  ]
}

function clip(value: string): string {
  return value.length > MAX_SOURCE ? `${value.slice(0, MAX_SOURCE)}…` : value
}

export const rule: Rule = { meta, check }
