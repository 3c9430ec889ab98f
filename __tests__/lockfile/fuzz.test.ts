// Property-based test: mutated real lockfiles of every format go through every parser. Each run
// must end in one of two ways: a ParsedLockfile whose entries all have a name, a version and a
// line inside the file, or a GateError ELOCKFILE with a message. Anything else escaping (a
// TypeError, a RangeError, a stack overflow) is a parser bug that would turn into an unexplained
// failure, or worse, into a silent pass. Runs are bounded so the suite stays fast.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GateError } from '../../src/errors.js'
import { parseBunLock } from '../../src/lockfile/bun-lock.js'
import { parseLockfile } from '../../src/lockfile/index.js'
import { parsePackageLock } from '../../src/lockfile/package-lock.js'
import { parsePnpmLock } from '../../src/lockfile/pnpm-lock.js'
import { parseYarnLock } from '../../src/lockfile/yarn-lock.js'
import type { ParsedLockfile } from '../../src/types.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url))
const RUNS_PER_FORMAT = 200
const MAX_FIXTURE_CHARS = 200_000

type Parser = (path: string, text: string) => ParsedLockfile

interface Format {
  name: string
  path: string
  parse: Parser
  /** Picks this format's fixtures (by folder) among every file under the fixture folder. */
  matches: (relativePath: string) => boolean
  json: boolean
}

const FORMATS: Format[] = [
  {
    name: 'package-lock',
    path: 'package-lock.json',
    parse: (path, text) => parsePackageLock(path, text, 'package-lock'),
    matches: (file) => !file.includes('/') && file.endsWith('.json'),
    json: true
  },
  {
    name: 'pnpm-lock',
    path: 'pnpm-lock.yaml',
    parse: parsePnpmLock,
    matches: (file) => file.startsWith('pnpm/'),
    json: false
  },
  {
    name: 'yarn-lock',
    path: 'yarn.lock',
    parse: parseYarnLock,
    matches: (file) => file.startsWith('yarn/'),
    json: false
  },
  {
    name: 'bun-lock',
    path: 'bun.lock',
    parse: parseBunLock,
    matches: (file) => file.startsWith('bun/'),
    json: true
  }
]

function fixtureFiles(dir = FIXTURES, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry)
    const relative = `${prefix}${entry}`
    return statSync(full).isDirectory() ? fixtureFiles(full, `${relative}/`) : [relative]
  })
}

function fixturesOf(format: Format): string[] {
  return fixtureFiles()
    .filter(format.matches)
    .map((file) => readFileSync(join(FIXTURES, file), 'utf8'))
    .filter((text) => text.length <= MAX_FIXTURE_CHARS && parsesWithEntries(format, text))
}

/** Seeds are the fixtures that parse (per-scenario fixtures of broken files are left out). */
function parsesWithEntries(format: Format, text: string): boolean {
  try {
    return format.parse(format.path, text).packages.length > 0
  } catch {
    return false
  }
}

// ---- mutations: each takes the text and random choices, returns new text ----

const STRUCTURAL = ['{', '}', '[', ']', ':', ',', '"', "'", '\n', ' ', '-', '#', '@', '\\', '\0']
const YAML_VALUES = [
  '{}',
  '[]',
  'null',
  '~',
  "'",
  '"open',
  '&a x',
  '*a',
  '!!binary AA',
  '-1',
  '1e999',
  'true',
  '|',
  '>-',
  '? x'
]

type Mutation = (text: string) => fc.Arbitrary<string>

const lines = (text: string) => text.split('\n')
const index = (length: number) => fc.nat({ max: Math.max(0, length - 1) })

const byteFlip: Mutation = (text) =>
  fc
    .tuple(
      index(text.length),
      fc.oneof(fc.constantFrom(...STRUCTURAL), fc.string({ maxLength: 1, unit: 'binary' }))
    )
    .map(([at, char]) => text.slice(0, at) + char + text.slice(at + 1))

const truncate: Mutation = (text) => index(text.length).map((at) => text.slice(0, at))

const deleteLine: Mutation = (text) =>
  index(lines(text).length).map((at) =>
    lines(text)
      .filter((_, i) => i !== at)
      .join('\n')
  )

const duplicateLine: Mutation = (text) =>
  index(lines(text).length).map((at) => {
    const all = lines(text)
    return [...all.slice(0, at + 1), all[at], ...all.slice(at + 1)].join('\n')
  })

const swapLines: Mutation = (text) =>
  fc.tuple(index(lines(text).length), index(lines(text).length)).map(([a, b]) => {
    const all = lines(text)
    ;[all[a], all[b]] = [all[b], all[a]]
    return all.join('\n')
  })

const insert: Mutation = (text) =>
  fc
    .tuple(
      index(text.length + 1),
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.array(fc.constantFrom(...STRUCTURAL), { maxLength: 8 }).map((chars) => chars.join(''))
      )
    )
    .map(([at, piece]) => text.slice(0, at) + piece + text.slice(at))

