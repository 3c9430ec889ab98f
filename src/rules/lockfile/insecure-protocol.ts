// Detects: an added or changed package whose `resolved` source is fetched over a plaintext
// protocol: `http:` tarball URLs, `git://` and `git+http://` repositories.
// Why: anyone on the network path (a coffee-shop Wi-Fi, a compromised proxy, a CI provider's
// egress) can swap the bytes; for git sources no integrity hash catches it, and an http tarball
// downloaded with a missing or weak integrity is not checked either.
// Known false positives: none for public hosts. A registry that the npm configuration itself
// serves over plain http (a local Verdaccio, a registry on an internal network) is the user's
// choice and is not reported; neither is a loopback host when the scan passed no registry list.
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import {
  displayUrl,
  isLoopback,
  parseHttpUrl,
  registryOnHost,
  registryPolicy
} from '../lib/lockfile/registries.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'lockfile/insecure-protocol',
  title: 'Downloaded over a plaintext protocol',
  description:
    'The lockfile fetches this package over http or the unauthenticated git protocol: anyone ' +
    'on the network path can replace what gets installed.',
  defaultSeverity: 'high',
  version: 1
}

const PLAINTEXT_GIT = ['git://', 'git+http://']
const MAX_SHOWN = 160

function check(ctx: RuleContext): Finding[] {
  const { change } = ctx
  const resolved = change.locked.resolved
  if (resolved === undefined) return []
  const head = resolved.slice(0, 16).toLowerCase()
  let shown: string | undefined
  if (PLAINTEXT_GIT.some((prefix) => head.startsWith(prefix))) shown = clip(resolved)
  else if (head.startsWith('http://')) shown = insecureTarball(ctx, resolved)
  if (shown === undefined) return []
  const message =
    `${change.name}@${change.version} is downloaded over a plaintext protocol (${shown}), ` +
    'so anyone on the network path can replace it'
  return [
    makeFinding(ctx, meta, message, [{ file: 'lockfile', line: change.line, snippet: shown }])
  ]
}

/** The URL to show, or undefined when plain http is the configured registry's own choice. */
function insecureTarball(ctx: RuleContext, resolved: string): string | undefined {
  const url = parseHttpUrl(resolved)
  if (!url) return clip(resolved)
  const policy = registryPolicy(ctx.options)
  if (registryOnHost(url, policy)?.protocol === 'http:') return undefined
  if (!policy.configured && isLoopback(url)) return undefined
  return displayUrl(url)
}

function clip(value: string): string {
  return value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value
}

export const rule: Rule = { meta, check }
