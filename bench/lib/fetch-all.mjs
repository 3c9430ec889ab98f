// Downloads every full packument (once per name) and every tarball (once per name@version) a
// lockfile names, through pacote and its cache, a bounded number at a time. Each tarball is handed
// to `onTarball`; nothing else happens to it here.
import pacote from 'pacote'
import { uniqueTargets } from './lockfile.mjs'

export const DEFAULT_CONCURRENCY = 8

export async function fetchAll(locked, options) {
  const { npmOptions, cacheDir, concurrency = DEFAULT_CONCURRENCY, onTarball } = options
  const pacoteOptions = {
    ...npmOptions,
    cache: cacheDir,
    fullMetadata: true,
    packumentCache: new Map(),
    ignoreScripts: true
  }
  const packuments = new Map()
  const packumentOf = (name) => {
    if (!packuments.has(name)) packuments.set(name, pacote.packument(name, pacoteOptions))
    return packuments.get(name)
  }
  const stats = { packuments: 0, packumentBytes: 0, tarballs: 0, tarballBytes: 0, unpacked: 0 }
  const targets = uniqueTargets(locked)
  await pool(targets, concurrency, async (target) => {
    const packument = await packumentOf(target.name)
    const spec = `${target.name}@${target.version}`
    const integrity = target.integrity ? { integrity: target.integrity } : {}
    const tgz = await pacote.tarball(spec, { ...pacoteOptions, ...integrity })
    stats.tarballs++
    stats.tarballBytes += tgz.length
    // awaited first: `x += await y` would read x before the await and lose concurrent updates
    const unpacked = (await onTarball?.(target, tgz, packument)) ?? 0
    stats.unpacked += unpacked
  })
  for (const pending of packuments.values()) {
    const packument = await pending
    stats.packuments++
    stats.packumentBytes += Number(packument._contentLength) || 0
  }
  return stats
}

/** Runs `task` on every item, at most `size` at a time; the first failure rejects. */
export async function pool(items, size, task) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker))
}
