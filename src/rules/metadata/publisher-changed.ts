// Detects: the new version was published by a different npm account (`_npmUser`) than the
// version this repository locked before, and by none of the accounts that published the recent
// versions before it. Trusted publishing lost (the previous version was published by CI through
// OIDC, `_npmUser.trustedPublisher`, the new one with a token) ranks critical.
// Why: account takeover and stolen tokens publish from an account, or a way, the project does not
// use (Nx, axios). Comparing with the previously locked version and the recent history, not with
// "any earlier version", is what keeps this quiet on rotating release managers.
// False positives: a new maintainer's first release; a project moving its releases to CI, or away
// from it. A project adopting trusted publishing is reported at medium only. Needs `_npmUser`:
// behind mirrors that strip it nothing is reported here (the metadata-gap notice says so).
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import {
  comparePublishers,
  hasTrustedPublisher,
  publisherName,
  RECENT_HISTORY
} from '../lib/metadata/publishers.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/publisher-changed',
  title: 'Published by a different account',
  description:
    'The new version was published by an npm account that published neither the previously ' +
    'locked version nor any of the recent versions, or without the trusted publishing (CI) the ' +
    'previous version had.',
  defaultSeverity: 'high',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  const { manifest, previousManifest, change } = ctx
  if (!previousManifest || !manifest || change.previous?.version === change.version) return []
  const current = publisherName(manifest)
  const previous = publisherName(previousManifest)
  if (!current || !previous) return []
  const evidence = [{ file: 'packument', snippet: `_npmUser: ${previous} -> ${current}` }]
  const id = `${change.name}@${change.version}`
  if (hasTrustedPublisher(previousManifest) && !hasTrustedPublisher(manifest)) {
    const message =
      `${id} was published by ${current} without trusted publishing, while ` +
      `${change.previous?.version} was published by CI through trusted publishing (${previous}): ` +
      'a token, possibly a stolen one, was used instead of the usual release workflow'
    return [makeFinding(ctx, meta, message, trustedEvidence(evidence), 'critical')]
  }
  const comparison = comparePublishers(manifest, previousManifest, ctx.packument)
  if (!comparison || comparison.knownFromHistory) return []
  if (hasTrustedPublisher(manifest)) {
    const message =
      `${id} was published through trusted publishing (${current}) while ` +
      `${change.previous?.version} was published by ${previous}: the project appears to have ` +
      'moved its releases to CI; provenance is not proof of safety'
    return [makeFinding(ctx, meta, message, evidence, 'medium')]
  }
  const message =
    `${id} was published by ${current}, who published neither ${change.previous?.version} ` +
    `(${previous}) nor any of the ${RECENT_HISTORY} versions before it: check the account is a ` +
    'known maintainer'
  return [makeFinding(ctx, meta, message, evidence)]
}

function trustedEvidence(evidence: { file: string; snippet: string }[]) {
  return [...evidence, { file: 'packument', snippet: '_npmUser.trustedPublisher: set -> absent' }]
}

export const rule: Rule = { meta, check }
