#!/usr/bin/env node
// `npm run bench`: lockgate side by side with `npm ci` and the download + unpack floor, on the
// lockfiles in bench/{small,medium,large}, all measured in the same run (absolute times swing with
// the network and the disk; ratios inside one run are what compares). Every command runs as a
// child process, process start included, exactly as a user runs it. See bench/RESULTS.md.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseBenchArgs, USAGE } from './lib/args.mjs'
import { staleBuildWarning } from './lib/machine.mjs'
import { measure, memoryMethod } from './lib/measure.mjs'
import { buildPrRepo } from './lib/pr-repo.mjs'
import { measurementTable, prTable, ratioTable } from './lib/report.mjs'
import { writeResults } from './lib/results-file.mjs'
import { median, seconds } from './lib/stats.mjs'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
const FLOOR = join(REPO_ROOT, 'bench', 'floor.mjs')
const ANALYSIS = join(REPO_ROOT, 'bench', 'lib', 'analysis.mjs')
const LOCK_FILES = ['package.json', 'package-lock.json']
/** The analysis holds every tarball and packument of a lockfile in memory at once. */
const ANALYSIS_HEAP_MB = 8192
const MAX_ANALYSIS_REPS = 3

let options
try {
  options = parseBenchArgs(process.argv.slice(2))
} catch (error) {
  console.error(`bench: ${error.message}\n\n${USAGE}`)
  process.exit(2)
}
if (options.help) {
  console.log(USAGE)
  process.exit(0)
}
const cli = resolve(REPO_ROOT, options.cli)
if (!existsSync(cli)) {
  console.error(`bench: ${options.cli} does not exist: run \`npm run build\` first`)
  process.exit(2)
}
const warnings = [staleBuildWarning(REPO_ROOT, cli)].filter(Boolean)
warnings.forEach((warning) => console.error(`bench: warning: ${warning}`))

const started = performance.now()
const work = mkdtempSync(join(tmpdir(), 'lockgate-bench-'))
const log = (text) => console.error(`[${seconds(performance.now() - started).padStart(8)}] ${text}`)
log(`temporary folder ${work}; peak memory by ${memoryMethod()}`)

