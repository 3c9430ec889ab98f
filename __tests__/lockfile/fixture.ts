// Reads lockfile fixtures and gives independent expectations: lines found by searching the text,
// fields read with plain JSON.parse rather than with the parser under test.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const FIXTURES = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url))

export function readFixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8')
}

/** 1-based line of the only occurrence of `"<key>": {` in the text. */
export function lineOfKey(text: string, key: string): number {
  const needle = `${JSON.stringify(key)}: {`
  const at = text.indexOf(needle)
  if (at === -1 || text.indexOf(needle, at + 1) !== -1) throw new Error(`key ${key} not unique`)
  return text.slice(0, at).split('\n').length
}

/** The text of a 1-based line. */
export function lineText(text: string, line: number): string {
  return text.split('\n')[line - 1]
}

type RawEntry = { name?: string; version?: string; integrity?: string; resolved?: string }

/** `packages` of a v2/v3 lockfile, read with JSON.parse. */
export function rawPackages(text: string): Record<string, RawEntry> {
  return (JSON.parse(text) as { packages: Record<string, RawEntry> }).packages
}

type RawLegacy = RawEntry & { dependencies?: Record<string, RawLegacy> }

/** Every entry of a v1 lockfile by its node_modules path, read with JSON.parse. */
export function rawLegacyEntries(text: string): Map<string, RawLegacy> {
  const entries = new Map<string, RawLegacy>()
  const walk = (deps: Record<string, RawLegacy> | undefined, prefix: string) => {
    for (const [name, entry] of Object.entries(deps ?? {})) {
      entries.set(`${prefix}${name}`, entry)
      walk(entry.dependencies, `${prefix}${name}/node_modules/`)
    }
  }
  walk((JSON.parse(text) as RawLegacy).dependencies, 'node_modules/')
  return entries
}
