// Walks a parsed program and records the facts rules ask about: decoded strings, calls with their
// constant arguments, member paths (and which are assigned), object keys, module specifiers and
// identifier names. The walk is acorn-walk's, which recurses: the caller catches a RangeError on a
// pathologically deep tree and falls back to the lexical scanner.
import type { AnyNode, CallExpression, NewExpression, Pattern } from 'acorn'
import * as walk from 'acorn-walk'
import type { FactCollector } from './collector.js'
import { ConstantFolder, type Folded } from './constant.js'
import { decodeBase64Text } from './decode.js'
import { dottedName, unwrap } from './names.js'
import type { LineOf } from '../../../line-index.js'

/** Parses decoded text as code and returns its facts (or undefined): set by the entry module. */
export type NestedParser = (code: string) => import('./types.js').FileFacts | undefined

/** Callees whose constant string argument is code that will run. */
const CODE_SINKS = new Set([
  'eval',
  'Function',
  'new Function',
  'vm.runInThisContext',
  'vm.runInNewContext',
  'vm.runInContext',
  'new vm.Script',
  'setTimeout',
  'setInterval'
])
const REQUIRE_CALLEES = new Set(['require', 'module.require'])

export interface WalkState {
  collector: FactCollector
  folder: ConstantFolder
  nested?: NestedParser
  /** Nodes walked, and placeholders acorn-loose inserted where it could not parse. */
  nodes: number
  dummies: number
  /** Decoded texts already recorded per line, so that `eval(atob('…'))` is decoded once. */
  decoded: Set<string>
  /** Line of a character offset in the walked text. */
  lineOf: LineOf
}

/** acorn-loose's placeholder identifier for what it could not parse. */
const DUMMY_NAME = '✖'
/** Distinct decoded texts remembered per file for deduplication. */
const MAX_DECODED_SEEN = 10_000

export function collectFacts(program: AnyNode, state: WalkState): void {
  const visitor = {
    ...walk.base,
    VariablePattern: (node: AnyNode) => {
      if (node.type === 'Identifier') state.collector.addIdentifier(node.name)
    }
  }
  walk.fullAncestor(
    program,
    (node, _st, ancestors) => {
      state.nodes++
      visit(node, ancestors[ancestors.length - 2], state)
    },
    visitor
  )
}

function visit(node: AnyNode, parent: AnyNode | undefined, state: WalkState): void {
  switch (node.type) {
    case 'Literal':
    case 'TemplateLiteral':
      return visitString(node, state)
    case 'BinaryExpression':
      if (node.operator === '+' && !isConcatenation(parent)) visitFolded(node, state)
      return
    case 'CallExpression':
    case 'NewExpression':
      return visitCall(node, state)
    case 'ImportExpression':
      return addImport(state.folder.fold(node.source), lineOf(node, state), state)
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'ExportNamedDeclaration':
      return node.source
        ? addImport(state.folder.fold(node.source), lineOf(node, state), state)
        : undefined
    case 'MemberExpression':
      return visitMember(node, parent, state)
    case 'Property':
      return parent?.type === 'ObjectExpression' ? visitProperty(node, state) : undefined
    case 'Identifier':
      if (node.name === DUMMY_NAME) state.dummies++
      else state.collector.addIdentifier(node.name)
      return
    case 'VariableDeclarator':
      return visitDeclarator(node, parent, state)
    default:
      return undefined
  }
}

function isConcatenation(node: AnyNode | undefined): boolean {
  return node?.type === 'BinaryExpression' && node.operator === '+'
}

/** The node's 1-based line, from its offset: acorn runs without `locations` (an object per node). */
function lineOf(node: { start: number }, state: WalkState): number {
  return state.lineOf(node.start)
}

/** A literal, or a template whose parts are literal; a template with holes gives its parts. */
function visitString(node: AnyNode & { type: 'Literal' | 'TemplateLiteral' }, state: WalkState) {
  const folded = state.folder.fold(node)
  if (folded) return addString(folded, lineOf(node, state), state)
  if (node.type !== 'TemplateLiteral') return
  for (const quasi of node.quasis) {
    const text = quasi.value.cooked ?? quasi.value.raw
    if (text.length > 0) state.collector.addString(text, lineOf(quasi, state))
  }
}

/** The whole of a `+` chain, or of a call that decodes constants (`atob('…')`). */
function visitFolded(node: AnyNode, state: WalkState): void {
  const folded = state.folder.fold(node)
  if (folded) addString(folded, lineOf(node, state), state)
}

function addString(folded: Folded, line: number, state: WalkState): void {
  if (folded.via === 'base64' || folded.via === 'hex') {
    addDecoded(folded.value, folded.via, line, state)
    return
  }
  state.collector.addString(folded.value, line, folded.via)
  const decoded = decodeBase64Text(folded.value)
  if (decoded !== undefined) addDecoded(decoded, 'base64', line, state)
}

