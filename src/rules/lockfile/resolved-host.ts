// Detects: an added or changed package whose registry-shaped `resolved` URL points at a host that
// is not one of the registries configured for this lockfile (`registry` and every
// `@scope:registry` of the npm configuration, plus any extra allowed registry). Without that list
// (a caller that passes no options) it only reports a host that changed for the same entry
// between base and head.
// Why: lockgate reads the package from the configured registry, but `npm ci` (and yarn classic)
// download from the `resolved` URL written in the lockfile. A lockfile edited to point one entry
// at an attacker's host installs bytes nobody reviewed, while the registry copy looks clean.
// Known false positives: a registry mirror or proxy the npm configuration does not name (add it
// to the allowed registries); lockfiles generated on a machine with another registry configured.
// Tarball URLs that are not registry-shaped are reported by `lockfile/non-registry-source`.
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import {
  displayUrl,
  parseHttpUrl,
  registryOnHost,
  registryPolicy,
  type RegistryPolicy
} from '../lib/lockfile/registries.js'
import { tarballRef } from '../lib/lockfile/tarball-url.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'lockfile/resolved-host',
  title: 'Resolved from a host outside the configured registries',
  description:
    'The lockfile tells the package manager to download this package from a host that is not ' +
    'one of the configured registries: an edited `resolved` URL installs bytes that the ' +
    'registry (and this scan) never served.',
  defaultSeverity: 'high',
  version: 1
}

const MAX_LISTED = 4

function check(ctx: RuleContext): Finding[] {
  const { change } = ctx
  const url = registryShapedUrl(change.locked.resolved)
  if (!url) return []
  const policy = registryPolicy(ctx.options)
  const message = policy.configured
    ? outsideRegistries(url, policy)
    : movedHost(url, registryShapedUrl(change.previous?.resolved))
  if (!message) return []
  const id = `${change.name}@${change.version}`
  const evidence = [{ file: 'lockfile', line: change.line, snippet: displayUrl(url) }]
  return [makeFinding(ctx, meta, `${id} ${message}`, evidence)]
}

function registryShapedUrl(resolved: string | undefined): URL | undefined {
  const url = resolved === undefined ? undefined : parseHttpUrl(resolved)
  return url && tarballRef(url) ? url : undefined
}

function outsideRegistries(url: URL, policy: RegistryPolicy): string | undefined {
  if (registryOnHost(url, policy)) return undefined
  const hosts = [...new Set(policy.registries.map((registry) => registry.host))]
  const listed = hosts.slice(0, MAX_LISTED).join(', ') + (hosts.length > MAX_LISTED ? ', …' : '')
  const allowed = hosts.length ? `the configured registries (${listed})` : 'no configured registry'
  return `is resolved from ${url.host}, which is not one of ${allowed}`
}

function movedHost(url: URL, before: URL | undefined): string | undefined {
  if (!before || before.host === url.host) return undefined
  return `is now resolved from ${url.host} instead of ${before.host}`
}

export const rule: Rule = { meta, check }
