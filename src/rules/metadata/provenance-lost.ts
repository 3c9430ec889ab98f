// Detects: the previously locked version carried npm provenance (`dist.attestations` with a SLSA
// provenance predicate) and the new one does not; or both carry it but were built from another
// source repository or another workflow file (a ref that is neither a tag nor a branch is
// reported at medium).
// Why: a project that publishes from CI with provenance does not stop doing so between two
// releases; a stolen token publishing from a laptop cannot attach it (Nx 2025, axios 2026). Having
// provenance is never proof of safety (TanStack and keyv shipped malicious builds from their own
// CI with valid provenance): this rule only reports its loss or its change.
// False positives: a project that moved its release workflow (renamed file, transferred repo) or
// published one release by hand. When both bundles could not be read, a low finding says the
// comparison could not be made.
import type { Evidence, Finding, ProvenanceSummary } from '../../types.js'
import { makeFinding } from '../finding.js'
import { hasProvenance } from '../lib/metadata/provenance.js'
import { normalizeRepository } from '../lib/metadata/repository-url.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/provenance-lost',
  title: 'Provenance lost or changed',
  description:
    'The previously locked version was published with npm provenance and the new one is not, or ' +
    'its provenance names another source repository or workflow.',
  defaultSeverity: 'high',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  const { manifest, previousManifest, change } = ctx
  if (!manifest || !previousManifest || change.previous?.version === change.version) return []
  if (!hasProvenance(previousManifest)) return []
  const id = `${change.name}@${change.version}`
  const previous = change.previous?.version
  if (!hasProvenance(manifest)) {
    const message =
      `${id} was published without the npm provenance that ${previous} had: it was not built ` +
      'by the release workflow that built the previous version'
    const snippet = 'dist.attestations: provenance -> absent'
    return [makeFinding(ctx, meta, message, [{ file: 'packument', snippet }])]
  }
  const current = ctx.provenance?.current
  const before = ctx.provenance?.previous
  if (!current || !before) {
    const message = `${id} and ${previous} both have npm provenance, but the attestations could not be read to compare where they were built`
    return [makeFinding(ctx, meta, message, [], 'low')]
  }
  return compareProvenance(ctx, current, before)
}

function compareProvenance(
  ctx: RuleContext,
  current: ProvenanceSummary,
  before: ProvenanceSummary
): Finding[] {
  const id = `${ctx.change.name}@${ctx.change.version}`
  const differences = sourceDifferences(current, before)
  if (differences.length > 0) {
    const what = differences.map((d) => d.snippet).join('; ')
    const message = `${id} was built from another source than ${ctx.change.previous?.version}: ${what}`
    return [makeFinding(ctx, meta, message, differences)]
  }
  if (current.ref && !isUsualRef(current.ref)) {
    const message = `${id} was built from ${current.ref}, which is neither a tag nor a branch (${ctx.change.previous?.version} was built from ${before.ref ?? 'an unknown ref'})`
    const snippet = `provenance ref: ${before.ref ?? '?'} -> ${current.ref}`
    return [makeFinding(ctx, meta, message, [{ file: 'attestation', snippet }], 'medium')]
  }
  return []
}

function sourceDifferences(current: ProvenanceSummary, before: ProvenanceSummary): Evidence[] {
  const differences: Evidence[] = []
  const repoNow = normalizeRepository(current.repository)?.key ?? current.repository
  const repoBefore = normalizeRepository(before.repository)?.key ?? before.repository
  if (repoNow && repoBefore && repoNow !== repoBefore) {
    differences.push({ file: 'attestation', snippet: `repository: ${repoBefore} -> ${repoNow}` })
  }
  if (current.workflow && before.workflow && current.workflow !== before.workflow) {
    const snippet = `workflow: ${before.workflow} -> ${current.workflow}`
    differences.push({ file: 'attestation', snippet })
  }
  return differences
}

/** Releases are built from a tag or a branch; `refs/pull/…` and other refs are unusual. */
function isUsualRef(ref: string): boolean {
  return ref.startsWith('refs/tags/') || ref.startsWith('refs/heads/')
}

export const rule: Rule = { meta, check }
