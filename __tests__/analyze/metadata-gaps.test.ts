import { describe, expect, it } from '@jest/globals'
import {
  describeMetadataGaps,
  observeMetadata,
  type MetadataObservation
} from '../../src/analyze/metadata-gaps.js'
import type { Manifest, Packument } from '../../src/types.js'
import { makeChange } from '../helpers/factories.js'

const DAY = 86_400_000
const base = Date.parse('2025-01-01T00:00:00Z')

/** A package as the real registry serves it: publisher, maintainers, signatures, ordered times. */
function complete(name: string): { packument: Packument; manifest: Manifest } {
  const versions: Record<string, Manifest> = {}
  const time: Record<string, string> = { created: new Date(base - DAY).toISOString() }
  for (let patch = 0; patch < 6; patch++) {
    const version = `1.0.${patch}`
    versions[version] = {
      name,
      version,
      _npmUser: { name: 'alice' },
      maintainers: [{ name: 'alice' }],
      dist: { signatures: [{ keyid: 'SHA256:k', sig: 's' }] }
    }
    time[version] = new Date(base + patch * DAY).toISOString()
  }
  return { packument: { name, versions, time }, manifest: versions['1.0.5'] }
}

/** The same package behind a mirror that strips trust metadata and scrambles time. */
function stripped(name: string): { packument: Packument; manifest: Manifest } {
  const { packument } = complete(name)
  const versions: Record<string, Manifest> = {}
  const time: Record<string, string> = {}
  Object.keys(packument.versions).forEach((version, i) => {
    versions[version] = { name, version, dist: { integrity: 'sha512-x' } }
    time[version] = new Date(base + ((i * 7) % 6) * DAY - i * 3 * DAY).toISOString()
  })
  return { packument: { name, versions, time }, manifest: versions['1.0.5'] }
}

function observe(name: string, doc: { packument: Packument; manifest: Manifest }) {
  return observeMetadata({ ...doc, change: makeChange({ name, version: '1.0.5' }) })
}

describe('observeMetadata', () => {
  it('sees every signal on complete metadata', () => {
    expect(observe('a', complete('a'))).toEqual({
      package: 'a@1.0.5',
      fetched: true,
      hasNpmUser: true,
      hasAttestations: false,
      hasSignedVersions: true,
      hasMaintainers: true,
      hasTime: true,
      timePlausible: 'plausible'
    })
  })

  it('sees what a stripping, scrambling mirror leaves out', () => {
    expect(observe('a', stripped('a'))).toMatchObject({
      fetched: true,
      hasNpmUser: false,
      hasSignedVersions: false,
      hasMaintainers: false,
      hasTime: true,
      timePlausible: 'scrambled'
    })
  })

  it('records a package the registry did not serve as not fetched', () => {
    expect(observeMetadata({ change: makeChange() }).fetched).toBe(false)
  })
})

describe('describeMetadataGaps', () => {
  it('says nothing when every signal was there', () => {
    const observations = ['a', 'b'].map((name) => observe(name, complete(name)))
    expect(describeMetadataGaps(observations)).toEqual([])
  })

  it('says once per signal that none of the packages had it', () => {
    const observations = Array.from({ length: 22 }, (_, i) => observe(`p${i}`, stripped(`p${i}`)))
    expect(describeMetadataGaps(observations)).toEqual([
      'Trust metadata unavailable: the registry returned no publisher (_npmUser) for any of 22 packages, so metadata/publisher-changed could not be evaluated.',
      'Provenance unavailable: the registry returned neither provenance (dist.attestations) nor registry signatures for any of 22 packages; it may strip them, as some mirrors do, so metadata/provenance-lost could not be evaluated.',
      'Trust metadata unavailable: the registry returned no maintainers for any of 22 packages, so metadata/maintainers-changed could not be evaluated.',
      'Publish times look scrambled for all 22 packages (versions of one release line "published" out of order or before the package was created; some mirrors rewrite time), so metadata/too-new (the cooldown) was not applied.'
    ])
  })

  it('names a few of the packages when only some lack a signal', () => {
    const observations: MetadataObservation[] = [
      observe('a', complete('a')),
      ...['b', 'c', 'd', 'e'].map((name) => observe(name, stripped(name)))
    ]
    const notices = describeMetadataGaps(observations)
    expect(notices[0]).toBe(
      'Trust metadata unavailable: the registry returned no publisher (_npmUser) for 4 of 5 packages (b@1.0.5, c@1.0.5, d@1.0.5, …), so metadata/publisher-changed could not be evaluated for them.'
    )
    expect(notices.some((notice) => notice.startsWith('Provenance unavailable'))).toBe(false)
  })

  it('reports missing publish times', () => {
    const doc = complete('a')
    delete doc.packument.time
    expect(describeMetadataGaps([observe('a', doc)])).toEqual([
      'Publish times unavailable: the registry returned no time for a@1.0.5, so metadata/too-new (the cooldown) could not be applied.'
    ])
  })

  it('ignores packages that could not be fetched (their own findings say so)', () => {
    expect(describeMetadataGaps([observeMetadata({ change: makeChange() })])).toEqual([])
  })
})
