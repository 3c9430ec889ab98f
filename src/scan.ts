// The engine shared by the Action and the CLI: lockfiles -> parse -> diff -> fetch -> analyze ->
// policy. It prints nothing; it returns a ScanReport that the reporters turn into output.
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { applyPolicy, decideVerdict, enabledRules, policyOptions } from './analyze/policy.js'
import {
  describeMetadataGaps,
  observeMetadata,
  type MetadataObservation
} from './analyze/metadata-gaps.js'
import { startFileAnalysis, type FileAnalysis } from './analyze/file-analysis.js'
import { runRules, type PackageEvidence, type RuleRunResult } from './analyze/run-rules.js'
import type { Config } from './config.js'
import { allAsAdded, diffLockfiles } from './diff/diff-lockfiles.js'
import { errorMessage, GateError } from './errors.js'
import {
  discoverLockfiles,
  discoverLockfilesInCommit,
  SUPPORTED_LOCKFILE_NAMES
} from './github/discover.js'
import { readLockfileTexts, type LockfileTexts } from './github/read-lockfile.js'
import type { ScanRefs } from './github/refs.js'
import { isFileDependent, openVerdictCache, verdictDir } from './cache/verdict-cache.js'
import { buildIocIndex } from './ioc/index.js'
import { loadFeedEntries } from './ioc/load-feeds.js'
import { lookupOsv, type OsvOptions } from './osv/lookup.js'
import { parseLockfile } from './lockfile/index.js'
import { fetchAndConsume } from './registry/fetch-packages.js'
import { loadNpmConfig, registryFor, type NpmOptions } from './registry/npm-config.js'
import { sortFindings } from './report/sort.js'
import { RULES } from './rules/index.js'
import { configuredRegistries } from './rules/lib/lockfile/registries.js'
import type { IocEntry, Rule, RuleOptions } from './rules/types.js'
import type { LockfileSummary, PackageChange, RunError, ScanReport } from './types.js'
import { VERSION } from './version.js'

/**
 * Below this many changes a scan is bound by its largest package, which one thread analyses
 * anyway: starting workers (each loads the rules and warms its own JIT) cost more than they saved
 * on a 10-package pull request (2.4 s with them against 2.2 s without).
 */
const MIN_CHANGES_FOR_WORKERS = 32

interface ChangeSet {
  changes: PackageChange[]
  lockfiles: LockfileSummary[]
  errors: RunError[]
}

export async function runScan(config: Config, refs: ScanRefs): Promise<ScanReport> {
  const { changes, lockfiles, errors } = await collectChanges(config, refs)
  const feedEntries = await loadIocEntries(config, errors)
  const iocs = buildIocIndex(feedEntries)
  const osv = await lookupOsv(changes, osvOptions(config))
  const npmOptionsFor = npmOptionsResolver(config)
  const metadata: MetadataObservation[] = []
  const rules = enabledRules(RULES, config.policy)
  // a full scan replays what the content rules found in tarballs it already judged
  const verdicts =
    refs.mode === 'full'
      ? await openVerdictCache(verdictDir(config.cacheDir), {
          rules,
          feedEntries,
          optionsFor: (ruleId) => ruleOptions(config, ruleId, {})
        })
      : undefined
  const fetchOptions = {
    npmOptionsFor,
    cacheDir: config.cacheDir,
    concurrency: config.concurrency,
    ...(verdicts ? { skipFiles: (change: PackageChange) => verdicts.has(change) } : {})
  }
  const fileAnalysis = startFileAnalysis({
    rules: rules.filter((rule) => isFileDependent(rule.meta.id)),
    feedEntries,
    iocs,
    // the file-dependent rules' options do not depend on the lockfile's npm config
    optionsFor: (ruleId) => ruleOptions(config, ruleId, {}),
    now: config.now,
    workers: changes.length >= MIN_CHANGES_FOR_WORKERS ? config.analysisWorkers : 0
  })
  // each package is analysed as soon as it is read, then its tarball contents can be dropped
  const analyses = await fetchAndConsume(changes, fetchOptions, async (fetched) => {
    metadata.push(observeMetadata(fetched))
    const osvMatches = osv.matches.get(`${fetched.change.name}@${fetched.change.version}`)
    const evidence = osvMatches ? { ...fetched, osv: osvMatches } : fetched
    const optionsFor = (ruleId: string) =>
      ruleOptions(config, ruleId, npmOptionsFor(fetched.change.lockfile))
    const runHere = (selected: readonly Rule[]) =>
      runRules({ rules: selected, packages: [evidence], iocs, now: config.now, optionsFor })
    const run = (selected: readonly Rule[]) =>
      analyzePackage(selected, evidence, fileAnalysis, runHere)
    return verdicts ? verdicts.analyze(fetched, rules, run) : run(rules)
  }).finally(() => fileAnalysis.close())
  await verdicts?.close()
  // the configuration judges what the rules found: severities, allow entries, expired entries
  const findings = sortFindings(
    applyPolicy(
      analyses.flatMap((analysis) => analysis.findings),
      config.policy,
      config.now
    )
  )
  const allErrors = [...errors, ...osv.errors, ...analyses.flatMap((analysis) => analysis.errors)]
  return {
    tool: { name: 'lockgate', version: VERSION },
    verdict: decideVerdict(findings, allErrors, config.failOn, { warnOnly: config.warnOnly }),
    failOn: config.failOn,
    mode: refs.mode,
    ...(refs.base ? { base: refs.base } : {}),
    ...(refs.head ? { head: refs.head } : {}),
    lockfiles,
    findings,
    errors: allErrors,
    notices: [...osv.notices, ...describeMetadataGaps(metadata)],
    ...(config.registryWebsite ? { registryBase: config.registryWebsite } : {}),
    generatedAt: new Date().toISOString()
  }
}

