// Whether a version carries an npm provenance attestation, as the packument advertises it.
import type { Manifest } from '../../../types.js'

/** SLSA provenance predicates start with this (v0.2 and v1 alike). */
const SLSA_PROVENANCE = 'https://slsa.dev/provenance/'

/** `dist.attestations` with a SLSA provenance predicate (a publish attestation alone is not one). */
export function hasProvenance(manifest: Manifest | undefined): boolean {
  const attestations = manifest?.dist?.attestations
  if (typeof attestations !== 'object' || attestations === null) return false
  const predicateType = attestations.provenance?.predicateType
  return typeof predicateType === 'string' && predicateType.startsWith(SLSA_PROVENANCE)
}

/** Any attestations at all (provenance or not): what a stripping mirror removes. */
export function hasAttestations(manifest: Manifest | undefined): boolean {
  const attestations = manifest?.dist?.attestations
  return typeof attestations === 'object' && attestations !== null
}
