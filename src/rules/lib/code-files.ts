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
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

/** True for a file that the installed package may run: scripts and sources, not docs or tests. */
export function isCodeFile(path: string): boolean {
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
 * True when the whole line is a comment. Only whole-line comments are recognised: stripping a
 * trailing `// ...` would also cut `https://...`, and block comments whose inner lines do not start
 * with `*` are not tracked (known gap, the conservative direction: they are scanned as code).
 */
export function isCommentLine(path: string, text: string): boolean {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('<!--'))
    return true
  // `*` starts the inner lines of a block comment; a code line starting with `*` is rare.
  if (trimmed.startsWith('*')) return true
  return HASH_COMMENT_EXTENSIONS.has(extensionOf(path)) && trimmed.startsWith('#')
}
