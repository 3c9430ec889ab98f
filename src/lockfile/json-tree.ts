// Strict JSON parsing with offsets, so every entry keeps the line of its key. npm reads lockfiles
// with JSON.parse, so comments and trailing commas are errors here too: anything npm would not
// accept is not a lockfile we can vouch for.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser'
import { GateError } from '../errors.js'
import { buildLineIndex, columnOf, type LineOf } from '../line-index.js'

/** A parsed JSON document: the tree and a way to turn offsets into lines. */
export interface JsonDocument {
  file: string
  root: Node
  lineOf: LineOf
}

/** An object's properties by key, with the line of each key. */
export type Properties = Map<string, { key: Node; value: Node }>

const PARSE_OPTIONS = {
  disallowComments: true,
  allowTrailingComma: false,
  allowEmptyContent: false
}

export function parseJsonDocument(file: string, text: string): JsonDocument {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  if (body.trim() === '') throw new GateError('ELOCKFILE', `${file} is empty`, { file })
  const errors: ParseError[] = []
  const root = parseTreeBounded(file, body, errors)
  const lineOf = buildLineIndex(body)
  if (errors.length > 0 || !root) throw invalidJson(file, body, lineOf, errors[0])
  return { file, root, lineOf }
}

/** Absurd nesting overflows the parser's recursion: report it as a bad lockfile, not a crash. */
function parseTreeBounded(file: string, text: string, errors: ParseError[]): Node | undefined {
  try {
    return parseTree(text, errors, PARSE_OPTIONS)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    throw new GateError('ELOCKFILE', `${file} is nested too deeply to be a lockfile`, { file })
  }
}

function invalidJson(file: string, text: string, lineOf: LineOf, error?: ParseError): GateError {
  if (!error) return new GateError('ELOCKFILE', `${file} is not valid JSON`, { file })
  const line = lineOf(error.offset)
  const column = columnOf(text, error.offset)
  const found =
    error.offset < text.length
      ? `unexpected ${quoteChar(text[error.offset])}`
      : 'unexpected end of file'
  const what = describeErrorCode(printParseErrorCode(error.error))
  return new GateError(
    'ELOCKFILE',
    `${file} is not valid JSON: ${found} (${what}) at line ${line} column ${column}`,
    { file, line }
  )
}

function quoteChar(char: string): string {
  const code = char.charCodeAt(0)
  return code < 0x20 || code === 0x7f
    ? `character U+${code.toString(16).padStart(4, '0')}`
    : `'${char}'`
}

/** `CommaExpected` -> `comma expected`. */
function describeErrorCode(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

/**
 * The properties of an object node. A duplicated key throws: JSON.parse (and so npm) keeps the
 * last one, while a reviewer reading the diff may see the first, which is a way to hide an entry.
 */
export function objectProperties(doc: JsonDocument, node: Node, where: string): Properties {
  if (node.type !== 'object') {
    throw new GateError(
      'ELOCKFILE',
      `${doc.file}: ${where} must be an object, found ${node.type}`,
      {
        file: doc.file,
        line: doc.lineOf(node.offset)
      }
    )
  }
  const properties: Properties = new Map()
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? []
    if (!key || !value) continue
    const name = String(key.value)
    const first = properties.get(name)
    if (first) throw duplicateKey(doc, name, where, first.key, key)
    properties.set(name, { key, value })
  }
  return properties
}

function duplicateKey(doc: JsonDocument, name: string, where: string, first: Node, again: Node) {
  const line = doc.lineOf(again.offset)
  const firstLine = doc.lineOf(first.offset)
  return new GateError(
    'ELOCKFILE',
    `${doc.file}: duplicate key ${quote(name)} in ${where} at line ${line} (first at line ${firstLine})`,
    { file: doc.file, line }
  )
}

const MAX_QUOTED = 120

/** A short, quoted copy of attacker-controlled text for an error message. */
export function quote(value: string): string {
  const clipped = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value
  return JSON.stringify(clipped)
}
