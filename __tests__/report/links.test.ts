import { describe, it, expect } from '@jest/globals'
import { npmDiffCommand, packagePageUrl, shellQuote } from '../../src/report/links.js'

describe('packagePageUrl', () => {
  it('returns nothing without a registry website base', () => {
    expect(packagePageUrl('debug', '4.4.2')).toBeUndefined()
    expect(packagePageUrl('debug', '4.4.2', '')).toBeUndefined()
  })

  it('builds <base>/package/<name>/v/<version>, keeping the scope readable', () => {
    expect(packagePageUrl('debug', '4.4.2', 'https://registry.test')).toBe(
      'https://registry.test/package/debug/v/4.4.2'
    )
    expect(packagePageUrl('@acme/ui', '1.0.0-rc.1', 'https://registry.test/npm/')).toBe(
      'https://registry.test/npm/package/@acme/ui/v/1.0.0-rc.1'
    )
  })

  it('percent-encodes hostile names and versions', () => {
    expect(packagePageUrl('a"><b>/../x', '1.0.0?x#y', 'https://registry.test')).toBe(
      'https://registry.test/package/a%22%3E%3Cb%3E/../x/v/1.0.0%3Fx%23y'
    )
  })

  it('refuses bases that are not plain http(s) URLs', () => {
    expect(packagePageUrl('a', '1.0.0', 'javascript:alert(1)')).toBeUndefined()
    expect(packagePageUrl('a', '1.0.0', 'https://user:pw@registry.test')).toBeUndefined()
    expect(packagePageUrl('a', '1.0.0', 'not a url')).toBeUndefined()
  })
})

describe('npmDiffCommand', () => {
  it('compares the previous and the new version of a changed package', () => {
    expect(npmDiffCommand({ name: '@acme/ui', version: '2.0.0', previous: '1.9.0' })).toBe(
      'npm diff --diff=@acme/ui@1.9.0 --diff=@acme/ui@2.0.0'
    )
  })

  it('has nothing to compare for an added package or an unchanged version', () => {
    expect(npmDiffCommand({ name: 'a', version: '1.0.0' })).toBeUndefined()
    expect(npmDiffCommand({ name: 'a', version: '1.0.0', previous: '1.0.0' })).toBeUndefined()
  })

  it('quotes shell metacharacters', () => {
    expect(npmDiffCommand({ name: 'a$(id)', version: '2', previous: '1' })).toBe(
      "npm diff '--diff=a$(id)@1' '--diff=a$(id)@2'"
    )
  })
})

describe('shellQuote', () => {
  it('leaves harmless words and single-quotes the rest', () => {
    expect(shellQuote('--diff=a@1.0.0')).toBe('--diff=a@1.0.0')
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    expect(shellQuote('~/x')).toBe("'~/x'")
    expect(shellQuote('a;b`c`')).toBe("'a;b`c`'")
  })
})
