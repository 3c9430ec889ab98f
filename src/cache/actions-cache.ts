// Carries the verdict folder from one workflow run to the next with the Actions cache service.
// Outside GitHub Actions (the CLI, a runner without the cache service) this does nothing. A cache
// service that fails never fails the gate: the run only loses time, and says so in a notice.
import { mkdir } from 'node:fs/promises'
import { errorMessage } from '../errors.js'

/** The part of `@actions/cache` used here; tests pass a fake. */
export interface ActionsCacheApi {
  restoreCache(
    paths: string[],
    primaryKey: string,
    restoreKeys?: string[]
  ): Promise<string | undefined>
  saveCache(paths: string[], key: string): Promise<number>
}

export interface CacheLog {
  info(message: string): void
  notice(message: string): void
}

export interface ActionsCacheOptions {
  env?: NodeJS.ProcessEnv
  log?: CacheLog
  /** Default: `@actions/cache`, loaded only when the cache service is there. */
  api?: ActionsCacheApi
}

const PREFIX = 'lockgate-verdicts'

/** Cache keys: one entry per run (keys are immutable), restored from the latest with the prefix. */
export function verdictCacheKeys(
  rulesHash: string,
  env: NodeJS.ProcessEnv = process.env
): { key: string; restorePrefix: string } {
  const restorePrefix = `${PREFIX}-${rulesHash.slice(0, 16)}-`
  const run = `${env.GITHUB_RUN_ID || Date.now()}-${env.GITHUB_RUN_ATTEMPT || '1'}`
  return { key: `${restorePrefix}${run}`, restorePrefix }
}

/** True inside a GitHub Actions job that can reach the cache service. */
export function actionsCacheAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.GITHUB_ACTIONS === 'true' && env.ACTIONS_RUNTIME_TOKEN)
}

/** Restores the latest verdict folder saved for these rules; returns the key restored, if any. */
export async function restoreVerdicts(
  dir: string,
  rulesHash: string,
  options: ActionsCacheOptions = {}
): Promise<string | undefined> {
  const env = options.env ?? process.env
  if (!actionsCacheAvailable(env)) return undefined
  const { key, restorePrefix } = verdictCacheKeys(rulesHash, env)
  try {
    await mkdir(dir, { recursive: true })
    const api = options.api ?? (await loadApi())
    const restored = await api.restoreCache([dir], key, [restorePrefix])
    options.log?.info(
      restored
        ? `lockgate: verdict cache restored from ${restored}`
        : 'lockgate: no verdict cache restored: every package is analysed'
    )
    return restored
  } catch (error) {
    options.log?.notice(
      `lockgate: the verdict cache could not be restored (${errorMessage(error)}): every package is analysed`
    )
    return undefined
  }
}

/** Saves the verdict folder under a key of its own; false when nothing was saved. */
export async function saveVerdicts(
  dir: string,
  rulesHash: string,
  options: ActionsCacheOptions & { changed?: boolean } = {}
): Promise<boolean> {
  const env = options.env ?? process.env
  if (!actionsCacheAvailable(env)) return false
  if (options.changed === false) {
    options.log?.info('lockgate: no new verdict: the verdict cache is not saved again')
    return false
  }
  const { key } = verdictCacheKeys(rulesHash, env)
  try {
    const api = options.api ?? (await loadApi())
    const id = await api.saveCache([dir], key)
    // the library reports its own failures as warnings and answers -1
    if (id === -1) return false
    options.log?.info(`lockgate: verdict cache saved as ${key}`)
    return true
  } catch (error) {
    options.log?.notice(
      `lockgate: the verdict cache could not be saved (${errorMessage(error)}): the next run analyses again what this one analysed`
    )
    return false
  }
}

async function loadApi(): Promise<ActionsCacheApi> {
  const cache = await import('@actions/cache')
  return { restoreCache: cache.restoreCache, saveCache: cache.saveCache }
}
