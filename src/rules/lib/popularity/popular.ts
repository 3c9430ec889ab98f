// The popular npm names lockgate compares against: npm's own "high-impact" set (a million weekly
// downloads or 500 dependents), from the npm-high-impact data package, most downloaded first.
// The index is built on first use (about 17,000 names) and shared by every rule.
import { npmHighImpact, npmTopDependents, npmTopDownloads } from 'npm-high-impact'
import { PopularNameIndex } from './name-index.js'

/**
 * How many names of each ranking count as "top". Both rankings count: downloads are dominated by
 * transitive dependencies nobody types (`ansi-styles`), while the dependents ranking holds the
 * names people write into package.json, which is what a typosquat waits for (`request`).
 */
export const TOP_COUNT = 1000

let shared: PopularNameIndex | undefined

export function popularNames(): PopularNameIndex {
  shared ??= new PopularNameIndex(npmHighImpact, {
    top: new Set([...npmTopDownloads.slice(0, TOP_COUNT), ...npmTopDependents.slice(0, TOP_COUNT)])
  })
  return shared
}
