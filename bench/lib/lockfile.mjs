// The packages a package-lock.json (v2/v3) locks, read plainly for the floor and the PR set-up:
// name, version and integrity of every registry entry, the same set a full lockgate scan reads.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const NODE_MODULES = 'node_modules/'

export function readLockedPackages(dir) {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'))
  if (!lock.packages) throw new Error(`${dir}: only lockfileVersion 2 and 3 are supported`)
  const locked = []
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.includes(NODE_MODULES) || entry.link || !entry.version) continue
    const name = entry.name ?? path.slice(path.lastIndexOf(NODE_MODULES) + NODE_MODULES.length)
    if (entry.resolved && !/^https?:/.test(entry.resolved)) continue // git, file: not a registry
    locked.push({ path, name, version: entry.version, integrity: entry.integrity })
  }
  return locked
}

/** One entry per name@version@integrity: npm nests copies of the same version under many paths. */
export function uniqueTargets(locked) {
  const seen = new Map()
  for (const entry of locked) {
    const key = `${entry.name}@${entry.version} ${entry.integrity ?? ''}`
    if (!seen.has(key)) seen.set(key, entry)
  }
  return [...seen.values()]
}
