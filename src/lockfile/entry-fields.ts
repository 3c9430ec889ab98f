// Typed, validated access to the fields of one lockfile entry. Every value is attacker-controlled:
// a field of the wrong type, or a name or version that could not have come from npm, is an error
// rather than something to guess around.
import semver from 'semver'
import { GateError } from '../errors.js'
import type { LockedPackage, SourceKind } from '../types.js'
import { objectProperties, quote, type JsonDocument, type Properties } from './json-tree.js'
import type { Node } from 'jsonc-parser'

const MAX_NAME_LENGTH = 214
const MAX_SPEC_LENGTH = 2048
// `@scope/name` or `name`; no whitespace, no further slash, not starting with a dot.
const NAME_SHAPE = /^(?:@[^\s/@]+\/)?[^\s/@.][^\s/@]*$/
const CONTROL_CHAR = /\p{Cc}/u

/** One entry: its key node, its fields, and a label for messages. */
export interface Entry {
  doc: JsonDocument
  key: Node
  fields: Properties
  label: string
}

export function readEntry(doc: JsonDocument, key: Node, value: Node, label: string): Entry {
  return { doc, key, fields: objectProperties(doc, value, label), label }
}

export function entryError(entry: Entry, problem: string): GateError {
  const line = entry.doc.lineOf(entry.key.offset)
  return new GateError(
    'ELOCKFILE',
    `${entry.doc.file}: ${entry.label} at line ${line} ${problem}`,
    {
      file: entry.doc.file,
      line
    }
  )
}

export function stringField(entry: Entry, field: string): string | undefined {
  const value = entry.fields.get(field)?.value
  if (value === undefined) return undefined
  if (value.type !== 'string') throw entryError(entry, `has a "${field}" that is not a string`)
  const text = String(value.value)
  if (text.length > MAX_SPEC_LENGTH || CONTROL_CHAR.test(text)) {
    throw entryError(entry, `has an invalid "${field}": ${quote(text)}`)
  }
  return text
}

export function requiredString(entry: Entry, field: string): string {
  const text = stringField(entry, field)
  if (text === undefined || text === '') throw entryError(entry, `has no "${field}"`)
  return text
}

/** True only for a literal `true`; npm writes these flags only when they are set. */
export function flagField(entry: Entry, field: string): boolean {
  const value = entry.fields.get(field)?.value
  if (value === undefined) return false
  if (value.type !== 'boolean') throw entryError(entry, `has a "${field}" that is not a boolean`)
  return value.value === true
}

export function checkName(entry: Entry, name: string): string {
  if (name.length > MAX_NAME_LENGTH || !NAME_SHAPE.test(name) || CONTROL_CHAR.test(name)) {
    throw entryError(entry, `has an invalid package name ${quote(name)}`)
  }
  return name
}

/** Registry entries are fetched by name and version, so the version must be an exact version. */
export function checkVersion(entry: Entry, version: string, source: SourceKind): string {
  if (source === 'registry' && (semver.valid(version) === null || /\s/.test(version))) {
    throw entryError(entry, `has an invalid version ${quote(version)}`)
  }
  return version
}

/** The optional fields shared by every lockfile version, omitted when absent or false. */
export function optionalFields(entry: Entry): Partial<LockedPackage> {
  const resolved = stringField(entry, 'resolved')
  const integrity = stringField(entry, 'integrity')
  return {
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
    ...(flagField(entry, 'dev') ? { dev: true } : {}),
    ...(flagField(entry, 'optional') ? { optional: true } : {}),
    ...(flagField(entry, 'hasInstallScript') ? { hasInstallScript: true } : {})
  }
}
