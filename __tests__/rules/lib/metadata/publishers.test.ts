import { describe, expect, it } from '@jest/globals'
import {
  comparePublishers,
  recentPublishers,
  versionsBefore
} from '../../../../src/rules/lib/metadata/publishers.js'
import { makePackument } from './factories.js'

const doc = makePackument({
  '1.0.0': { _npmUser: { name: 'carol' } },
  '1.0.1': { _npmUser: { name: 'Bob' } },
  '1.1.0-beta.1': { _npmUser: { name: 'alice' } },
  '1.1.0': { _npmUser: { name: 'alice' } },
  '2.0.0': { _npmUser: { name: 'dave' } },
  'not-semver': { _npmUser: { name: 'eve' } }
})

describe('publisher history', () => {
  it('lists the versions before one by semver, newest first, bounded', () => {
    expect(versionsBefore(doc, '1.1.0')).toEqual(['1.1.0-beta.1', '1.0.1', '1.0.0'])
    expect(versionsBefore(doc, '1.1.0', 2)).toEqual(['1.1.0-beta.1', '1.0.1'])
  })

  it('collects the recent publishers, lower-cased, never later ones', () => {
    expect([...recentPublishers(doc, '1.1.0')].sort()).toEqual(['alice', 'bob', 'carol'])
  })

  it('compares two versions and says whether the new one is known from history', () => {
    const [v100, v101, v110, v200] = ['1.0.0', '1.0.1', '1.1.0', '2.0.0'].map(
      (v) => doc.versions[v]
    )
    expect(comparePublishers(v110, v101, doc)).toEqual({
      previous: 'bob',
      current: 'alice',
      knownFromHistory: true
    })
    expect(comparePublishers(v200, v110, doc)?.knownFromHistory).toBe(false)
    expect(comparePublishers(v101, v100, doc)?.knownFromHistory).toBe(false)
    expect(comparePublishers(v110, v110, doc)).toBeUndefined()
  })
})
