// What the code-understanding layer extracts from one JavaScript file, so that rules can ask
// "which strings, calls and property accesses does this version introduce?" instead of grepping.
// Values are decoded the way the engine would see them: escapes resolved, constant
// concatenations folded (`'chi' + 'ld_pro' + 'cess'` -> `child_process`), base64 literals that
// decode to readable text reported as an extra string with `decodedFrom: 'base64'`.

export interface Located {
  /** 1-based line in the file. */
  line: number
}

export interface StringFact extends Located {
  value: string
  /** How the value was obtained when it is not a plain literal. */
  decodedFrom?:
    | 'concatenation'
    | 'escapes'
    | 'base64'
    | 'template'
    | 'char-codes'
    | 'array-join'
    // added by the code layer: `Buffer.from('6368...', 'hex').toString()`
    | 'hex'
    // added by the code layer: `decodeURIComponent('%63%68...')`, `unescape(...)`
    | 'uri'
}

export interface CallFact extends Located {
  /**
   * The callee as a dotted name: `eval`, `fetch`, `require`, `child_process.exec`,
   * `cp.spawn` (as written), `new Function` (for `new` expressions: `new ` + name),
   * `XMLHttpRequest.prototype.open`, `window.ethereum.request`. Computed members with a
   * constant key are resolved (`process['env']` -> `process.env`); others become `[]`.
   */
  callee: string
  /** Arguments that evaluate to constant strings (decoded), in order; others are undefined. */
  args: (string | undefined)[]
}

export interface MemberFact extends Located {
  /** Dotted member expression, e.g. `process.env.NPM_TOKEN`, `window.ethereum`, `process.env`. */
  path: string
  /** True when assigned to (`XMLHttpRequest.prototype.open = ...`, `window.fetch = ...`). */
  assigned: boolean
}

export interface PropertyFact extends Located {
  /** Object literal key (`Bcc`, `to`, `hostname`). */
  key: string
  /** The value when it is a constant string. */
  value?: string
}

export interface FileFacts {
  /** False when the file did not parse and the facts come from the lexical fallback. */
  parsed: boolean
  strings: StringFact[]
  calls: CallFact[]
  members: MemberFact[]
  properties: PropertyFact[]
  /** Module specifiers from `require('x')`, `import ... from 'x'`, `import('x')`. */
  imports: (Located & { specifier: string })[]
  /** Identifier names declared or used, for obfuscation heuristics (bounded, deduplicated). */
  identifiers: string[]
}
