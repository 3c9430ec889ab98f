import { describe, expect, it } from '@jest/globals'
import {
  identitiesMention,
  publisherIdentities
} from '../../../../src/rules/lib/popularity/identities.js'
import { makeManifest } from '../../../helpers/factories.js'

describe('publisher identities', () => {
  it('collects maintainer and publisher names and e-mails, normalised', () => {
    const identities = publisherIdentities(
      { name: 'x', versions: {}, maintainers: [{ name: 'Post_Mark', email: 'a@b.test' }] },
      makeManifest({ _npmUser: { name: 'phanpak' }, maintainers: [{ name: 'phanpak' }] })
    )
    expect(identities.sort()).toEqual(['a@btest', 'phanpak', 'postmark'])
    expect(identitiesMention(identities, 'postmark')).toBe(true)
    expect(identitiesMention(identities, 'node-fetch')).toBe(false)
  })

  it('ignores malformed entries and returns nothing when the metadata has none', () => {
    const maintainers = [null, 'x', { name: 7 }] as unknown as { name?: string }[]
    expect(publisherIdentities({ name: 'x', versions: {}, maintainers })).toEqual([])
    expect(publisherIdentities()).toEqual([])
  })
})
