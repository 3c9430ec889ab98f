// Package names reduced to what a reader sees: lookalike names differ in separators, case or a
// `js` suffix (`node_fetch`, `NodeFetch`, `expressjs`), so comparisons run on a normalised key.
// Everything here is linear in the name's length; names are clipped to npm's maximum length.

/** npm refuses longer names; anything longer is clipped so that no input can cost more. */
export const MAX_NAME_LENGTH = 214

const SEPARATORS = /[-_.]+/g
const MIN_LENGTH_AFTER_JS = 3

export interface SplitName {
  /** Lower-case scope without `@`, for a scoped name. */
  scope?: string
  /** Lower-case name without its scope. */
  bare: string
}

export function splitName(name: string): SplitName {
  const lower = name.slice(0, MAX_NAME_LENGTH).toLowerCase()
  if (!lower.startsWith('@')) return { bare: lower }
  const slash = lower.indexOf('/')
  if (slash < 0) return { bare: lower.slice(1) }
  return { scope: lower.slice(1, slash), bare: lower.slice(slash + 1) }
}

/** `Node_Fetch.js` -> `nodefetch`: separators dropped, one trailing `js` dropped. */
export function normaliseBare(bare: string): string {
  const squeezed = bare.slice(0, MAX_NAME_LENGTH).toLowerCase().replace(SEPARATORS, '')
  const withoutJs = squeezed.endsWith('js') ? squeezed.slice(0, -2) : squeezed
  return withoutJs.length >= MIN_LENGTH_AFTER_JS ? withoutJs : squeezed
}

/** The comparison key of a full name: `@types/node` -> `@types/node`, `Lodash.JS` -> `lodash`. */
export function nameKey(name: string): string {
  const { scope, bare } = splitName(name)
  if (scope === undefined) return normaliseBare(bare)
  return `@${scope.replace(SEPARATORS, '')}/${normaliseBare(bare)}`
}

/**
 * Runs of one to `maxTokens` consecutive words of a bare name, never the whole name:
 * `postmark-mcp-server` -> `postmark`, `mcp`, `server`, `postmark-mcp`, `mcp-server`.
 * Each run is returned normalised (as `nameKey` would) with the words it spans and the index of
 * its first word.
 */
export function innerRuns(
  bare: string,
  maxTokens = 3
): { key: string; text: string; start: number }[] {
  const words = bare
    .slice(0, MAX_NAME_LENGTH)
    .toLowerCase()
    .split(SEPARATORS)
    .filter((word) => word.length > 0)
  const runs: { key: string; text: string; start: number }[] = []
  for (let start = 0; start < words.length; start++) {
    for (let end = start + 1; end <= Math.min(words.length, start + maxTokens); end++) {
      if (start === 0 && end === words.length) continue
      const text = words.slice(start, end).join('-')
      runs.push({ key: normaliseBare(text), text, start })
    }
  }
  return runs
}
