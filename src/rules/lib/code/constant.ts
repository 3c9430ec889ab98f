// Constant folding: the value an expression has when it is built only from literals, the way
// obfuscated code spells a module or a URL so that no single literal contains it
// (`'chi' + 'ld_pro' + 'cess'`, `['ev', 'al'].join('')`, `String.fromCharCode(104, 105)`,
// `Buffer.from('aHR0cHM6Ly9…', 'base64').toString()`, `atob('…')`).
//
// Bounded: recursion depth is capped, `+` chains are flattened with a loop (a ten-thousand-term
// chain is as deep as it is long), and folded strings stop at MAX_FOLDED_LENGTH characters.
// `const` bindings to constants are followed by name, ignoring scopes: a known imprecision that
// errs towards seeing the value, which is the useful direction for a gate.
import type { AnyNode, CallExpression, Expression, SpreadElement } from 'acorn'
import {
  decodeBase64Text,
  fromCharCodes,
  hasHexOrUnicodeEscape,
  isMostlyPrintable,
  MAX_FOLDED_LENGTH
} from './decode.js'
import type { StringFact } from './types.js'

export type Via = StringFact['decodedFrom']

export interface Folded {
  value: string
  /** How the value was obtained; undefined for a plain literal. */
  via?: Via
}

const MAX_DEPTH = 48
const MAX_ARRAY_ELEMENTS = 10_000
const BUFFER_ENCODINGS = new Set(['base64', 'base64url', 'hex'])
const TEXT_ENCODINGS = new Set(['utf8', 'utf-8', 'ascii', 'latin1', 'binary'])

type Operand = AnyNode | Expression | SpreadElement

export class ConstantFolder {
  /** `const name = <constant>` seen so far; a name declared twice is poisoned (undefined). */
  private readonly bindings = new Map<string, Folded | undefined>()
  private readonly memo = new WeakMap<object, Folded | null>()

  /** Records a declaration; a constant `const` binding can be followed later by name. */
  declare(name: string, value: Folded | undefined): void {
    this.bindings.set(name, this.bindings.has(name) ? undefined : value)
  }

  /** The constant string an expression evaluates to, or undefined. */
  fold(node: Operand | null | undefined, depth = 0): Folded | undefined {
    if (!node || depth > MAX_DEPTH) return undefined
    const known = this.memo.get(node)
    if (known !== undefined) return known ?? undefined
    const result = this.compute(node, depth)
    this.memo.set(node, result ?? null)
    return result
  }

  /** Folds the key of a computed member or property (`obj['ev' + 'al']`), numbers included. */
  foldKey(node: Operand, depth = 0): string | undefined {
    if (node.type === 'Literal' && typeof node.value === 'number') return String(node.value)
    return this.fold(node, depth)?.value
  }

  private compute(node: Operand, depth: number): Folded | undefined {
    switch (node.type) {
      case 'Literal':
        if (typeof node.value !== 'string') return undefined
        return hasHexOrUnicodeEscape(node.raw ?? '')
          ? { value: node.value, via: 'escapes' }
          : { value: node.value }
      case 'TemplateLiteral':
        return this.foldTemplate(node.quasis, node.expressions, depth)
      case 'BinaryExpression':
        return node.operator === '+' ? this.foldConcatenation(node, depth) : undefined
      case 'Identifier':
        return this.bindings.get(node.name)
      case 'ParenthesizedExpression':
        return this.fold(node.expression, depth + 1)
      case 'CallExpression':
        return this.foldCall(node, depth)
      default:
        return undefined
    }
  }

  private foldTemplate(
    quasis: { value: { cooked?: string | null; raw: string } }[],
    expressions: Expression[],
    depth: number
  ): Folded | undefined {
    let value = ''
    let escaped = false
    for (let i = 0; i < quasis.length; i++) {
      const quasi = quasis[i]
      value += quasi?.value.cooked ?? quasi?.value.raw ?? ''
      escaped ||= hasHexOrUnicodeEscape(quasi?.value.raw ?? '')
      const expression = expressions[i]
      if (!expression) continue
      const part = this.foldOperand(expression, depth + 1)
      if (part === undefined) return undefined
      value += part
      if (value.length > MAX_FOLDED_LENGTH) return undefined
    }
    if (expressions.length > 0) return { value, via: 'template' }
    return escaped ? { value, via: 'escapes' } : { value }
  }

  /** `a + b + c` is `((a + b) + c)`: walk down the left spine with a loop, not recursion. */
  private foldConcatenation(node: AnyNode, depth: number): Folded | undefined {
    const operands: Operand[] = []
    let cursor: Operand = node
    while (cursor.type === 'BinaryExpression' && cursor.operator === '+') {
      operands.push(cursor.right)
      cursor = cursor.left
      if (operands.length > MAX_ARRAY_ELEMENTS) return undefined
    }
    operands.push(cursor)
    operands.reverse()
    let value = ''
    let sawString = false
    for (const operand of operands) {
      const folded = this.fold(operand, depth + 1)
      sawString ||= folded !== undefined
      const part = folded?.value ?? numberText(operand)
      if (part === undefined) return undefined
      value += part
      if (value.length > MAX_FOLDED_LENGTH) return undefined
    }
    return sawString ? { value, via: 'concatenation' } : undefined
  }

  /** A string, or a number as `+` would turn it into one. */
  private foldOperand(node: Operand, depth: number): string | undefined {
    return this.fold(node, depth)?.value ?? numberText(node)
  }

