// Whether a package's own files refer to a module by name: `require('x')`, `from "x/sub"`,
// `import('x')`, `'~x/a.css'`, a script that runs `x`. A dependency nobody refers to is there for
// what it does on install, which is how axios 1.14.1 shipped `plain-crypto-js`.
//
// The search is textual (a quoted name followed by a quote or a slash) and bounded: past the
// budget the answer is "unknown", never "unreferenced".
import type { PackageFiles } from '../../../types.js'
import { extensionOf } from '../code-files.js'
import { stringRecord, type PackageJson } from './package-json.js'

/** Characters of file text searched per package before giving up. */
export const DEFAULT_SEARCH_BUDGET = 64 * 1024 * 1024
const MAX_OCCURRENCES = 10_000
const OPENERS = new Set(['"', "'", '`', '~'])
const CLOSERS = new Set(['"', "'", '`', '/'])
const DOC_EXTENSIONS = new Set(['md', 'markdown', 'txt', 'rst', 'map'])
/** Plugin packages that tools load by a short name: `eslint-plugin-react` is `react`. */
const PLUGIN_NAME =
  /^(?:(@[\w.-]{1,100})\/)?(?:eslint-plugin|eslint-config|babel-plugin|babel-preset|prettier-plugin|stylelint-plugin|stylelint-config|postcss|rollup-plugin|vite-plugin)(?:-([\w.-]{1,200}))?$/

/**
 * The names among `names` that no file of the package refers to, or undefined when the package
 * is too large to tell within the budget.
 */
export function unreferencedModules(
  files: PackageFiles,
  pkg: PackageJson | undefined,
  names: string[],
  budget = DEFAULT_SEARCH_BUDGET
): string[] | undefined {
  const words = scriptWords(pkg)
  let missing = names.filter((name) => !words.has(name) && !words.has(unscoped(name)))
  let searched = 0
  for (const file of files.files.values()) {
    if (missing.length === 0) break
    if (file.text === undefined || !searchable(file.path)) continue
    searched += file.text.length
    if (searched > budget) return undefined
    const text = file.text
    missing = missing.filter((name) => !aliasesOf(name).some((alias) => mentions(text, alias)))
  }
  return missing
}

/** Every word of the package's scripts: the commands (and packages) they run. */
function scriptWords(pkg: PackageJson | undefined): Set<string> {
  const words = new Set<string>()
  for (const command of stringRecord(pkg, 'scripts').values()) {
    for (const word of command.split(/[\s;&|()<>"'=]+/)) words.add(word)
  }
  return words
}

function unscoped(name: string): string {
  return name.slice(name.indexOf('/') + 1)
}

function searchable(path: string): boolean {
  return path !== 'package.json' && !DOC_EXTENSIONS.has(extensionOf(path))
}

/** The name, and the short name a tool loads a plugin package by. */
export function aliasesOf(name: string): string[] {
  const plugin = PLUGIN_NAME.exec(name)
  if (!plugin) return [name]
  const [, scope, rest] = plugin
  const short = scope && rest ? `${scope}/${rest}` : (scope ?? rest)
  return short ? [name, short] : [name]
}

/** True when `text` has `name` as a quoted module specifier (`'name'`, `"name/sub"`...). */
export function mentions(text: string, name: string): boolean {
  let seen = 0
  for (let index = text.indexOf(name); index !== -1; index = text.indexOf(name, index + 1)) {
    if (++seen > MAX_OCCURRENCES) return true
    const before = text[index - 1] ?? ''
    const after = text[index + name.length] ?? ''
    if (OPENERS.has(before) && CLOSERS.has(after)) return true
  }
  return false
}
