// Typed access to one yarn.lock entry's fields. Both yarn parsers return every scalar as a
// string; anything else where a string belongs, or a value no package manager would write, is
// an error naming the entry and its line.
import semver from 'semver'
import { GateError } from '../errors.js'
import { quote } from './json-tree.js'

const MAX_VALUE_LENGTH = 4096
const CONTROL_CHAR = /\p{Cc}/u

export interface YarnEntry {
  file: string
  /** The key as the descriptors joined by `, ` (LockedPackage.path). */
  key: string
  line: number
  fields: Record<string, unknown>
}

export function yarnEntryError(entry: YarnEntry, problem: string): GateError {
  const message = `${entry.file}: entry ${quote(entry.key)} at line ${entry.line} ${problem}`
  return new GateError('ELOCKFILE', message, { file: entry.file, line: entry.line })
}

export function optionalString(entry: YarnEntry, field: string): string | undefined {
  if (!Object.hasOwn(entry.fields, field)) return undefined
  const value = entry.fields[field]
  if (typeof value !== 'string')
    throw yarnEntryError(entry, `has a "${field}" that is not a string`)
  if (value.length > MAX_VALUE_LENGTH || CONTROL_CHAR.test(value)) {
    throw yarnEntryError(entry, `has an invalid "${field}": ${quote(value)}`)
  }
  return value
}

export function requiredString(entry: YarnEntry, field: string): string {
  const value = optionalString(entry, field)
  if (value === undefined || value === '') throw yarnEntryError(entry, `has no "${field}"`)
  return value
}

/**
 * Registry packages are fetched by name and version: the version must be an exact one, written
 * the canonical way (`1.2.3`, not `v1.2.3` or `=1.2.3`).
 */
export function checkRegistryVersion(entry: YarnEntry, version: string): string {
  if (semver.valid(version) !== version) {
    throw yarnEntryError(entry, `has an invalid version ${quote(version)}`)
  }
  return version
}
