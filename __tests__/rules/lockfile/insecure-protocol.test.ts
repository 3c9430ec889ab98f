import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/lockfile/insecure-protocol.js'
import type { PackageChange } from '../../../src/types.js'
import { makeChange, makeContext, makeLocked } from '../../helpers/factories.js'

function change(resolved: string | undefined): PackageChange {
  const locked = makeLocked({ line: 9, ...(resolved ? { resolved } : {}) })
  return { ...makeChange({ line: 9, previousVersion: null }), locked }
}

const TGZ = 'example-pkg/-/example-pkg-1.0.1.tgz'
const configured = { allowedRegistries: ['https://npm.example.test/', 'http://127.0.0.1:4873/'] }
const internalHttp = { allowedRegistries: ['http://npm.internal.example.test/'] }

describe('lockfile/insecure-protocol', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({ id: 'lockfile/insecure-protocol', defaultSeverity: 'high' })
  })

  it.each<[string, string | undefined, Record<string, unknown>, RegExp | null]>([
    [
      'an http tarball on a public host',
      `http://npm.example.test/${TGZ}`,
      configured,
      /example-pkg@1\.0\.1 is downloaded over a plaintext protocol \(http:\/\/npm\.example\.test\/example-pkg/
    ],
    ['an https tarball', `https://npm.example.test/${TGZ}`, configured, null],
    ['the configured http registry on localhost', `http://127.0.0.1:4873/${TGZ}`, configured, null],
    [
      'a configured http registry elsewhere',
      `http://npm.internal.example.test/${TGZ}`,
      internalHttp,
      null
    ],
    [
      'http on a host next to the configured http registry',
      `http://other.internal.example.test/${TGZ}`,
      internalHttp,
      /plaintext protocol \(http:\/\/other\.internal/
    ],
    ['loopback http when no registry list was passed', `http://localhost:4873/${TGZ}`, {}, null],
    [
      'public http when no registry list was passed',
      `http://evil.example.test/${TGZ}`,
      {},
      /plaintext/
    ],
    [
      'the git protocol',
      'git://example.test/o/r.git#0123abc',
      configured,
      /\(git:\/\/example\.test/
    ],
    ['git over http', 'git+http://example.test/o/r.git#0123abc', configured, /git\+http:/],
    ['git over ssh', 'git+ssh://git@example.test/o/r.git#0123abc', configured, null],
    ['upper-case HTTP', `HTTP://evil.example.test/${TGZ}`, configured, /plaintext/],
    ['no resolved', undefined, configured, null]
  ])('%s', async (_what, resolved, options, message) => {
    const findings = await rule.check(makeContext({ change: change(resolved), options }))
    if (message === null) {
      expect(findings).toEqual([])
      return
    }
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ severity: 'high', location: { line: 9 } })
    expect(findings[0].message).toMatch(message)
  })
})
