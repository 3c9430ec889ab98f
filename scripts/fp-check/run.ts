// One package of the false-positive check: read its packument, choose the latest release and the
// one before it, then fetch and analyse the pair exactly as a scan analyses a lockfile change
// (same fetch stage, every rule, the IOC feed, the policy).
import { decideVerdict } from '../../src/analyze/policy.js'
import { runRules } from '../../src/analyze/run-rules.js'
import { errorMessage } from '../../src/errors.js'
import { RegistryClient } from '../../src/registry/client.js'
import { fetchAndConsume, type FetchedPackage } from '../../src/registry/fetch-packages.js'
import type { NpmOptions } from '../../src/registry/npm-config.js'
import type { IocIndex, Rule } from '../../src/rules/types.js'
import type { Finding, PackageChange, RunError, Severity, Verdict } from '../../src/types.js'
import { choosePair, pairChange } from './pairs.js'

export interface CheckEnv {
  npmOptions: NpmOptions
  /** pacote's cache, shared by every package of the run. */
  cacheDir: string
  iocs: IocIndex
  rules: readonly Rule[]
  failOn: Severity
  now: Date
}

export interface Sizes {
  /** Unpacked bytes of the latest release. */
  latest: number
  /** Unpacked bytes of the previous release. */
  previous: number
}

export interface PairResult {
  name: string
  /** `error`: the pair could not be set up (no packument, no previous release...). */
  verdict: Verdict | 'error'
  latest?: string
  previous?: string
  /** Wall time for the whole pair: packument, both tarballs, rules. */
  ms: number
  /** Time spent in the rules alone. */
  rulesMs?: number
  sizes?: Sizes
  findings: Finding[]
  /** Errors of the analysis (a rule that threw): they fail the verdict. */
  errors: RunError[]
  /** Why the pair could not be set up, for an `error` verdict. */
  problem?: string
}

export async function checkPackage(name: string, env: CheckEnv): Promise<PairResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const change = await resolveChange(name, env)
    if ('problem' in change) return errorResult(name, change.problem, elapsed())
    const [analysis] = await fetchAndConsume(
      [change],
      { npmOptionsFor: () => env.npmOptions, cacheDir: env.cacheDir, concurrency: 1 },
      (fetched) => analyse(fetched, env)
    )
    return {
      name,
      verdict: decideVerdict(analysis.findings, analysis.errors, env.failOn),
      latest: change.version,
      ...(change.previous ? { previous: change.previous.version } : {}),
      ms: elapsed(),
      rulesMs: analysis.rulesMs,
      sizes: analysis.sizes,
      findings: analysis.findings,
      errors: analysis.errors
    }
  } catch (error) {
    return errorResult(name, errorMessage(error), elapsed())
  }
}

/** The change to analyse, or why there is none. */
async function resolveChange(
  name: string,
  env: CheckEnv
): Promise<PackageChange | { problem: string }> {
  // a client of its own: its in-memory packument cache goes away with this package
  const client = new RegistryClient({ cacheDir: env.cacheDir })
  const packument = await client.packument(name, env.npmOptions)
  if ('problem' in packument) return { problem: packument.problem.message }
  const pair = choosePair(packument.value)
  if ('reason' in pair) return { problem: `${name}: ${pair.reason}` }
  return pairChange(packument.value, pair)
}

interface Analysis {
  findings: Finding[]
  errors: RunError[]
  rulesMs: number
  sizes: Sizes
}

async function analyse(fetched: FetchedPackage, env: CheckEnv): Promise<Analysis> {
  const started = performance.now()
  const { findings, errors } = await runRules({
    rules: env.rules,
    packages: [fetched],
    iocs: env.iocs,
    now: env.now
  })
  return {
    findings,
    errors,
    rulesMs: Math.round(performance.now() - started),
    sizes: {
      latest: fetched.files?.totalBytes ?? 0,
      previous: fetched.previousFiles?.totalBytes ?? 0
    }
  }
}

function errorResult(name: string, problem: string, ms: number): PairResult {
  return { name, verdict: 'error', ms, findings: [], errors: [], problem }
}
