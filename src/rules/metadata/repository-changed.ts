// Detects: the `repository` field changed (after normalisation: `git+https://github.com/a/b.git`,
// `github:a/b` and `https://github.com/a/b` are the same) or was removed between the previously
// locked version and the new one. Ranks high when the host or owner changed and the provenance
// changed too (lost, or built from another repository); a removal counts as a move.
// Why: an attacker publishing from a fork or a fresh account often points `repository` at it, or
// drops it; with provenance also gone or different, the release did not come from the project.
// False positives: repository transfers and renames, monorepo moves; a field added where there was
// none is not reported.
import type { Finding, ProvenanceSummary } from '../../types.js'
import { makeFinding } from '../finding.js'
import { hasProvenance } from '../lib/metadata/provenance.js'
import {
  normalizeRepository,
  repositoryOf,
  repositoryText,
  type RepositoryRef
} from '../lib/metadata/repository-url.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/repository-changed',
  title: 'Repository changed',
  description:
    'The package.json repository field changed or was removed between the previously locked ' +
    'version and the new one.',
  defaultSeverity: 'medium',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  const { manifest, previousManifest, change } = ctx
  if (!manifest || !previousManifest || change.previous?.version === change.version) return []
  const beforeText = repositoryText(previousManifest)
  if (!beforeText) return []
  const before = repositoryOf(previousManifest)
  const now = repositoryOf(manifest)
  const nowText = repositoryText(manifest)
  const id = `${change.name}@${change.version}`
  const snippet = `repository: ${beforeText} -> ${nowText ?? '(none)'}`
  const evidence = [{ file: 'package.json', snippet }]
  if (!nowText) {
    const message = `${id} no longer names its source repository (${change.previous?.version} named ${before?.key ?? beforeText})`
    return [makeFinding(ctx, meta, message, evidence, severity(ctx, true))]
  }
  if (before && now ? before.key === now.key : beforeText === nowText) return []
  const moved = !before || !now || before.host !== now.host || before.owner !== now.owner
  const message = `${id} names another source repository than ${change.previous?.version}: ${before?.key ?? beforeText} -> ${now?.key ?? nowText}`
  return [makeFinding(ctx, meta, message, evidence, severity(ctx, moved))]
}

function severity(ctx: RuleContext, moved: boolean): 'high' | 'medium' {
  return moved && provenanceChanged(ctx) ? 'high' : 'medium'
}

/** Provenance lost, or both attested and built from different repositories. */
function provenanceChanged(ctx: RuleContext): boolean {
  if (!hasProvenance(ctx.previousManifest)) return false
  if (!hasProvenance(ctx.manifest)) return true
  const current = attestedRepository(ctx.provenance?.current)
  const previous = attestedRepository(ctx.provenance?.previous)
  return current !== undefined && previous !== undefined && current.key !== previous.key
}

function attestedRepository(summary: ProvenanceSummary | undefined): RepositoryRef | undefined {
  return normalizeRepository(summary?.repository)
}

export const rule: Rule = { meta, check }
