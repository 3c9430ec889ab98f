// Which files of a package count as code that runs, as opposed to documentation, tests or type
// declarations. Content rules only look at code: a URL in a README or an address in a test fixture
// is not something the installed package does.
//
// Known gap: a payload hidden in `test/` or `docs/` and required from the entry file is not scanned
// here (the `require` line is, and other rules look at install scripts and blobs).

const CODE_EXTENSIONS = new Set([
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'mts',
  'cts',
  'tsx',
  'sh',
  'bash',
  'zsh',
  'ps1',
  'bat',
  'cmd',
  'vbs',
  'py',
  'rb',
  'pl',
  'php'
])

/** Extensions whose line comments start with `#` (everything else uses `//`). */
const HASH_COMMENT_EXTENSIONS = new Set(['sh', 'bash', 'zsh', 'ps1', 'py', 'rb', 'pl'])

const NON_CODE_FOLDERS = new Set([
  'doc',
  'docs',
  'test',
  'tests',
  '__tests__',
  '__mocks__',
  'spec',
  'example',
  'examples',
  'fixtures',
  '__fixtures__'
])

const DOC_NAME =
  /^(?:readme|license|licence|changelog|history|changes|authors|contributing)(?:[.-]|$)/i
// `a.test.js`, `a-spec.js`, `a_test.js`, and whole-file names like `test.js` or `tests.mjs`
const TEST_NAME = /(?:^|[._-])(?:tests?|specs?)\.[a-z]+$/i
const DECLARATION = /\.d\.[mc]?ts$/i

export function extensionOf(path: string): string {
  return remembered(extensions, path, () => {
    const name = path.slice(path.lastIndexOf('/') + 1)
    const dot = name.lastIndexOf('.')
    return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  })
}

/** True for a file that the installed package may run: scripts and sources, not docs or tests. */
export function isCodeFile(path: string): boolean {
  return remembered(codeFiles, path, () => judgeCodeFile(path))
}

// Rules ask about a file once per line they read (millions in a full scan): answers are kept per
// path, and forgotten in bulk so that a long run does not grow them without bound.
const extensions = new Map<string, string>()
const codeFiles = new Map<string, boolean>()
const MAX_REMEMBERED = 50_000

function remembered<T>(answers: Map<string, T>, path: string, compute: () => T): T {
  const known = answers.get(path)
  if (known !== undefined) return known
  if (answers.size >= MAX_REMEMBERED) answers.clear()
  const answer = compute()
  answers.set(path, answer)
  return answer
}

function judgeCodeFile(path: string): boolean {
  const segments = path.split('/')
  const name = segments[segments.length - 1] ?? ''
  if (name === 'package.json' || DOC_NAME.test(name)) return false
  if (TEST_NAME.test(name) || DECLARATION.test(name)) return false
  if (segments.slice(0, -1).some((folder) => NON_CODE_FOLDERS.has(folder.toLowerCase()))) {
    return false
  }
  // `bin/cli` with a shebang and no extension is as much code as `index.js`
  if (segments[0] === 'bin' && extensionOf(path) === '') return true
  return CODE_EXTENSIONS.has(extensionOf(path))
}

/**
 * True when the whole line is a comment, judged on the line alone: `//`, `/*`, `*` (the inner lines
 * of a JSDoc block) and `#` for shell-like languages. A line inside a block comment that does not
 * start with `*` needs the lines before it: see `withoutComments`.
 */
export function isCommentLine(path: string, text: string): boolean {
  // `*` starts the inner lines of a block comment; a code line starting with `*` is rare.
  // (Asked of every introduced line: a regex test copies nothing, unlike trimStart.)
  if (COMMENT_START.test(text)) return true
  return HASH_COMMENT_START.test(text) && HASH_COMMENT_EXTENSIONS.has(extensionOf(path))
}

const COMMENT_START = /^\s*(?:\/\/|\/\*|<!--|\*)/
const HASH_COMMENT_START = /^\s*#/

/** Languages with C-style comments: line comments and block comments. */
const C_COMMENT_EXTENSIONS = new Set(['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'php'])

/** True for files whose comments `withoutComments` understands (JavaScript family, PHP). */
export function hasCStyleComments(path: string): boolean {
  const extension = extensionOf(path)
  return C_COMMENT_EXTENSIONS.has(extension) || (extension === '' && isCodeFile(path))
}

/**
 * The lines of a JavaScript-like text with every comment replaced by spaces (columns and line
 * numbers are kept): what a reader of the line-based fallback should look at when the parser could
 * not read the file. One linear pass that knows strings, templates, line comments and block comments.
 *
 * Deliberately simple: regex literals are not recognised (a block-comment opener inside one may open a
 * phantom comment), a `'`/`"` string ends at its line, and `//` only starts a comment after a space, a
 * line start or `;{}(),` so that a bare `https://` in JSX text stays code. The direction of every
 * doubt is "code": an unterminated template or comment start only hides what follows it when a
 * closing marker exists.
 */
export function withoutComments(text: string): string[] {
  const parts: string[] = []
  let copied = 0
  for (const [start, end] of commentRanges(text)) {
    parts.push(text.slice(copied, start), blankOut(text.slice(start, end)))
    copied = end
  }
  parts.push(text.slice(copied))
  return parts.join('').split(/\r?\n/)
}

/** Spaces for every character except line breaks, which keep line numbers right. */
function blankOut(comment: string): string {
  return comment.replace(/[^\r\n]/g, ' ')
}

/** Half-open [start, end) offsets of the comments in a text, in order. */
export function commentRanges(text: string): [number, number][] {
  const ranges: [number, number][] = []
  let pos = 0
  while (pos < text.length) {
    const ch = text[pos]
    if (ch === '"' || ch === "'") pos = endOfQuoted(text, pos, ch)
    else if (ch === '`') pos = endOfTemplate(text, pos)
    else if (ch === '/' && text[pos + 1] === '*' && text[pos - 1] !== '\\') {
      const close = text.indexOf('*/', pos + 2)
      if (close === -1) break // an unclosed comment: the rest is judged as code
      ranges.push([pos, close + 2])
      pos = close + 2
    } else if (ch === '/' && text[pos + 1] === '/' && startsLineComment(text, pos)) {
      const newline = text.indexOf('\n', pos)
      const end = newline === -1 ? text.length : newline
      ranges.push([pos, end])
      pos = end
    } else pos++
  }
  return ranges
}

function startsLineComment(text: string, pos: number): boolean {
  return pos === 0 || /[\s;{}(),]/.test(text[pos - 1] ?? '')
}

/** Just past a `'`/`"` string, which cannot span lines (an unterminated one ends at its line). */
function endOfQuoted(text: string, start: number, quote: string): number {
  for (let pos = start + 1; pos < text.length; pos++) {
    const ch = text[pos]
    if (ch === '\\') pos++
    else if (ch === quote) return pos + 1
    else if (ch === '\n') return pos
  }
  return text.length
}

/** Just past a template literal; `${…}` parts are not parsed (the closing backtick ends it). */
function endOfTemplate(text: string, start: number): number {
  for (let pos = start + 1; pos < text.length; pos++) {
    const ch = text[pos]
    if (ch === '\\') pos++
    else if (ch === '`') return pos + 1
  }
  return text.length
}