/** A decoded text, once per line however many ways lead to it (literal, `atob`, `Buffer`). */
function addDecoded(text: string, via: 'base64' | 'hex', line: number, state: WalkState): void {
  if (!firstTime(`${line}\0${text}`, state)) return
  state.collector.addString(text, line, via)
  parseNested(text, line, state)
}

/** Decoded text that is code (`eval(atob('…'))`) is parsed, and its facts count as this line's. */
function parseNested(code: string, line: number, state: WalkState): void {
  if (!firstTime(`${line}\0code\0${code}`, state)) return
  const facts = state.nested?.(code)
  if (facts) state.collector.addNested(facts, line)
}

function firstTime(key: string, state: WalkState): boolean {
  if (state.decoded.has(key)) return false
  if (state.decoded.size < MAX_DECODED_SEEN) state.decoded.add(key)
  return true
}

function addImport(folded: Folded | undefined, line: number, state: WalkState): void {
  if (folded) state.collector.addImport(folded.value, line)
}

function visitCall(node: CallExpression | NewExpression, state: WalkState): void {
  const line = lineOf(node, state)
  if (node.type === 'CallExpression') visitFolded(node, state)
  const name = dottedName(unwrap(node.callee), state.folder)
  if (name === undefined) return
  const callee = node.type === 'NewExpression' ? `new ${name}` : name
  const args = node.arguments.map((arg) => state.folder.fold(arg)?.value)
  state.collector.addCall(callee, args, line)
  if (REQUIRE_CALLEES.has(callee)) addImport(state.folder.fold(node.arguments[0]), line, state)
  if (CODE_SINKS.has(callee)) {
    for (const arg of args) if (arg !== undefined) parseNested(arg, line, state)
  }
  if (callee === 'Object.defineProperty' || callee === 'Reflect.defineProperty') {
    visitDefineProperty(node, state)
  }
}

/** `Object.defineProperty(window, 'fetch', …)` replaces `window.fetch` like an assignment. */
function visitDefineProperty(node: CallExpression | NewExpression, state: WalkState): void {
  const [target, key] = node.arguments
  if (!target || !key || target.type === 'SpreadElement') return
  const base = dottedName(unwrap(target), state.folder)
  const property = state.folder.foldKey(key)
  if (base !== undefined && property !== undefined) {
    state.collector.addMember(`${base}.${property}`, true, lineOf(node, state))
  }
}

/**
 * Only the outermost member of a chain (`process.env.NPM_TOKEN`, not also `process.env`), so that
 * a bare `process.env` means the whole environment is used: iterated, spread or passed on.
 */
function visitMember(node: AnyNode, parent: AnyNode | undefined, state: WalkState): void {
  if (parent?.type === 'MemberExpression' && unwrap(parent.object) === node) return
  const path = dottedName(node, state.folder)
  if (path === undefined) return
  const line = lineOf(node, state)
  const keys = destructuredKeys(node, parent, state.folder)
  if (keys) {
    for (const key of keys) state.collector.addMember(`${path}.${key}`, false, line)
    return
  }
  state.collector.addMember(path, isAssignmentTarget(node, parent), line)
}

function isAssignmentTarget(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (parent?.type === 'AssignmentExpression') return parent.left === node
  return parent?.type === 'UpdateExpression'
}

/**
 * `const { NPM_TOKEN } = process.env` reads one variable, not the whole environment: the keys it
 * names, or undefined when the pattern takes everything (`...rest`) or is not a destructuring.
 */
function destructuredKeys(node: AnyNode, parent: AnyNode | undefined, folder: ConstantFolder) {
  let pattern: Pattern | undefined
  if (parent?.type === 'VariableDeclarator' && parent.init === node) pattern = parent.id
  if (parent?.type === 'AssignmentExpression' && parent.right === node) pattern = parent.left
  if (pattern?.type !== 'ObjectPattern') return undefined
  const keys: string[] = []
  for (const property of pattern.properties) {
    if (property.type === 'RestElement') return undefined
    const key = property.computed
      ? folder.foldKey(property.key)
      : property.key.type === 'Identifier'
        ? property.key.name
        : folder.foldKey(property.key)
    if (key === undefined) return undefined
    keys.push(key)
  }
  return keys
}

function visitProperty(node: AnyNode & { type: 'Property' }, state: WalkState): void {
  const key =
    !node.computed && node.key.type === 'Identifier'
      ? node.key.name
      : state.folder.foldKey(node.key)
  if (key === undefined) return
  const value = node.kind === 'init' ? state.folder.fold(node.value)?.value : undefined
  state.collector.addProperty(key, value, lineOf(node, state))
}

/** `const name = <constant>` lets later code use `name` as the constant. */
function visitDeclarator(
  node: AnyNode & { type: 'VariableDeclarator' },
  parent: AnyNode | undefined,
  state: WalkState
): void {
  if (node.id.type !== 'Identifier') return
  const isConst = parent?.type === 'VariableDeclaration' && parent.kind === 'const'
  state.folder.declare(node.id.name, isConst ? state.folder.fold(node.init) : undefined)
}
