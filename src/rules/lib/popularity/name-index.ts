// An index of popular package names built once, so that checking a name costs a few map lookups
// and cheap bit tests instead of ~17,000 edit-distance computations:
// - distance 0: the normalised key (`node_fetch` and `nodefetch` share `nodefetch`);
// - distance 1 and 2: names bucketed by kind and key length (an edit changes the length by at
//   most one), each with a 32-bit "which characters occur" signature (signature-buckets.ts): a
//   name whose signature differs in more character kinds than the allowed distance is skipped
//   with two bit operations; only the few survivors get a real edit distance.
// Distance 2 is only meaningful on long unscoped names, and only when every word of the popular
// name that the lookalike changed is long: `babel-preset-foo` is two edits from
// `babel-preset-fbjs`, but changing a four-letter word is a different name, not a typo.
// The index also knows which words of popular names are ecosystem prefixes (`react`, `eslint`,
// `babel`: many popular packages are named after them by other people) as opposed to distinctive
// names (`postmark`, `openai`) that a stranger has little reason to put in a package's name.
import { editDistance } from './edit-distance.js'
import { innerRuns, nameKey, normaliseBare, splitName } from './names.js'
import { SignatureBuckets, signatureOf } from './signature-buckets.js'

export interface PopularEntry {
  /** The popular name as listed, lower-case. */
  name: string
  key: string
  /** 0 is the most popular. */
  rank: number
  /** Among the most used names (see `NameIndexOptions.top`). */
  top: boolean
  scope?: string
  /** Bit i is set when a character with code ≡ i (mod 32) occurs in the key. */
  signature: number
  /** Lower-case words of the bare name (`babel`, `preset`, `env`). */
  words: string[]
}

export interface NameMatch {
  popular: string
  rank: number
  top: boolean
  /** Edit distance between normalised keys: 0 means only separators, case or `js` differ. */
  distance: number
}

export interface EmbeddedName {
  kind: 'package' | 'organisation'
  /** The popular package, or the scope (without `@`) of popular packages. */
  popular: string
  rank: number
  /** The words of the checked name that spell it, e.g. `postmark`. */
  text: string
}

export interface NameIndexOptions {
  /** The most used names, for "lookalike of a top name"; default: the first 1,000 listed. */
  top?: ReadonlySet<string>
  /** A word that appears in this many popular names is an ecosystem prefix, not a brand. */
  hubThreshold?: number
  /** Shorter embedded keys (`is`, `ms`, `co`) are ordinary words, not names. */
  minEmbeddedLength?: number
  /** Distance 2 is only meaningful on keys at least this long. */
  minLengthForDistance2?: number
  /** At distance 2, each word of the popular name that was changed must be this long. */
  minChangedWordLength?: number
}

const DEFAULT_TOP_COUNT = 1000

const DEFAULTS: Required<Omit<NameIndexOptions, 'top'>> = {
  hubThreshold: 5,
  minEmbeddedLength: 4,
  minLengthForDistance2: 9,
  minChangedWordLength: 5
}

export class PopularNameIndex {
  readonly size: number
  private readonly options: Required<Omit<NameIndexOptions, 'top'>>
  private readonly top: ReadonlySet<string>
  private readonly ranks = new Map<string, number>()
  private readonly byKey = new Map<string, PopularEntry[]>()
  private readonly byLength = new SignatureBuckets<PopularEntry>()
  private readonly organisations = new Map<string, { scope: string; rank: number }>()
  private readonly wordCounts = new Map<string, number>()

  constructor(names: readonly string[], options: NameIndexOptions = {}) {
    this.options = { ...DEFAULTS, ...options }
    this.top = options.top ?? new Set(names.slice(0, DEFAULT_TOP_COUNT))
    names.forEach((name, rank) => this.add(name.toLowerCase(), rank))
    this.byLength.freeze()
    this.size = this.ranks.size
  }

  isPopular(name: string): boolean {
    return this.ranks.has(name.toLowerCase())
  }

  /** 0-based popularity rank, or undefined for a name that is not listed. */
  rankOf(name: string): number | undefined {
    return this.ranks.get(name.toLowerCase())
  }

  /** True for words that many popular packages use as a prefix or part (`react`, `babel`). */
  isEcosystemWord(word: string): boolean {
    return (this.wordCounts.get(normaliseBare(word)) ?? 0) >= this.options.hubThreshold
  }

  /**
   * Popular names within `maxDistance` edits of `name` (on normalised keys), closest and most
   * popular first. The name itself and names in the same scope are never returned.
   */
  nearest(name: string, maxDistance: number): NameMatch[] {
    const query = toEntry(name.toLowerCase(), -1, false)
    const limit = query.scope === undefined ? maxDistance : Math.min(maxDistance, 1)
    const matches: NameMatch[] = []
    for (const entry of this.candidates(query, limit)) {
      if (entry.name === query.name || (query.scope && entry.scope === query.scope)) continue
      const distance = editDistance(query.key, entry.key, limit)
      if (distance > limit || !this.isTypo(query, entry, distance)) continue
      matches.push({ popular: entry.name, rank: entry.rank, top: entry.top, distance })
    }
    return matches.sort((a, b) => a.distance - b.distance || a.rank - b.rank)
  }