  private foldCall(node: CallExpression, depth: number): Folded | undefined {
    const callee = node.callee
    const name = simpleName(callee)
    if (name === 'String.fromCharCode') return this.foldCharCodes(node.arguments)
    if (name === 'atob' || name === 'window.atob' || name === 'globalThis.atob') {
      return decodeFolded(this.fold(node.arguments[0], depth + 1), 'base64')
    }
    if (name === 'decodeURIComponent' || name === 'decodeURI' || name === 'unescape') {
      return decodeUri(this.fold(node.arguments[0], depth + 1)?.value)
    }
    if (callee.type !== 'MemberExpression' || callee.computed) return undefined
    const method = callee.property.type === 'Identifier' ? callee.property.name : ''
    if (method === 'join') return this.foldJoin(callee.object, node.arguments, depth)
    if (method === 'toString') return this.foldBufferToString(callee.object, node.arguments, depth)
    if (method === 'concat') return this.foldStringConcat(callee.object, node.arguments, depth)
    return undefined
  }

  private foldCharCodes(args: Operand[]): Folded | undefined {
    const codes: number[] = []
    for (const arg of args) {
      const spread = arg.type === 'SpreadElement' ? arg.argument : undefined
      const elements = spread?.type === 'ArrayExpression' ? spread.elements : [arg]
      for (const element of elements) {
        if (element?.type !== 'Literal' || typeof element.value !== 'number') return undefined
        codes.push(element.value)
      }
    }
    const value = fromCharCodes(codes)
    return value === undefined ? undefined : { value, via: 'char-codes' }
  }

  private foldJoin(target: Operand, args: Operand[], depth: number): Folded | undefined {
    const separator = args.length === 0 ? ',' : this.fold(args[0], depth + 1)?.value
    const parts = this.foldArray(target, depth + 1)
    if (separator === undefined || parts === undefined) return undefined
    const value = parts.join(separator)
    return value.length > MAX_FOLDED_LENGTH ? undefined : { value, via: 'array-join' }
  }

  /** `['a', 'b']`, `'abc'.split('')`, `[...].reverse()`: a constant array of strings. */
  private foldArray(node: Operand, depth: number): string[] | undefined {
    if (depth > MAX_DEPTH) return undefined
    if (node.type === 'ArrayExpression') {
      if (node.elements.length > MAX_ARRAY_ELEMENTS) return undefined
      const parts: string[] = []
      for (const element of node.elements) {
        const part = element ? this.foldOperand(element, depth + 1) : ''
        if (part === undefined) return undefined
        parts.push(part)
      }
      return parts
    }
    if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined
    const method = node.callee.computed ? undefined : simpleName(node.callee.property)
    if (method === 'reverse') return this.foldArray(node.callee.object, depth + 1)?.reverse()
    if (method !== 'split') return undefined
    const text = this.fold(node.callee.object, depth + 1)?.value
    const separator = this.fold(node.arguments[0], depth + 1)?.value
    if (text === undefined || separator === undefined) return undefined
    return text.split(separator).slice(0, MAX_ARRAY_ELEMENTS)
  }

  /** `Buffer.from('…', 'base64').toString()` and the `hex` variant. */
  private foldBufferToString(target: Operand, args: Operand[], depth: number) {
    const textEncoding = args.length === 0 ? 'utf8' : this.fold(args[0], depth + 1)?.value
    if (!textEncoding || !TEXT_ENCODINGS.has(textEncoding.toLowerCase())) return undefined
    if (target.type !== 'CallExpression' && target.type !== 'NewExpression') return undefined
    const name = simpleName(target.callee)
    if (name !== 'Buffer.from' && name !== 'Buffer') return undefined
    const encoding = this.fold(target.arguments[1], depth + 1)?.value
    if (!encoding || !BUFFER_ENCODINGS.has(encoding)) return undefined
    const input = this.fold(target.arguments[0], depth + 1)
    return decodeFolded(input, encoding === 'hex' ? 'hex' : 'base64')
  }

  private foldStringConcat(target: Operand, args: Operand[], depth: number) {
    let value = this.fold(target, depth + 1)?.value
    for (const arg of args) {
      if (value === undefined) return undefined
      const part = this.foldOperand(arg, depth + 1)
      value = part === undefined ? undefined : value + part
    }
    if (value === undefined || value.length > MAX_FOLDED_LENGTH) return undefined
    return { value, via: 'concatenation' as const }
  }
}

function numberText(node: Operand): string | undefined {
  return node.type === 'Literal' && typeof node.value === 'number' ? String(node.value) : undefined
}

/** `a.b.c` for a chain of plain identifiers, for recognising well-known decoders. */
function simpleName(node: Operand, depth = 0): string | undefined {
  if (node.type === 'Identifier') return node.name
  if (node.type !== 'MemberExpression' || node.computed || depth > 4) return undefined
  const base = simpleName(node.object, depth + 1)
  const key = node.property.type === 'Identifier' ? node.property.name : undefined
  return base && key ? `${base}.${key}` : undefined
}

/** Decodes text that the code itself asks to decode: any length, but it must come out as text. */
function decodeFolded(input: Folded | undefined, encoding: 'base64' | 'hex'): Folded | undefined {
  if (!input) return undefined
  const source = input.value
  if (encoding === 'hex' && !/^(?:[0-9a-fA-F]{2})+$/.test(source)) return undefined
  if (encoding === 'base64') {
    const strict = decodeBase64Text(source)
    if (strict !== undefined) return { value: strict, via: 'base64' }
  }
  const text = Buffer.from(source, encoding).toString('utf8')
  if (!isMostlyPrintable(text)) return undefined
  return { value: text.slice(0, MAX_FOLDED_LENGTH), via: encoding }
}

function decodeUri(input: string | undefined): Folded | undefined {
  if (input === undefined || !input.includes('%')) return undefined
  try {
    return { value: decodeURIComponent(input), via: 'uri' }
  } catch {
    return undefined
  }
}
