import { describe, expect, it } from '@jest/globals'
import {
  filesRunAtInstall,
  introducedInstallScripts
} from '../../../../src/rules/lib/exec/install-scripts.js'
import { makeFiles, makeManifest } from '../../../helpers/factories.js'

const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'x', scripts }, null, 2)

describe('install scripts', () => {
  it('lists only added or changed scripts, with their package.json line', () => {
    const ctx = {
      files: makeFiles({
        'package.json': pkg({ preinstall: 'node setup.js', postinstall: 'node-gyp rebuild' }),
        'setup.js': ''
      }),
      previousFiles: makeFiles({ 'package.json': pkg({ postinstall: 'node-gyp rebuild' }) })
    }
    expect(introducedInstallScripts(ctx)).toEqual([
      { key: 'preinstall', command: 'node setup.js', line: 4 }
    ])
    expect([...filesRunAtInstall(ctx)]).toEqual(['setup.js'])
  })

  it('counts every script of an added package and falls back to the metadata', () => {
    const manifest = makeManifest({ scripts: { install: 'sh ./get.sh' } })
    expect(introducedInstallScripts({ manifest })).toEqual([
      { key: 'install', command: 'sh ./get.sh' }
    ])
  })
})
