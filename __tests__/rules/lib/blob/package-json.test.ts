import { describe, expect, it } from '@jest/globals'
import {
  commandMentions,
  entryFiles,
  installCommands,
  isEntryFile,
  lineOf,
  readPackageJson,
  stringRecord
} from '../../../../src/rules/lib/blob/package-json.js'
import { makeFiles, makeManifest } from '../../../helpers/factories.js'

const TEXT = JSON.stringify(
  {
    name: 'x',
    main: './lib/index',
    bin: { x: 'bin/x.js' },
    scripts: { postinstall: 'node bundle.js', test: 'jest' },
    dependencies: { a: '^1.0.0', b: 3 }
  },
  null,
  2
)

describe('readPackageJson', () => {
  it("prefers the tarball's package.json and knows its lines", () => {
    const pkg = readPackageJson(makeFiles({ 'package.json': TEXT }), makeManifest())
    expect(pkg?.value.name).toBe('x')
    expect(lineOf(pkg, ['dependencies', 'a'])).toBe(12)
    expect(stringRecord(pkg, 'dependencies')).toEqual(new Map([['a', '^1.0.0']]))
    expect(installCommands(pkg)).toEqual(['node bundle.js'])
    expect(entryFiles(pkg)).toEqual(['lib/index', 'bin/x.js'])
    expect(isEntryFile(pkg, 'lib/index.js')).toBe(true)
  })

  it('falls back to the registry metadata when the tarball has none or a broken one', () => {
    const manifest = makeManifest({ dependencies: { c: '1' } })
    for (const files of [undefined, makeFiles({ 'package.json': '{ broken' })]) {
      const pkg = readPackageJson(files, manifest)
      expect(stringRecord(pkg, 'dependencies')).toEqual(new Map([['c', '1']]))
      expect(lineOf(pkg, ['dependencies', 'c'])).toBeUndefined()
    }
  })

  it('is undefined when neither side is readable', () => {
    expect(readPackageJson(makeFiles({}), undefined)).toBeUndefined()
  })
})

describe('commandMentions', () => {
  it.each([
    ['node bundle.js', 'bundle.js', true],
    ['node ./bundle.js', 'bundle.js', true],
    ['rundll32 node-gyp.dll,main', 'node-gyp.dll', true],
    ['node bundle.js.bak', 'bundle.js', false],
    ['node-gyp rebuild', 'bundle.js', false]
  ])('%s names %s: %s', (command, path, expected) => {
    expect(commandMentions(command, path)).toBe(expected)
  })
})
