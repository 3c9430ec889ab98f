// Which trust signals the registry did not provide. Some registries and mirrors strip `_npmUser`,
// `maintainers`, `dist.attestations` and signatures, or rewrite `time`: the metadata rules then
// find nothing, which must not read as "nothing suspicious". Each package is observed as it is
// fetched (small booleans, no packument kept), and the run ends with one sentence per missing
// signal naming the rules that could not be evaluated.
import { hasAttestations } from '../rules/lib/metadata/provenance.js'
import { publisherName } from '../rules/lib/metadata/publishers.js'
import { judgeTimes, publishTime, type TimeVerdict } from '../rules/lib/metadata/time.js'
import type { Manifest, PackageChange, Packument } from '../types.js'

export interface MetadataObservation {
  /** `name@version`, for naming a few packages in a notice. */
  package: string
  /** The registry served the package's metadata (the other fields mean nothing otherwise). */
  fetched: boolean
  hasNpmUser: boolean
  /** This version carries `dist.attestations`. */
  hasAttestations: boolean
  /** Some version of the package carries attestations or registry signatures (`dist.signatures`). */
  hasSignedVersions: boolean
  /** The version or the package lists `maintainers`. */
  hasMaintainers: boolean
  /** `time[version]` is present and readable. */
  hasTime: boolean
  /** Whether the `time` map looks like real publish times. */
  timePlausible: TimeVerdict
}

export interface ObservedPackage {
  packument?: Packument
  manifest?: Manifest
  change: PackageChange
}

const NAMED = 3

export function observeMetadata(fetched: ObservedPackage): MetadataObservation {
  const { packument, manifest, change } = fetched
  const seen = Boolean(packument && manifest)
  return {
    package: `${change.name}@${change.version}`,
    fetched: seen,
    hasNpmUser: publisherName(manifest) !== undefined,
    hasAttestations: hasAttestations(manifest),
    hasSignedVersions: seen && anyVersionSigned(packument as Packument),
    hasMaintainers: Array.isArray(manifest?.maintainers) || Array.isArray(packument?.maintainers),
    hasTime: publishTime(packument, change.version) !== undefined,
    timePlausible: seen ? judgeTimes(packument) : 'unknown'
  }
}

function anyVersionSigned(packument: Packument): boolean {
  return Object.values(packument.versions ?? {}).some((version) => {
    const dist = version?.dist
    return Boolean(
      dist && (dist.attestations || (Array.isArray(dist.signatures) && dist.signatures.length))
    )
  })
}

/** One sentence per signal that was missing, across the run; nothing when all were there. */
export function describeMetadataGaps(observations: MetadataObservation[]): string[] {
  const fetched = observations.filter((observation) => observation.fetched)
  if (fetched.length === 0) return []
  const notices: string[] = []
  const publisher = missing(fetched, (o) => !o.hasNpmUser)
  if (publisher) {
    notices.push(
      `Trust metadata unavailable: the registry returned no publisher (_npmUser) for ${publisher}, so metadata/publisher-changed could not be evaluated${forThem(publisher)}.`
    )
  }
  const provenance = fetched.every((o) => !o.hasAttestations && !o.hasSignedVersions)
  if (provenance) {
    notices.push(
      `Provenance unavailable: the registry returned neither provenance (dist.attestations) nor registry signatures for ${fetched.length === 1 ? fetched[0].package : `any of ${countOf(fetched.length)}`}; it may strip them, as some mirrors do, so metadata/provenance-lost could not be evaluated.`
    )
  }
  const maintainers = missing(fetched, (o) => !o.hasMaintainers)
  if (maintainers) {
    notices.push(
      `Trust metadata unavailable: the registry returned no maintainers for ${maintainers}, so metadata/maintainers-changed could not be evaluated${forThem(maintainers)}.`
    )
  }
  notices.push(...timeGaps(fetched))
  return notices
}

function timeGaps(fetched: MetadataObservation[]): string[] {
  const notices: string[] = []
  const absent = missing(fetched, (o) => !o.hasTime)
  if (absent) {
    notices.push(
      `Publish times unavailable: the registry returned no time for ${absent}, so metadata/too-new (the cooldown) could not be applied${forThem(absent)}.`
    )
  }
  const scrambled = missing(fetched, (o) => o.hasTime && o.timePlausible === 'scrambled')
  if (scrambled) {
    notices.push(
      `Publish times look scrambled for ${scrambled.replace(/^any of /, 'all ')} (versions of one release line "published" out of order or before the package was created; some mirrors rewrite time), so metadata/too-new (the cooldown) was not applied${forThem(scrambled)}.`
    )
  }
  return notices
}

/** "any of 22 packages" / "3 of 22 packages (a@1, b@2, c@3)", or undefined when none is missing. */
function missing(
  fetched: MetadataObservation[],
  isMissing: (observation: MetadataObservation) => boolean
): string | undefined {
  const gaps = fetched.filter(isMissing)
  if (gaps.length === 0) return undefined
  if (fetched.length === 1) return gaps[0].package
  if (gaps.length === fetched.length) return `any of ${countOf(fetched.length)}`
  const named = gaps.slice(0, NAMED).map((o) => o.package)
  const more = gaps.length > NAMED ? ', …' : ''
  return `${gaps.length} of ${countOf(fetched.length)} (${named.join(', ')}${more})`
}

function forThem(phrase: string): string {
  return phrase.includes(' of ') ? (phrase.startsWith('any of') ? '' : ' for them') : ''
}

function countOf(count: number): string {
  return `${count} package${count === 1 ? '' : 's'}`
}