  /**
   * The longest distinctive popular package or organisation name spelled by consecutive words of
   * an unscoped `name` (`postmark-mcp` -> `postmark`). It must lead the name or make up at least
   * half of it: a brand is put up front (`postmark-mcp`, `mcp-postmark`), while a common word
   * that happens to be a package (`read-only-stream`, `remove-trailing-slash`) is not a brand.
   * Scoped names belong to their scope's owner and are not checked; ecosystem words and very
   * short words are ignored.
   */
  embedded(name: string): EmbeddedName | undefined {
    const { scope, bare } = splitName(name)
    if (scope !== undefined) return undefined
    const nameLength = nameKey(bare).length
    let best: EmbeddedName | undefined
    for (const run of innerRuns(bare)) {
      if (run.key.length < this.options.minEmbeddedLength || this.isEcosystemWord(run.key)) continue
      if (run.start > 0 && run.key.length * 2 < nameLength) continue
      const found = this.namedBy(run.key, run.text)
      if (found && (!best || isBetterEmbedding(found, best))) best = found
    }
    return best
  }

  private namedBy(key: string, text: string): EmbeddedName | undefined {
    const packages = (this.byKey.get(key) ?? []).filter((entry) => entry.scope === undefined)
    const top = packages[0]
    if (top) return { kind: 'package', popular: top.name, rank: top.rank, text }
    const organisation = this.organisations.get(key)
    if (organisation) {
      return { kind: 'organisation', popular: organisation.scope, rank: organisation.rank, text }
    }
    return undefined
  }

  private candidates(query: PopularEntry, maxDistance: number): PopularEntry[] {
    const exact = this.byKey.get(query.key) ?? []
    const found = [...exact]
    if (maxDistance === 2 && query.key.length < this.options.minLengthForDistance2) maxDistance = 1
    if (maxDistance === 0) return found
    const group = query.scope === undefined ? 'bare' : 'scoped'
    this.byLength.collect(group, query.key.length, query.signature, maxDistance, found)
    return found.filter((entry, i) => i < exact.length || entry.key !== query.key)
  }

  /**
   * Edits that look like a slip rather than another name. Any edit keeps the number of words: a
   * word added or dropped (`cbor-x`, `x-is-string`, `p-memoize`) is a variant that `embedded`
   * judges, not a typo. Two edits only count when every word of the popular name that changed is
   * long enough to misspell (`expres-sesion`, not `babel-preset-foo` from `babel-preset-fbjs`).
   */
  private isTypo(query: PopularEntry, entry: PopularEntry, distance: number): boolean {
    if (distance === 0) return true
    if (entry.words.length !== query.words.length) return false
    if (distance === 1) return true
    if (entry.scope !== undefined) return false
    const kept = new Set(query.words)
    const changed = entry.words.filter((word) => !kept.has(word))
    return changed.every((word) => word.length >= this.options.minChangedWordLength)
  }

  private add(name: string, rank: number): void {
    if (this.ranks.has(name)) return
    this.ranks.set(name, rank)
    const entry = toEntry(name, rank, this.top.has(name))
    pushTo(this.byKey, entry.key, entry)
    const group = entry.scope === undefined ? 'bare' : 'scoped'
    this.byLength.add(group, entry.key.length, entry.signature, entry)
    if (entry.scope !== undefined) this.addOrganisation(entry.scope, rank)
    this.countWords(splitName(name).bare)
  }

  private addOrganisation(scope: string, rank: number): void {
    const key = normaliseBare(scope)
    if (!this.organisations.has(key)) this.organisations.set(key, { scope, rank })
  }

  /**
   * Counts each inner word run once per popular name. A scoped name's whole bare part is not
   * counted: `@ai-sdk/openai` is a vendor naming its own integration, not an ecosystem prefix.
   */
  private countWords(bare: string): void {
    const keys = new Set(innerRuns(bare).map((run) => run.key))
    for (const key of keys) this.wordCounts.set(key, (this.wordCounts.get(key) ?? 0) + 1)
  }
}

function isBetterEmbedding(candidate: EmbeddedName, current: EmbeddedName): boolean {
  if (candidate.text.length !== current.text.length) {
    return candidate.text.length > current.text.length
  }
  if (candidate.kind !== current.kind) return candidate.kind === 'package'
  return candidate.rank < current.rank
}

function toEntry(name: string, rank: number, top: boolean): PopularEntry {
  const { scope, bare } = splitName(name)
  const key = nameKey(name)
  const words = bare.split(/[-_.]+/).filter((word) => word.length > 0)
  return { name, key, rank, top, signature: signatureOf(key), words, ...(scope ? { scope } : {}) }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
