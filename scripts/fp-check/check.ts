// Entry of `npm run fp-check` (bundled and run by scripts/fp-check.mjs): compares the latest
// release of each listed package with the release before it, through the registry npm is
// configured for, with every rule and the bundled IOC feed, and prints how many would fail, warn
// or pass. Honest updates of popular packages must pass: each failure here is a false positive
// to fix. It needs the network, so it is not part of `npm test`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadFeeds } from '../../src/ioc/load-feeds.js'
import { loadNpmConfig } from '../../src/registry/npm-config.js'
import { RULES } from '../../src/rules/index.js'
import type { Rule } from '../../src/rules/types.js'
import type { Severity } from '../../src/types.js'
import { parseArgs, selectNames, type FpCheckArgs } from './args.js'
import { countVerdicts, formatResult, formatSummary } from './format.js'
import { parsePackageList } from './pairs.js'
import { checkPackage, type CheckEnv, type PairResult } from './run.js'

/** The Action's default threshold: what a user of lockgate would see fail. */
const FAIL_ON: Severity = 'high'

/**
 * Runs the check; resolves to the process exit code (1 when a package fails or errors).
 * `fileRules`: every rule file found by the runner, used instead of the registry with
 * `--all-rule-files` (to try rules that are written but not registered yet).
 */
export async function main(argv: readonly string[], fileRules?: readonly Rule[]): Promise<number> {
  const args = parseArgs(argv)
  const rules = args.allRuleFiles && fileRules ? fileRules : RULES
  const names = selectNames(parsePackageList(readFileSync(args.list, 'utf8')), args)
  const workspace = process.cwd()
  const cacheDir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'lockgate-fp-'))
  const env: CheckEnv = {
    npmOptions: loadNpmConfig({
      workspace,
      lockfileDir: workspace,
      env: process.env,
      homedir: homedir()
    }),
    cacheDir,
    iocs: await loadFeeds({ workspace, feeds: [] }),
    rules,
    failOn: FAIL_ON,
    now: new Date()
  }
  console.error(`${names.length} packages, ${rules.length} rules, fail on ${FAIL_ON}`)
  const started = performance.now()
  try {
    const results = await checkAll(names, env, args)
    const totalMs = Math.round(performance.now() - started)
    for (const line of formatSummary(results, totalMs)) console.log(line)
    if (args.json) writeJson(args.json, results, totalMs)
    const totals = countVerdicts(results)
    return totals.fail > 0 || totals.error > 0 ? 1 : 0
  } finally {
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

/** A bounded pool; each package's block is printed as soon as it is known. */
async function checkAll(
  names: readonly string[],
  env: CheckEnv,
  args: FpCheckArgs
): Promise<PairResult[]> {
  const results = new Array<PairResult>(names.length)
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const index = next++
      const result = await checkPackage(names[index], env)
      results[index] = result
      done++
      for (const line of formatResult(result, args.verbose)) console.log(line)
      process.stderr.write(`[${done}/${names.length}] ${result.verdict} ${result.name}\n`)
    }
  }
  const workers = Math.min(args.concurrency, names.length)
  await Promise.all(Array.from({ length: workers }, worker))
  return results
}

function writeJson(file: string, results: readonly PairResult[], totalMs: number): void {
  const report = {
    generatedAt: new Date().toISOString(),
    failOn: FAIL_ON,
    totals: countVerdicts(results),
    totalMs,
    results
  }
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`results written to ${file}`)
}
