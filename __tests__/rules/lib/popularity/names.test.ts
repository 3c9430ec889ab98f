import { describe, expect, it } from '@jest/globals'
import { innerRuns, nameKey, splitName } from '../../../../src/rules/lib/popularity/names.js'

describe('nameKey', () => {
  it.each([
    ['node-fetch', 'nodefetch'],
    ['Node_Fetch', 'nodefetch'],
    ['expressjs', 'express'],
    ['express.js', 'express'],
    ['express-js', 'express'],
    ['cjs', 'cjs'],
    ['@types/node', '@types/node'],
    ['@type-s/Node.JS', '@types/node']
  ])('%s -> %s', (name, key) => {
    expect(nameKey(name)).toBe(key)
  })

  it('clips absurdly long names', () => {
    expect(nameKey('a'.repeat(10_000)).length).toBeLessThanOrEqual(214)
  })
})

describe('splitName', () => {
  it('separates the scope', () => {
    expect(splitName('@Acme/Lodash-Utils')).toEqual({ scope: 'acme', bare: 'lodash-utils' })
    expect(splitName('lodash')).toEqual({ bare: 'lodash' })
  })
})

describe('innerRuns', () => {
  it('lists runs of consecutive words, never the whole name', () => {
    expect(innerRuns('postmark-mcp-server').map((run) => run.text)).toEqual([
      'postmark',
      'postmark-mcp',
      'mcp',
      'mcp-server',
      'server'
    ])
    expect(innerRuns('lodash')).toEqual([])
    expect(innerRuns('discord.js-selfbot')[0]).toEqual({
      key: 'discord',
      text: 'discord',
      start: 0
    })
    expect(innerRuns('mcp-postmark').map((run) => run.start)).toEqual([0, 1])
  })
})
