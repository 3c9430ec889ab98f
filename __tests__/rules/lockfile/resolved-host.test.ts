import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/lockfile/resolved-host.js'
import type { LockedPackage, PackageChange } from '../../../src/types.js'
import { makeChange, makeContext, makeLocked } from '../../helpers/factories.js'

const REGISTRY = 'https://npm.example.test/'
const tarball = (host: string, name = 'example-pkg', version = '1.0.1') =>
  `${host}${name}/-/${name.slice(name.indexOf('/') + 1)}-${version}.tgz`

function change(resolved: string | undefined, previous?: string): PackageChange {
  const base = makeChange({ line: 12, previousVersion: previous === undefined ? null : '1.0.0' })
  const locked = makeLocked({ line: 12, ...(resolved ? { resolved } : {}) })
  const before: LockedPackage | undefined =
    previous === undefined ? undefined : makeLocked({ version: '1.0.0', resolved: previous })
  return { ...base, locked, ...(before ? { previous: before } : {}) }
}

const configured = { allowedRegistries: [REGISTRY, 'https://corp.example.test/npm/'] }

describe('lockfile/resolved-host', () => {
  it('has its id and severity', () => {
    expect(rule.meta).toMatchObject({ id: 'lockfile/resolved-host', defaultSeverity: 'high' })
  })

  it.each<[string, PackageChange, Record<string, unknown>, RegExp | null]>([
    [
      'a tarball on an unknown host',
      change(tarball('https://evil.example.test/')),
      configured,
      /example-pkg@1\.0\.1 is resolved from evil\.example\.test, which is not one of the configured registries \(npm\.example\.test, corp\.example\.test\)/
    ],
    ['a tarball on the registry', change(tarball(REGISTRY)), configured, null],
    [
      'a tarball on a scoped registry',
      change(tarball('https://corp.example.test/npm/', '@corp/lib')),
      configured,
      null
    ],
    [
      'another port of the registry host',
      change(tarball('https://npm.example.test:8443/')),
      configured,
      /resolved from npm\.example\.test:8443/
    ],
    ['no resolved (pnpm, berry)', change(undefined), configured, null],
    ['a yarn berry locator', change('example-pkg@npm:1.0.1'), configured, null],
    ['a non-registry tarball URL', change('https://evil.example.test/x.tgz'), configured, null],
    [
      'an empty registry list',
      change(tarball(REGISTRY)),
      { allowedRegistries: [] },
      /not one of no configured registry/
    ],
    [
      'without options, a host that moved since base',
      change(tarball('https://evil.example.test/'), tarball(REGISTRY, 'example-pkg', '1.0.0')),
      {},
      /is now resolved from evil\.example\.test instead of npm\.example\.test/
    ],
    [
      'without options, the same host as base',
      change(tarball(REGISTRY), tarball(REGISTRY, 'example-pkg', '1.0.0')),
      {},
      null
    ],
    ['without options, an added package', change(tarball('https://evil.example.test/')), {}, null]
  ])('%s', async (_what, input, options, message) => {
    const findings = await rule.check(makeContext({ change: input, options }))
    if (message === null) {
      expect(findings).toEqual([])
      return
    }
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      ruleId: 'lockfile/resolved-host',
      severity: 'high',
      location: { lockfile: 'package-lock.json', line: 12 }
    })
    expect(findings[0].message).toMatch(message)
  })

  it("accepts yarn classic's mirror host only when the default registry is allowed", async () => {
    const yarnMirror = tarball('https://registry.yarnpkg.com/')
    const withDefault = { allowedRegistries: [REGISTRY], defaultRegistry: REGISTRY }
    const privateOnly = {
      allowedRegistries: [REGISTRY],
      defaultRegistry: 'https://d.example.test/'
    }
    expect(
      await rule.check(makeContext({ change: change(yarnMirror), options: withDefault }))
    ).toEqual([])
    expect(
      await rule.check(makeContext({ change: change(yarnMirror), options: privateOnly }))
    ).toHaveLength(1)
  })

  it('never shows credentials of the URL', async () => {
    const input = change(
      'https://user:secret@evil.example.test/example-pkg/-/example-pkg-1.0.1.tgz?t=x'
    )
    const [finding] = await rule.check(makeContext({ change: input, options: configured }))
    expect(JSON.stringify(finding)).not.toMatch(/secret|t=x/)
  })
})