/** Changes the indentation of one line: YAML's structure is its indentation. */
const reindent: Mutation = (text) =>
  fc.tuple(index(lines(text).length), fc.integer({ min: -4, max: 4 })).map(([at, shift]) => {
    const all = lines(text)
    all[at] =
      shift >= 0 ? ' '.repeat(shift) + all[at] : all[at].replace(new RegExp(`^ {0,${-shift}}`), '')
    return all.join('\n')
  })

/** Replaces what follows the first `: ` (or ` ` for yarn classic) of a line with odd YAML. */
const replaceValue: Mutation = (text) =>
  fc.tuple(index(lines(text).length), fc.constantFrom(...YAML_VALUES)).map(([at, value]) => {
    const all = lines(text)
    const line = all[at]
    const colon = line.indexOf(': ')
    const space = line.trimStart().indexOf(' ')
    const cut =
      colon >= 0 ? colon + 2 : space >= 0 ? line.length - line.trimStart().length + space + 1 : -1
    if (cut >= 0) all[at] = line.slice(0, cut) + value
    return all.join('\n')
  })

/** Replaces one value of the JSON tree (anywhere) with random JSON: wrong types, wrong shapes. */
const jsonNode: Mutation = (text) => {
  let tree: unknown
  try {
    tree = JSON.parse(text)
  } catch {
    return fc.constant(text) // bun.lock with trailing commas: the text mutations cover it
  }
  const paths = collectPaths(tree, [], [])
  return fc.tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 })).map(([path, value]) => {
    const copy = structuredClone(tree)
    setAt(copy, path, value)
    return JSON.stringify(copy, null, 2)
  })
}

function collectPaths(node: unknown, path: string[], into: string[][]): string[][] {
  into.push(path)
  if (node && typeof node === 'object' && into.length < 2000) {
    for (const [key, child] of Object.entries(node)) collectPaths(child, [...path, key], into)
  }
  return into
}

function setAt(root: unknown, path: string[], value: unknown): void {
  if (path.length === 0) return
  let node = root as Record<string, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>
  node[path[path.length - 1]] = value
}

function mutated(format: Format, fixtures: string[]): fc.Arbitrary<string> {
  const mutations = [
    byteFlip,
    truncate,
    deleteLine,
    duplicateLine,
    swapLines,
    insert,
    reindent,
    replaceValue
  ]
  if (format.json) mutations.push(jsonNode, jsonNode)
  const once = (text: string) => fc.constantFrom(...mutations).chain((mutate) => mutate(text))
  return fc
    .constantFrom(...fixtures)
    .chain((text) => once(text))
    .chain((text) => fc.oneof(fc.constant(text), once(text)))
}

// ---- the property ----

function checkOutcome(format: Format, text: string): void {
  let parsed: ParsedLockfile
  try {
    parsed = format.parse(format.path, text)
  } catch (error) {
    if (!(error instanceof GateError)) {
      throw new Error(
        `${format.name} parser threw ${String(error)}\n--- input ---\n${text.slice(0, 2000)}`,
        { cause: error }
      )
    }
    expect(error.code).toBe('ELOCKFILE')
    expect(error.message.trim()).not.toBe('')
    return
  }
  const lineCount = text.split('\n').length
  for (const entry of parsed.packages) {
    const where = `${format.name} entry ${JSON.stringify(entry)}`
    if (!(typeof entry.name === 'string' && entry.name.length > 0))
      throw new Error(`${where}: no name`)
    if (!(typeof entry.version === 'string' && entry.version.length > 0)) {
      throw new Error(`${where}: no version`)
    }
    if (!(Number.isInteger(entry.line) && entry.line >= 1 && entry.line <= lineCount)) {
      throw new Error(`${where}: line outside 1..${lineCount}`)
    }
  }
}

describe('every parser on mutated lockfiles: parses or throws ELOCKFILE, nothing else', () => {
  it.each(FORMATS.map((format) => [format.name, format] as const))('%s', (_name, format) => {
    const fixtures = fixturesOf(format)
    // the mutations start from real lockfiles that parse
    expect(fixtures.length).toBeGreaterThan(0)
    fc.assert(
      fc.property(mutated(format, fixtures), (text) => checkOutcome(format, text)),
      { numRuns: RUNS_PER_FORMAT }
    )
  })

  it('parseLockfile routes mutated files of every format the same way', () => {
    const all = FORMATS.flatMap((format) => fixturesOf(format).map((text) => ({ format, text })))
    fc.assert(
      fc.property(
        fc.constantFrom(...all).chain(({ format, text }) =>
          fc
            .constantFrom(byteFlip, truncate, deleteLine)
            .chain((m) => m(text))
            .map((t) => ({ format, t }))
        ),
        ({ format, t }) => checkOutcome({ ...format, parse: parseLockfile }, t)
      ),
      { numRuns: RUNS_PER_FORMAT }
    )
  })
})
