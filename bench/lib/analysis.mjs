// Analysis alone, CPU only: every tarball of a lockfile is first read into memory (from the warm
// cache the floor left), then, alternately and one package at a time, (a) plain gunzip + untar and
// (b) lockgate's own reading (unpackTarball) plus every rule, as a full scan runs them. Throughput
// is unpacked bytes per second of wall time; both sides see the very same bytes.
//
//   node bench/lib/analysis.mjs <dir> --cache DIR [--reps N] [--budget-s S]   (one JSON line)
// Repetitions after the first stop once S seconds (default 600) have passed.
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fetchAll } from './fetch-all.mjs'
import { readLockedPackages } from './lockfile.mjs'
import { loadLockgate } from './lockgate-bundle.mjs'
import { npmOptionsFor } from './npm-options.mjs'
import { gunzipUntar } from './untar.mjs'

const WARM_UP_PACKAGES = 20

const { values, positionals } = parseArgs({
  options: {
    cache: { type: 'string' },
    reps: { type: 'string', default: '3' },
    'budget-s': { type: 'string', default: '600' }
  },
  allowPositionals: true
})
const dir = resolve(positionals[0])
const engine = await loadLockgate()
const packages = await loadPackages(dir, values.cache)
const run = await analysisContext(engine, dir)
const result = { packages: packages.length, plainMs: [], lockgateMs: [], unpackMs: [], rulesMs: [] }
// warm-up, not measured: the first pass over fresh code runs unoptimised and would favour neither
await plainPass(packages)
await lockgatePass(packages.slice(0, WARM_UP_PACKAGES), engine, run)
// a slow engine on the large lockfile could otherwise keep the benchmark busy for an hour
const budgetEnds = performance.now() + Number(values['budget-s']) * 1000
for (
  let rep = 0;
  rep < Number(values.reps) && (rep === 0 || performance.now() < budgetEnds);
  rep++
) {
  const plain = await plainPass(packages)
  result.plainMs.push(plain.ms)
  result.unpackedBytes = plain.bytes
  const lockgate = await lockgatePass(packages, engine, run)
  result.lockgateMs.push(lockgate.ms)
  result.unpackMs.push(lockgate.unpackMs)
  result.rulesMs.push(lockgate.rulesMs)
  Object.assign(result, { findings: lockgate.findings, ruleErrors: lockgate.errors })
}
result.tarballBytes = packages.reduce((sum, item) => sum + item.tgz.length, 0)
console.log(JSON.stringify(result))

/** Every change of a full scan, with its tarball (Buffer) and packument held in memory. */
async function loadPackages(dir, cacheDir) {
  const text = readFileSync(join(dir, 'package-lock.json'), 'utf8')
  const changes = engine.allAsAdded(engine.parseLockfile('package-lock.json', text))
  const held = new Map()
  await fetchAll(readLockedPackages(dir), {
    npmOptions: npmOptionsFor(dir),
    cacheDir,
    onTarball: (target, tgz, packument) => {
      held.set(`${target.name}@${target.version}`, { tgz, packument })
    }
  })
  return changes
    .map((change) => ({ change, ...held.get(`${change.name}@${change.version}`) }))
    .filter((item) => item.tgz)
}

/** The run-wide parts of a rule context, built as src/scan.ts builds them. */
async function analysisContext(engine, dir) {
  const npmOptions = engine.loadNpmConfig({
    workspace: dir,
    lockfileDir: dir,
    env: process.env,
    homedir: homedir()
  })
  const defaultRegistry = engine.registryFor('lockgate-probe', {})
  const registryOptions = {
    allowedRegistries: engine.configuredRegistries(npmOptions, defaultRegistry),
    defaultRegistry
  }
  const optionsFor = (ruleId) => {
    if (ruleId === 'metadata/too-new') return { minReleaseAgeMs: 0, exclude: [] }
    if (ruleId.startsWith('lockfile/')) return registryOptions
    return {}
  }
  return { iocs: await engine.loadFeeds({ workspace: dir, feeds: [] }), optionsFor }
}

/** Each pass starts without the previous one's garbage (the runner passes --expose-gc). */
function collectGarbage() {
  globalThis.gc?.()
}

async function plainPass(packages) {
  collectGarbage()
  const started = performance.now()
  let bytes = 0
  for (const item of packages) bytes += await gunzipUntar(item.tgz)
  return { ms: performance.now() - started, bytes }
}

async function lockgatePass(packages, engine, { iocs, optionsFor }) {
  collectGarbage()
  let unpackMs = 0
  let rulesMs = 0
  let findings = 0
  let errors = 0
  const now = new Date()
  for (const { change, tgz, packument } of packages) {
    const t0 = performance.now()
    const files = await engine.unpackTarball(tgz)
    const t1 = performance.now()
    const manifest = packument?.versions?.[change.version]
    const evidence = { change, packument, manifest, files, problems: [] }
    const out = await engine.runRules({
      rules: engine.RULES,
      packages: [evidence],
      iocs,
      now,
      optionsFor
    })
    rulesMs += performance.now() - t1
    unpackMs += t1 - t0
    findings += out.findings.length
    errors += out.errors.length
  }
  return { ms: unpackMs + rulesMs, unpackMs, rulesMs, findings, errors }
}
