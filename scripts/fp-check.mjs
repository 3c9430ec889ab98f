// `npm run fp-check`: the real-world false-positive check (see scripts/fp-check/check.ts).
// The sources are TypeScript: bundle the entry with esbuild into a temporary file and import it.
// pacote's CommonJS dependencies use require(), __filename and __dirname, which an ESM bundle
// must define itself: hence the same banner as build.mjs.
import { build } from 'esbuild'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const banner = [
  "import { createRequire as __lgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __lgFileURLToPath } from 'node:url';",
  "import { dirname as __lgDirname } from 'node:path';",
  'const require = __lgCreateRequire(import.meta.url);',
  'const __filename = __lgFileURLToPath(import.meta.url);',
  'const __dirname = __lgDirname(__filename);'
].join(' ')

/**
 * The entry: check.ts's `main`, and with `--all-rule-files` every rule file under src/rules/
 * (one folder per kind, `lib/` excluded), so that rules written but not registered yet are tried.
 */
function entrySource() {
  const lines = ["export { main } from './scripts/fp-check/check.ts'"]
  const files = process.argv.includes('--all-rule-files') ? ruleFiles() : []
  files.forEach((file, i) => lines.push(`import { rule as rule${i} } from './${file}'`))
  lines.push(`export const fileRules = [${files.map((_, i) => `rule${i}`).join(', ')}]`)
  return lines.join('\n')
}

function ruleFiles() {
  const root = 'src/rules'
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'lib')
    .flatMap((entry) =>
      readdirSync(join(root, entry.name))
        .filter((name) => name.endsWith('.ts'))
        .map((name) => `${root}/${entry.name}/${name}`)
    )
    .sort()
}

const dir = mkdtempSync(join(tmpdir(), 'lockgate-fp-check-'))
const bundle = join(dir, 'fp-check.mjs')
let main, fileRules
try {
  await build({
    stdin: { contents: entrySource(), resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow
    mainFields: ['module', 'main'],
    outfile: bundle,
    logLevel: 'error',
    banner: { js: banner }
  })
  ;({ main, fileRules } = await import(pathToFileURL(bundle).href))
} finally {
  // the module is loaded: the file is no longer needed
  rmSync(dir, { recursive: true, force: true })
}

try {
  process.exitCode = await main(process.argv.slice(2), fileRules)
} catch (error) {
  console.error(`fp-check: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 2
}
