// Bundles the Action, the CLI and the analysis worker they start into single ESM files. pacote's
// CommonJS dependencies use require(), __filename and __dirname, which an ESM bundle must define
// itself: hence the banner.
import { build } from 'esbuild'

const banner = [
  "import { createRequire as __lgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __lgFileURLToPath } from 'node:url';",
  "import { dirname as __lgDirname } from 'node:path';",
  'const require = __lgCreateRequire(import.meta.url);',
  'const __lgFilename = __lgFileURLToPath(import.meta.url);',
  'const __lgDirnameValue = __lgDirname(__lgFilename);'
].join(' ')

await build({
  // the analysis worker is a bundle of its own, beside the entry points that start it
  entryPoints: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'analysis-worker': 'src/analyze/analysis-worker.ts'
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow; its
  // "module" build is plain ESM.
  mainFields: ['module', 'main'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: banner },
  // CommonJS code reads __filename / __dirname; some ESM dependencies (@azure/storage-common,
  // under @actions/cache) declare their own at top level, so the banner cannot use those names
  define: { __filename: '__lgFilename', __dirname: '__lgDirnameValue' }
})
