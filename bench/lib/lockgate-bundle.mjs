// Loads lockgate's engine in-process from its TypeScript sources: bundle a small entry with
// esbuild into a temporary file, import it, delete the file. pacote's CommonJS dependencies use
// require(), __filename and __dirname, which an ESM bundle must define itself: hence the banner
// (the same as build.mjs and scripts/fp-check.mjs).
import { build } from 'esbuild'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

const BANNER = [
  "import { createRequire as __lgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __lgFileURLToPath } from 'node:url';",
  "import { dirname as __lgDirname } from 'node:path';",
  'const require = __lgCreateRequire(import.meta.url);',
  'const __filename = __lgFileURLToPath(import.meta.url);',
  'const __dirname = __lgDirname(__filename);'
].join(' ')

/** What the analysis measurement drives: unpacking, the rules, and what a scan feeds them. */
const ENTRY = `
export { unpackTarball } from './src/registry/unpack.ts'
export { runRules } from './src/analyze/run-rules.ts'
export { RULES } from './src/rules/index.ts'
export { parseLockfile } from './src/lockfile/index.ts'
export { allAsAdded } from './src/diff/diff-lockfiles.ts'
export { loadFeeds } from './src/ioc/load-feeds.ts'
export { loadNpmConfig, registryFor } from './src/registry/npm-config.ts'
export { configuredRegistries } from './src/rules/lib/lockfile/registries.ts'
`

export async function loadLockgate() {
  const dir = mkdtempSync(join(tmpdir(), 'lockgate-bench-bundle-'))
  const outfile = join(dir, 'engine.mjs')
  try {
    await build({
      stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'error',
      banner: { js: BANNER }
    })
    return await import(pathToFileURL(outfile).href)
  } finally {
    // the module is loaded: the file is no longer needed
    rmSync(dir, { recursive: true, force: true })
  }
}
