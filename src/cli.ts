#!/usr/bin/env node
// The CLI: the same engine as the Action, no GitHub needed.
// Exit codes: 0 pass or warn, 1 fail, 2 the scan could not run.
import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { loadConfig } from './config-file.js'
import type { Config } from './config.js'
import { errorMessage } from './errors.js'
import type { ScanRefs } from './github/refs.js'
import { renderJsonReport } from './report/json-report.js'
import { renderText } from './report/text.js'
import { sanitizeText } from './report/escape.js'
import { runScan } from './scan.js'
import { SEVERITIES, type ScanReport } from './types.js'
import { VERSION } from './version.js'

const USAGE = `Usage: lockgate scan [dir] [options]

Scans the npm lockfiles of a repository for supply-chain risk.
Without --base it scans every locked package (a full scan); with --base it scans only what the
lockfiles add or change between --base and --head (default: the working tree).

Options:
  --base REF          git revision to compare against (e.g. origin/main)
  --head REF          git revision to scan (default: the working tree)
  --full              scan every locked package, even with --base
  --config FILE       configuration file (default: .github/lockgate.yml when it exists)
  --fail-on SEV       fail at or above this severity: ${SEVERITIES.join(', ')} (default: high, or the file's)
  --lockfile GLOB     only these lockfiles (repeatable; default: discover all)
  --ioc-feed PATH|URL an extra IOC feed (repeatable)
  --min-release-age D hold versions younger than D ("3 days", "12 hours"; default 0 = off)
  --osv MODE          online, offline or off (default: online, offline with --osv-db)
  --osv-db PATH       folder or zip of OSV records for offline mode
  --workers N         threads that analyse tarball contents: auto (one per core) or 0 to 16
  --format FORMAT     text or json (default: text)
  --output FILE       write the report to FILE instead of standard output
  -h, --help          show this help
  -v, --version       show the version

Exit status: 0 pass or warn, 1 fail, 2 error (the scan could not run or is incomplete).`

const OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' },
  full: { type: 'boolean', default: false },
  config: { type: 'string' },
  'fail-on': { type: 'string' },
  lockfile: { type: 'string', multiple: true },
  'ioc-feed': { type: 'string', multiple: true },
  'min-release-age': { type: 'string' },
  osv: { type: 'string' },
  'osv-db': { type: 'string' },
  workers: { type: 'string' },
  format: { type: 'string', default: 'text' },
  output: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false }
} as const

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true
  })
  if (values.help) return print(USAGE, 0)
  if (values.version) return print(VERSION, 0)
  const [command, dir, ...extra] = positionals
  if (command !== 'scan' || extra.length > 0) return print(USAGE, 2, true)
  if (values.format !== 'text' && values.format !== 'json') {
    return print(`lockgate: --format must be text or json, not "${values.format}"`, 2, true)
  }
  const config = await loadConfig({
    workspace: dir ?? process.cwd(),
    lockfiles: (values.lockfile ?? []).join('\n'),
    baseRef: values.base ?? '',
    headRef: values.head ?? '',
    mode: values.full ? 'full' : 'auto',
    failOn: values['fail-on'] ?? '',
    iocFeeds: (values['ioc-feed'] ?? []).join('\n'),
    minReleaseAge: values['min-release-age'] ?? '',
    osv: values.osv ?? '',
    osvDb: values['osv-db'] ?? '',
    analysisWorkers: values.workers ?? '',
    config: values.config ?? ''
  })
  const report = await runScan(config, refsFor(config))
  const rendered = values.format === 'json' ? renderJsonReport(report) : renderText(report)
  if (values.output) await writeFile(values.output, rendered)
  else process.stdout.write(rendered)
  return exitCodeFor(report)
}

function refsFor(config: Config): ScanRefs {
  if (config.full || !config.baseRef) {
    return { mode: 'full', reason: config.full ? '--full' : 'no --base given' }
  }
  return {
    mode: 'pull-request',
    base: config.baseRef,
    ...(config.headRef ? { head: config.headRef } : {}),
    reason: '--base given'
  }
}

/** An incomplete scan (a lockfile that does not parse, a registry that cannot be read) is an
 *  error (2) even when findings alone would fail it: the user must fix the scan, not just a package. */
function exitCodeFor(report: ScanReport): number {
  if (report.errors.length > 0) return 2
  return report.verdict === 'fail' ? 1 : 0
}

function print(text: string, code: number, toStderr = false): number {
  ;(toStderr ? process.stderr : process.stdout).write(text + '\n')
  return code
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`lockgate: ${sanitizeText(errorMessage(error))}\n`)
    process.exitCode = 2
  }
)