/**
 * One package's rules: those that read the tarballs on the analysis workers, the others (packument,
 * lockfile, feeds) here, at the same time. A failed analysis is an error on the package.
 */
async function analyzePackage(
  rules: readonly Rule[],
  evidence: PackageEvidence,
  fileAnalysis: FileAnalysis,
  runHere: (rules: readonly Rule[]) => Promise<RuleRunResult>
): Promise<RuleRunResult> {
  const onFiles = rules.filter((rule) => isFileDependent(rule.meta.id))
  const [fromFiles, fromHere] = await Promise.all([
    onFiles.length === 0
      ? { findings: [], errors: [] }
      : fileAnalysis.run(evidence, onFiles).catch((error: unknown) => ({
          findings: [],
          errors: [analysisError(evidence.change, error)]
        })),
    runHere(rules.filter((rule) => !isFileDependent(rule.meta.id)))
  ])
  return {
    findings: [...fromHere.findings, ...fromFiles.findings],
    errors: [...fromHere.errors, ...fromFiles.errors]
  }
}

function analysisError(change: PackageChange, error: unknown): RunError {
  const id = `${change.name}@${change.version}`
  return {
    code: 'ERULE',
    message: `the contents of ${id} could not be analysed: ${errorMessage(error)}`,
    lockfile: change.lockfile,
    line: change.line,
    package: id
  }
}

function osvOptions(config: Config): OsvOptions {
  return {
    mode: config.osv,
    url: config.osvUrl,
    ...(config.osvDb ? { db: config.osvDb } : {})
  }
}

const REGISTRY_RULES = new Set(['lockfile/resolved-host', 'lockfile/insecure-protocol'])

/**
 * The options a rule reads: those lockgate derives from the inputs and the lockfile's npm config,
 * then the configuration file's `rules.<id>.options` over them (the file names them explicitly).
 */
function ruleOptions(config: Config, ruleId: string, npmOptions: NpmOptions): RuleOptions {
  return { ...derivedOptions(config, ruleId, npmOptions), ...policyOptions(config.policy, ruleId) }
}

function derivedOptions(config: Config, ruleId: string, npmOptions: NpmOptions): RuleOptions {
  if (ruleId === 'metadata/too-new') {
    return { minReleaseAgeMs: config.minReleaseAgeMs, exclude: config.minReleaseAgeExclude }
  }
  if (REGISTRY_RULES.has(ruleId)) {
    // the registry npm would use when none is configured: pacote knows it, we do not repeat it
    const defaultRegistry = registryFor('lockgate-probe', {})
    return {
      allowedRegistries: configuredRegistries(
        npmOptions,
        defaultRegistry,
        config.allowedRegistries
      ),
      defaultRegistry
    }
  }
  return {}
}

