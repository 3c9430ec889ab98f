// Does a package name look like a popular one it is not? Either a few edits away from a popular
// name (`expresss`, `lodahs`, `node_fetch`), or an unscoped name built around a distinctive popular
// package's or organisation's name (`postmark-mcp`). Names that are popular themselves never are.
import type { EmbeddedName, NameMatch, PopularNameIndex } from './name-index.js'
import { nameKey } from './names.js'
import { popularNames } from './popular.js'

/** Below this key length one edit turns most names into another real word (`ms`/`ws`, `yup`). */
export const MIN_LENGTH_FOR_DISTANCE_1 = 4
/** Below this key length two edits say nothing. */
export const MIN_LENGTH_FOR_DISTANCE_2 = 9

export type Lookalike =
  { kind: 'near'; match: NameMatch } | { kind: 'embeds'; embedded: EmbeddedName }

export function findLookalike(
  name: string,
  index: PopularNameIndex = popularNames()
): Lookalike | undefined {
  if (index.isPopular(name)) return undefined
  const near = index.nearest(name, 2).find((match) => isMeaningful(name, match))
  if (near) return { kind: 'near', match: near }
  const embedded = index.embedded(name)
  return embedded ? { kind: 'embeds', embedded } : undefined
}

function isMeaningful(name: string, match: NameMatch): boolean {
  const length = Math.min(nameKey(name).length, nameKey(match.popular).length)
  if (match.distance === 0) return true
  if (match.distance === 1) return length >= MIN_LENGTH_FOR_DISTANCE_1
  return length >= MIN_LENGTH_FOR_DISTANCE_2
}

/** `expresss` -> `is 1 edit from "express"`, for messages. */
export function describeLookalike(lookalike: Lookalike): string {
  if (lookalike.kind === 'embeds') {
    const { embedded } = lookalike
    return embedded.kind === 'package'
      ? `embeds the popular package name "${embedded.popular}"`
      : `embeds the name of the "@${embedded.popular}" organisation`
  }
  const { match } = lookalike
  if (match.distance === 0)
    return `differs from the popular "${match.popular}" only in separators or a js suffix`
  return `is ${match.distance} edit${match.distance > 1 ? 's' : ''} from the popular "${match.popular}"`
}