const results = {}
let pr
try {
  for (const name of options.lockfiles) {
    results[name] = await benchLockfile(name, options.repsFor(name))
    if (name === 'medium') pr = await benchPullRequest(options.repsFor(name))
  }
} finally {
  if (options.keep) log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
const totalMs = performance.now() - started
printTables()
if (options.resultsPath) {
  const path = resolve(REPO_ROOT, options.resultsPath)
  writeResults(path, { results, pr, options, warnings, totalMs, cli: options.cli })
  console.log(`\nwritten to ${options.resultsPath}`)
}

async function benchLockfile(name, reps) {
  const dir = join(work, name)
  const workspace = copyLockfile(join(REPO_ROOT, 'bench', name), join(dir, 'workspace'))
  const result = { reps, series: {}, failures: [] }
  const add = (key, run) => (result.series[key] ??= []).push(run)
  let floorCache
  for (let rep = 0; rep < reps; rep++) {
    const rounds = {
      npm: () => npmCi(workspace, join(dir, `npm-${rep}`)).then((run) => add('npmCold', run)),
      floor: async () => {
        if (floorCache) rmSync(floorCache, { recursive: true, force: true })
        floorCache = join(dir, `floor-${rep}`)
        add('floorCold', await floor(workspace, floorCache, result))
        add('floorWarm', await floor(workspace, floorCache, result))
      },
      lockgate: async () => {
        const temp = join(dir, `lockgate-${rep}`)
        add('lockgateCold', await fullScan(workspace, temp, 'cold', result))
        add('lockgateWarm', await fullScan(workspace, temp, 'warm', result))
        rmSync(temp, { recursive: true, force: true })
      }
    }
    // the order rotates so that no contender always meets the registry's caches first
    const order = ['npm', 'floor', 'lockgate']
    for (let i = 0; i < order.length; i++) await rounds[order[(rep + i) % order.length]]()
    log(`${name}: repetition ${rep + 1}/${reps} done`)
  }
  result.analysis = await analysis(workspace, floorCache, Math.min(reps, MAX_ANALYSIS_REPS), result)
  return result
}

function copyLockfile(from, to) {
  mkdirSync(to, { recursive: true })
  for (const file of LOCK_FILES) copyFileSync(join(from, file), join(to, file))
  return to
}

async function npmCi(workspace, dir) {
  copyLockfile(workspace, dir)
  const args = ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']
  const run = await measure('npm', [...args, '--cache', join(dir, '.npm-cache')], {
    env: process.env,
    cwd: dir,
    scratch: work
  })
  rmSync(dir, { recursive: true, force: true })
  log(`npm ci: ${seconds(run.ms)}${run.code ? ` (exit ${run.code})` : ''}`)
  return { ms: run.ms, peakBytes: run.peakBytes, ok: run.code === 0 }
}

async function floor(workspace, cacheDir, result) {
  const run = await measure('node', [FLOOR, workspace, '--cache', cacheDir], {
    env: process.env,
    scratch: work,
    node: true
  })
  if (run.code === 0) result.floorStats = JSON.parse(run.stdout.trim().split('\n').pop())
  else result.failures.push(`floor exited ${run.code}: ${run.stderr.trim().slice(-500)}`)
  log(`floor: ${seconds(run.ms)}`)
  return { ms: run.ms, peakBytes: run.peakBytes, ok: run.code === 0 }
}

/** A full scan with TMPDIR/RUNNER_TEMP in `temp`: empty the first time (cold), reused (warm). */
async function fullScan(workspace, temp, label, result) {
  mkdirSync(temp, { recursive: true })
  const run = await scan([workspace, '--full'], temp, `full-${label}`, result)
  log(`lockgate full ${label}: ${seconds(run.ms)}, ${(run.peakBytes / 2 ** 20).toFixed(0)} MiB`)
  return run
}

/** lockgate as a user runs it; exit 0 (pass/warn) and 1 (fail) are complete scans, 2 is not. */
async function scan(args, temp, label, result) {
  const report = join(temp, `report-${label}.json`)
  const argv = [cli, 'scan', ...args, '--osv', 'off', '--format', 'json', '--output', report]
  const env = { ...process.env, TMPDIR: temp, RUNNER_TEMP: temp }
  const run = await measure('node', argv, { env, scratch: work, node: true })
  const ok = run.code === 0 || run.code === 1
  if (!ok)
    result.failures.push(`lockgate ${label} exited ${run.code}: ${run.stderr.trim().slice(-500)}`)
  if (existsSync(report)) result.report = summarizeReport(report)
  return { ms: run.ms, peakBytes: run.peakBytes, ok }
}

function summarizeReport(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'))
  return {
    verdict: report.verdict,
    changes: report.lockfiles.reduce((sum, lockfile) => sum + lockfile.changes, 0),
    findings: report.findings.length,
    errors: report.errors.length
  }
}

async function analysis(workspace, cacheDir, reps, result) {
  log(`analysis in memory, ${reps}x`)
  const args = [`--max-old-space-size=${ANALYSIS_HEAP_MB}`, '--expose-gc', ANALYSIS, workspace]
  const run = await measure('node', [...args, '--cache', cacheDir, '--reps', String(reps)], {
    env: process.env,
    scratch: work,
    node: true
  })
  if (run.code !== 0) {
    result.failures.push(`analysis exited ${run.code}: ${run.stderr.trim().slice(-500)}`)
    return undefined
  }
  const raw = JSON.parse(run.stdout.trim().split('\n').pop())
  log(`analysis: ${seconds(run.ms)}`)
  const rates = (list) => list.map((ms) => raw.unpackedBytes / 1e6 / (ms / 1000))
  const plainList = rates(raw.plainMs)
  const lockgateList = rates(raw.lockgateMs)
  return {
    ...raw,
    plainList,
    lockgateList,
    plainMBs: median(plainList),
    lockgateMBs: median(lockgateList)
  }
}

async function benchPullRequest(reps) {
  const dir = join(work, 'pull-request')
  const setup = await buildPrRepo({
    lockfileDir: join(REPO_ROOT, 'bench', 'medium'),
    repo: join(dir, 'repo'),
    cacheDir: join(dir, 'setup-cache')
  })
  log(
    `pull request: ${setup.bumps.map((bump) => `${bump.name} ${bump.from}->${bump.to}`).join(', ')}`
  )
  const result = { ...setup, series: { prCold: [], prWarm: [] }, failures: [] }
  const args = [setup.repo, '--base', setup.base, '--head', setup.head]
  for (let rep = 0; rep < reps; rep++) {
    const temp = join(dir, `lockgate-${rep}`)
    mkdirSync(temp, { recursive: true })
    for (const [label, key] of [
      ['cold', 'prCold'],
      ['warm', 'prWarm']
    ]) {
      const run = await scan(args, temp, `pr-${label}`, result)
      result.series[key].push(run)
      log(`lockgate PR ${label}: ${seconds(run.ms)}`)
    }
    rmSync(temp, { recursive: true, force: true })
  }
  return result
}

function printTables() {
  for (const [name, result] of Object.entries(results)) {
    console.log(`\n## ${name} (${result.reps} repetitions)\n`)
    console.log(measurementTable(name, result))
    console.log()
    console.log(ratioTable(name, result))
    for (const failure of result.failures) console.log(`\nfailure: ${failure}`)
  }
  if (pr) {
    console.log(`\n## pull request on medium\n`)
    console.log(prTable(pr))
    for (const failure of pr.failures) console.log(`\nfailure: ${failure}`)
  }
  console.log(`\ntotal: ${seconds(totalMs)}`)
}
