// Regenerates the rule table in README.md between the BEGIN_RULE_LIST / END_RULE_LIST markers
// from the rules' own metadata (`npm run docs:rules`). A test fails when the table is stale.
import { build } from 'esbuild'
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dir = mkdtempSync(join(tmpdir(), 'lockgate-rules-'))
const bundle = join(dir, 'rules.mjs')
await build({
  entryPoints: ['src/rules/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  mainFields: ['module', 'main'],
  outfile: bundle,
  logLevel: 'error'
})
const { RULES } = await import(pathToFileURL(bundle).href)
rmSync(dir, { recursive: true, force: true })

const rows = RULES.map(({ meta }) => `| \`${meta.id}\` | ${meta.defaultSeverity} | ${meta.title} |`)
const table = ['| rule | default severity | what it reports |', '| --- | --- | --- |', ...rows]
const readme = readFileSync('README.md', 'utf8')
const begin = '<!-- BEGIN_RULE_LIST -->'
const end = '<!-- END_RULE_LIST -->'
const updated =
  readme.slice(0, readme.indexOf(begin) + begin.length) +
  '\n' +
  table.join('\n') +
  '\n' +
  readme.slice(readme.indexOf(end))
writeFileSync('README.md', updated)
console.log(`README.md: ${rows.length} rules listed`)
