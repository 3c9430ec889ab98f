import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { buildIocIndex } from '../../../src/ioc/index.js'
import { rule } from '../../../src/rules/ioc/known-file-hash.js'
import type { PackageFiles } from '../../../src/types.js'
import { makeChange, makeContext, makeFiles } from '../../helpers/factories.js'

const payload = 'defanged worm payload\n'
const payloadHash = createHash('sha256').update(payload).digest('hex')
const iocs = buildIocIndex([
  { type: 'sha256', value: payloadHash, incident: 'worm (test)', source: 'T-2', feed: 'bundled' }
])

function withoutHashes(files: PackageFiles): PackageFiles {
  for (const file of files.files.values()) delete file.sha256
  return files
}

describe('ioc/known-file-hash', () => {
  it.each<[string, PackageFiles | undefined, string[]]>([
    ['a known payload', makeFiles({ 'index.js': 'ok', 'bundle.js': payload }), ['bundle.js']],
    ['a known binary', makeFiles({ 'lib/x.node': Buffer.from(payload) }), ['lib/x.node']],
    ['two copies', makeFiles({ 'b.js': payload, 'a.js': payload }), ['a.js', 'b.js']],
    ['clean files', makeFiles({ 'bundle.js': payload + ' ' }), []],
    ['files without hashes', withoutHashes(makeFiles({ 'bundle.js': payload })), []],
    ['no files', undefined, []]
  ])('%s', async (_label, files, flagged) => {
    const ctx = makeContext({
      change: makeChange({ name: '@ctrl/tinycolor', version: '4.1.1' }),
      iocs,
      ...(files ? { files } : {})
    })
    const findings = await rule.check(ctx)
    expect(findings.map((f) => f.evidence[0].file)).toEqual(flagged)
    for (const finding of findings) {
      expect(finding).toMatchObject({
        ruleId: 'ioc/known-file-hash',
        severity: 'critical',
        location: { line: 10 }
      })
      expect(finding.message).toContain(`sha256 ${payloadHash}; worm (test), source T-2`)
    }
  })
})
