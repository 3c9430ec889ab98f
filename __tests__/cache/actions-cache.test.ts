import { describe, expect, it } from '@jest/globals'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  restoreVerdicts,
  saveVerdicts,
  verdictCacheKeys,
  type ActionsCacheApi
} from '../../src/cache/actions-cache.js'

const RULES_HASH = 'ab'.repeat(32)
const ACTIONS_ENV = {
  GITHUB_ACTIONS: 'true',
  ACTIONS_RUNTIME_TOKEN: 'token-for-tests',
  GITHUB_RUN_ID: '1234',
  GITHUB_RUN_ATTEMPT: '2'
}

function fakeApi(behaviour: { restored?: string; fail?: Error; saveId?: number } = {}) {
  const calls: { op: string; paths: string[]; key: string; restoreKeys?: string[] }[] = []
  const api: ActionsCacheApi = {
    restoreCache: async (paths, key, restoreKeys) => {
      calls.push({ op: 'restore', paths, key, restoreKeys })
      if (behaviour.fail) throw behaviour.fail
      return behaviour.restored
    },
    saveCache: async (paths, key) => {
      calls.push({ op: 'save', paths, key })
      if (behaviour.fail) throw behaviour.fail
      return behaviour.saveId ?? 7
    }
  }
  return { api, calls }
}

function recordingLog() {
  const lines: { level: string; message: string }[] = []
  return {
    lines,
    log: {
      info: (message: string) => lines.push({ level: 'info', message }),
      notice: (message: string) => lines.push({ level: 'notice', message })
    }
  }
}

async function tempDir() {
  return join(await mkdtemp(join(tmpdir(), 'lockgate-actions-cache-')), 'verdicts')
}

describe('the verdict folder in the Actions cache', () => {
  it('names one entry per run attempt, restored by the rules prefix', () => {
    expect(verdictCacheKeys(RULES_HASH, ACTIONS_ENV)).toEqual({
      key: 'lockgate-verdicts-abababababababab-1234-2',
      restorePrefix: 'lockgate-verdicts-abababababababab-'
    })
  })

  it('restores and saves the folder inside GitHub Actions', async () => {
    const dir = await tempDir()
    const { api, calls } = fakeApi({ restored: 'lockgate-verdicts-abababababababab-1000-1' })
    const { log, lines } = recordingLog()
    const restored = await restoreVerdicts(dir, RULES_HASH, { env: ACTIONS_ENV, api, log })
    expect(restored).toBe('lockgate-verdicts-abababababababab-1000-1')
    expect(await saveVerdicts(dir, RULES_HASH, { env: ACTIONS_ENV, api, log })).toBe(true)
    expect(calls).toEqual([
      {
        op: 'restore',
        paths: [dir],
        key: 'lockgate-verdicts-abababababababab-1234-2',
        restoreKeys: ['lockgate-verdicts-abababababababab-']
      },
      { op: 'save', paths: [dir], key: 'lockgate-verdicts-abababababababab-1234-2' }
    ])
    expect(lines.every((line) => line.level === 'info')).toBe(true)
  })

  it('does nothing outside GitHub Actions or without the cache service token', async () => {
    const dir = await tempDir()
    const { api, calls } = fakeApi()
    for (const env of [{}, { GITHUB_ACTIONS: 'true' }]) {
      expect(await restoreVerdicts(dir, RULES_HASH, { env, api })).toBeUndefined()
      expect(await saveVerdicts(dir, RULES_HASH, { env, api })).toBe(false)
    }
    expect(calls).toEqual([])
  })

  it('turns a failing cache service into a notice, never an exception', async () => {
    const dir = await tempDir()
    const { api } = fakeApi({ fail: new Error('cache service answered 503') })
    const { log, lines } = recordingLog()
    expect(await restoreVerdicts(dir, RULES_HASH, { env: ACTIONS_ENV, api, log })).toBeUndefined()
    expect(await saveVerdicts(dir, RULES_HASH, { env: ACTIONS_ENV, api, log })).toBe(false)
    expect(lines).toEqual([
      {
        level: 'notice',
        message: expect.stringContaining('could not be restored (cache service answered 503)')
      },
      {
        level: 'notice',
        message: expect.stringContaining('could not be saved (cache service answered 503)')
      }
    ])
  })

  it('skips saving a run that added no verdict', async () => {
    const { api, calls } = fakeApi()
    expect(
      await saveVerdicts(await tempDir(), RULES_HASH, { env: ACTIONS_ENV, api, changed: false })
    ).toBe(false)
    expect(calls).toEqual([])
  })
})
