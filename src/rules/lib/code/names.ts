// Dotted names for callees and member expressions, as rules want to match them:
// `child_process.exec`, `process.env.NPM_TOKEN`, `XMLHttpRequest.prototype.open`.
// Constant computed keys are resolved (`global['ev' + 'al']` -> `global.eval`), a non-constant
// key becomes `[]` (`handlers[name]` -> `handlers[]`), `require('m').x` is named after the
// module (`child_process.exec`), and the `(0, obj.fn)(...)` form that compilers emit is seen
// through. Member chains are walked with a loop and bounded, never with unbounded recursion.
import type { AnyNode } from 'acorn'
import type { ConstantFolder } from './constant.js'

const MAX_SEGMENTS = 64
const MAX_NAME_LENGTH = 1024

/** The dotted name of an expression, or undefined when it has none worth matching. */
export function dottedName(node: AnyNode, folder: ConstantFolder): string | undefined {
  const keys: string[] = []
  let cursor = unwrap(node)
  while (cursor.type === 'MemberExpression') {
    if (keys.length >= MAX_SEGMENTS) return undefined
    keys.push(memberKey(cursor, folder))
    cursor = unwrap(cursor.object)
  }
  const base = baseName(cursor, folder)
  if (base === undefined) return undefined
  let name = base
  for (let i = keys.length - 1; i >= 0; i--) name += keys[i]
  return name.length > MAX_NAME_LENGTH ? name.slice(0, MAX_NAME_LENGTH) : name
}

/** `.key` for a plain or constant key, `[]` for a key only known at run time. */
function memberKey(node: AnyNode & { type: 'MemberExpression' }, folder: ConstantFolder) {
  const property = node.property
  if (!node.computed) {
    if (property.type === 'Identifier') return `.${property.name}`
    if (property.type === 'PrivateIdentifier') return `.#${property.name}`
  }
  const key = folder.foldKey(property)
  return key === undefined ? '[]' : `.${key}`
}

function baseName(node: AnyNode, folder: ConstantFolder): string | undefined {
  switch (node.type) {
    case 'Identifier':
      return node.name
    case 'ThisExpression':
      return 'this'
    case 'Super':
      return 'super'
    case 'MetaProperty':
      return `${node.meta.name}.${node.property.name}`
    case 'CallExpression':
      return callResultName(node, folder)
    default:
      return undefined
  }
}

/** `require('fs').readFileSync` is `fs.readFileSync`; `fetch(u).then` is `fetch().then`. */
function callResultName(node: AnyNode & { type: 'CallExpression' }, folder: ConstantFolder) {
  const callee = unwrap(node.callee)
  if (callee.type === 'Identifier' && callee.name === 'require') {
    return folder.fold(node.arguments[0])?.value
  }
  if (callee.type === 'Identifier') return `${callee.name}()`
  return undefined
}

/** Sees through `(0, obj.fn)` and `a?.b` wrappers. */
export function unwrap(node: AnyNode): AnyNode {
  let cursor = node
  for (let i = 0; i < 8; i++) {
    if (cursor.type === 'ChainExpression' || cursor.type === 'ParenthesizedExpression') {
      cursor = cursor.expression
    } else if (cursor.type === 'SequenceExpression' && cursor.expressions.length > 0) {
      cursor = cursor.expressions[cursor.expressions.length - 1] as AnyNode
    } else break
  }
  return cursor
}