async function collectChanges(config: Config, refs: ScanRefs): Promise<ChangeSet> {
  const paths = await lockfilePaths(config, refs)
  if (paths.length === 0) {
    const where = config.lockfileGlobs.length
      ? `matching ${config.lockfileGlobs.join(', ')}`
      : `(looked for ${SUPPORTED_LOCKFILE_NAMES.join(', ')})`
    throw new GateError('ELOCKFILE', `no lockfile found ${where}`)
  }
  const texts = await readLockfileTexts({
    workspace: config.workspace,
    paths,
    refs,
    ...(config.token ? { token: config.token } : {}),
    ...githubRepository()
  })
  const result: ChangeSet = { changes: [], lockfiles: [], errors: [] }
  for (const text of texts) collectLockfile(text, refs, result)
  return result
}

/** Lockfiles in the working tree, plus those of the head commit when it is not checked out
 *  (pull_request_target checks out the base, so a lockfile new in the PR exists only in head). */
async function lockfilePaths(config: Config, refs: ScanRefs): Promise<string[]> {
  const inWorkingTree = await discoverLockfiles(config.workspace, config.lockfileGlobs)
  if (!refs.head) return inWorkingTree
  try {
    const inHead = await discoverLockfilesInCommit(
      config.workspace,
      refs.head,
      config.lockfileGlobs
    )
    return [...new Set([...inWorkingTree, ...inHead])].sort()
  } catch {
    // the head commit is not fetched yet: reading the lockfiles fetches it; the working tree's
    // list is then the best we have
    return inWorkingTree
  }
}

function collectLockfile(text: LockfileTexts, refs: ScanRefs, into: ChangeSet): void {
  let head
  try {
    head = parseLockfile(text.path, text.head)
  } catch (error) {
    into.errors.push(lockfileError(error, text.path))
    return
  }
  const changes = refs.mode === 'full' ? allAsAdded(head) : diffLockfiles(parseBase(text), head)
  into.changes.push(...changes)
  into.lockfiles.push({ path: text.path, packages: head.packages.length, changes: changes.length })
}

/** A base lockfile that no longer parses (say, a committed merge conflict) counts as absent:
 *  every head package is then "added" and analysed, so nothing is skipped. */
function parseBase(text: LockfileTexts) {
  if (text.base === undefined) return undefined
  try {
    return parseLockfile(text.path, text.base)
  } catch {
    return undefined
  }
}

function lockfileError(error: unknown, path: string): RunError {
  const line = error instanceof GateError ? error.line : undefined
  return {
    code: error instanceof GateError ? error.code : 'ELOCKFILE',
    message: errorMessage(error),
    lockfile: path,
    ...(line ? { line } : {})
  }
}

/** User feeds that cannot be loaded fail the gate; the bundled feed still checks everything. */
async function loadIocEntries(config: Config, errors: RunError[]): Promise<IocEntry[]> {
  try {
    return await loadFeedEntries({ workspace: config.workspace, feeds: config.iocFeeds })
  } catch (error) {
    errors.push({ code: 'EFEED', message: errorMessage(error) })
    return loadFeedEntries({ workspace: config.workspace, feeds: [] })
  }
}

function npmOptionsResolver(config: Config): (lockfile: string) => NpmOptions {
  const cache = new Map<string, NpmOptions>()
  return (lockfile) => {
    const lockfileDir = join(config.workspace, dirname(lockfile))
    let options = cache.get(lockfileDir)
    if (!options) {
      options = loadNpmConfig({
        workspace: config.workspace,
        lockfileDir,
        env: process.env,
        homedir: homedir()
      })
      cache.set(lockfileDir, options)
    }
    return options
  }
}

function githubRepository(): { repository?: string; apiUrl?: string } {
  const { GITHUB_REPOSITORY: repository, GITHUB_API_URL: apiUrl } = process.env
  return { ...(repository ? { repository } : {}), ...(apiUrl ? { apiUrl } : {}) }
}
