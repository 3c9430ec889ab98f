// Factory packuments for the metadata rules: versions with `_npmUser`, `maintainers`,
// `dist.attestations`, `repository` and publish times, and a RuleContext for a bump between two.
import type { RuleContext } from '../../../../src/rules/types.js'
import type { Manifest, Packument, ProvenanceSummary } from '../../../../src/types.js'
import { makeChange, makeContext } from '../../../helpers/factories.js'

export interface VersionSpec extends Partial<Manifest> {
  /** ISO publish time for `time[version]`. */
  time?: string
}

export const NAME = 'meta-pkg'
export const NOW = new Date('2026-11-21T12:00:00Z')

export function makePackument(
  versions: Record<string, VersionSpec>,
  extra: Partial<Packument> = {}
): Packument {
  const time: Record<string, string> = { created: '2020-01-01T00:00:00.000Z' }
  const docs: Record<string, Manifest> = {}
  for (const [version, { time: published, ...manifest }] of Object.entries(versions)) {
    docs[version] = { name: NAME, version, ...manifest }
    if (published) time[version] = published
  }
  return { name: NAME, versions: docs, time, ...extra }
}

/** `dist` with npm provenance advertised. */
export function withProvenance(version: string): Manifest['dist'] {
  return {
    attestations: {
      url: `http://127.0.0.1:1/-/npm/v1/attestations/${NAME}@${version}`,
      provenance: { predicateType: 'https://slsa.dev/provenance/v1' }
    }
  }
}

export function source(overrides: Partial<ProvenanceSummary> = {}): ProvenanceSummary {
  return {
    repository: 'https://github.com/acme/meta-pkg',
    workflow: '.github/workflows/release.yml',
    ref: 'refs/tags/v1.0.1',
    ...overrides
  }
}

/** A bump `from` -> `to` (or an added `to` when `from` is null) of the packument's versions. */
export function bumpContext(
  packument: Packument,
  from: string | null,
  to: string,
  overrides: Partial<RuleContext> = {}
): RuleContext {
  const previousManifest = from ? packument.versions[from] : undefined
  return makeContext({
    change: makeChange({ name: NAME, version: to, previousVersion: from, line: 12 }),
    packument,
    manifest: packument.versions[to],
    ...(previousManifest ? { previousManifest } : {}),
    now: NOW,
    ...overrides
  })
}
