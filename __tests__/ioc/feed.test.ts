import { describe, it, expect } from '@jest/globals'
import { GateError } from '../../src/errors.js'
import { parseFeed } from '../../src/ioc/feed.js'

const ORIGIN = 'feeds/extra.json'

function feedWith(indicator: Record<string, unknown>, top: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schema: 1,
    name: 'test feed',
    updated: '2025-09-26',
    indicators: [
      { type: 'domain', value: 'ok.example', incident: 'x', source: 'y' },
      { incident: 'test incident', source: 'TEST-1', ...indicator }
    ],
    ...top
  })
}

function feedError(text: string): GateError {
  try {
    parseFeed(text, ORIGIN)
  } catch (error) {
    expect(error).toBeInstanceOf(GateError)
    expect((error as GateError).code).toBe('EFEED')
    return error as GateError
  }
  throw new Error('parseFeed accepted an invalid feed')
}

describe('parseFeed', () => {
  it('normalises values and records the origin', () => {
    const text = JSON.stringify({
      schema: 1,
      name: 'n',
      updated: '2025-01-02',
      indicators: [
        { type: 'package', value: 'Evil-Pkg', versions: ' >=1.0.16 ', incident: 'i', source: 's' },
        { type: 'publisher', value: 'PhanPak', incident: 'i', source: 's' },
        { type: 'domain', value: 'GiftShop.Club.', incident: 'i', source: 's' },
        { type: 'email', value: 'Phan@GiftShop.club', incident: 'i', source: 's' },
        { type: 'url', value: 'HTTPS://0X9C.xyz/Xc', incident: 'i', source: 's' },
        { type: 'ip', value: '142.11.206.73', incident: 'i', source: 's' },
        { type: 'sha256', value: 'A'.repeat(64), incident: 'i', source: 's' }
      ]
    })
    expect(parseFeed(text, ORIGIN)).toEqual([
      {
        type: 'package',
        value: 'evil-pkg',
        versions: '>=1.0.16',
        incident: 'i',
        source: 's',
        feed: ORIGIN
      },
      { type: 'publisher', value: 'phanpak', incident: 'i', source: 's', feed: ORIGIN },
      { type: 'domain', value: 'giftshop.club', incident: 'i', source: 's', feed: ORIGIN },
      { type: 'email', value: 'phan@giftshop.club', incident: 'i', source: 's', feed: ORIGIN },
      { type: 'url', value: 'https://0x9c.xyz/Xc', incident: 'i', source: 's', feed: ORIGIN },
      { type: 'ip', value: '142.11.206.73', incident: 'i', source: 's', feed: ORIGIN },
      { type: 'sha256', value: 'a'.repeat(64), incident: 'i', source: 's', feed: ORIGIN }
    ])
  })

  it('names the origin, the index and the field of a bad type', () => {
    const error = feedError(feedWith({ type: 'domian', value: 'a.example' }))
    expect(error.message).toMatch(
      /^feeds\/extra\.json: indicators\[1\]\.type "domian" is not one of package, publisher, domain/
    )
  })

  it.each([
    ['not JSON', '{', /is not valid JSON/],
    ['not an object', '[]', /must be a JSON object/],
    ['wrong schema', feedWith({}, { schema: 2 }), /schema 2 is not supported/],
    ['missing name', feedWith({}, { name: '' }), /name must be a non-empty string/],
    [
      'bad date',
      feedWith({}, { updated: '26/09/2025' }),
      /updated "26\/09\/2025" is not a YYYY-MM-DD/
    ],
    ['indicators not a list', feedWith({}, { indicators: {} }), /indicators must be an array/]
  ])('rejects a feed with %s', (_label, text, message) => {
    const error = feedError(text)
    expect(error.message.startsWith(`${ORIGIN}: `)).toBe(true)
    expect(error.message).toMatch(message)
  })

  it.each([
    ['indicator not an object', null, /indicators\[1\] must be an object/],
    ['value not a string', { type: 'domain', value: 3 }, /indicators\[1\]\.value must be a string/],
    ['bad package name', { type: 'package', value: 'a b' }, /\.value "a b" is not a valid package/],
    [
      'bad publisher',
      { type: 'publisher', value: '-x y' },
      /\.value "-x y" is not a valid publisher/
    ],
    ['bare TLD domain', { type: 'domain', value: 'club' }, /\.value "club" is not a valid domain/],
    ['domain with a space', { type: 'domain', value: 'a b.com' }, /not a valid domain/],
    ['IP given as domain', { type: 'domain', value: '1.2.3.4' }, /not a valid domain/],
    ['email without @', { type: 'email', value: 'phan.giftshop.club' }, /not a valid email/],
    ['email with bad domain', { type: 'email', value: 'a@b' }, /not a valid email/],
    ['url without scheme', { type: 'url', value: '0x9c.xyz/xc' }, /not a valid url/],
    ['url with a space', { type: 'url', value: 'https://a.b/ c' }, /not a valid url/],
    [
      'bad IP',
      { type: 'ip', value: '142.11.206.300' },
      /\.value "142\.11\.206\.300" is not a valid ip/
    ],
    ['short sha256', { type: 'sha256', value: 'abc' }, /not a valid sha256/],
    ['non-hex sha256', { type: 'sha256', value: 'g'.repeat(64) }, /not a valid sha256/],
    [
      'bad range',
      { type: 'package', value: 'x', versions: 'not a range' },
      /indicators\[1\]\.versions "not a range" is not a valid semver range/
    ],
    [
      'range on a domain',
      { type: 'domain', value: 'a.example', versions: '1.0.0' },
      /only allowed for packages/
    ],
    [
      'missing incident',
      { type: 'domain', value: 'a.example', incident: '' },
      /indicators\[1\]\.incident must be/
    ],
    [
      'missing source',
      { type: 'domain', value: 'a.example', source: undefined },
      /indicators\[1\]\.source must be/
    ]
  ])('rejects an indicator with %s', (_label, indicator, message) => {
    const text =
      indicator === null
        ? feedWith(
            {},
            {
              indicators: [
                { type: 'domain', value: 'ok.example', incident: 'x', source: 'y' },
                null
              ]
            }
          )
        : feedWith(indicator)
    const error = feedError(text)
    expect(error.message.startsWith(`${ORIGIN}: indicators[1]`)).toBe(true)
    expect(error.message).toMatch(message)
  })

  it('accepts "*" and an absent range as every version', () => {
    const entries = parseFeed(
      feedWith({ type: 'package', value: 'typo-express', versions: '*' }),
      ORIGIN
    )
    expect(entries[1]).toMatchObject({ value: 'typo-express', versions: '*' })
  })
})
