// The Action: inputs and event -> engine -> reporters -> outputs. Ends in core.setFailed when the
// gate fails or the scan could not run.
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { isFailing } from './analyze/policy.js'
import { loadConfig } from './config-file.js'
import { buildConfig, type Config, type RawInputs } from './config.js'
import { restoreVerdicts, saveVerdicts } from './cache/actions-cache.js'
import { rulesHash } from './cache/keys.js'
import { verdictDir } from './cache/verdict-cache.js'
import { errorMessage, GateError } from './errors.js'
import { pullRequestNumber, upsertComment } from './github/comment.js'
import { resolveRefs, type ScanRefs } from './github/refs.js'
import { emitAnnotations } from './report/annotations.js'
import { writeJsonReport } from './report/json-report.js'
import { writeSarif } from './report/sarif.js'
import { writeSummary } from './report/summary.js'
import { RULES } from './rules/index.js'
import { runScan } from './scan.js'
import type { ScanReport } from './types.js'

export async function run(): Promise<void> {
  try {
    const raw = readInputs()
    const event = await readEvent(process.env.GITHUB_EVENT_PATH)
    // which commits to compare comes from the event and the inputs only (never from the file),
    // so that a pull request is judged by its base commit's configuration
    const inputs = buildConfig(raw)
    const refs = resolveRefs({
      eventName: process.env.GITHUB_EVENT_NAME ?? '',
      event,
      full: inputs.full,
      ...(inputs.baseRef ? { baseRef: inputs.baseRef } : {}),
      ...(inputs.headRef ? { headRef: inputs.headRef } : {}),
      ...(process.env.GITHUB_SHA ? { sha: process.env.GITHUB_SHA } : {})
    })
    core.info(describeRefs(refs))
    const config = await loadConfig(
      raw,
      new Date(),
      refs.mode === 'pull-request' && refs.base
        ? { baseCommit: refs.base, onChanged: (message) => core.notice(message) }
        : undefined
    )
    // a full scan carries its verdict folder from one workflow run to the next
    const carry = refs.mode === 'full' ? verdictCarrier(config) : undefined
    await carry?.restore()
    const report = await runScan(config, refs)
    await carry?.save()
    await publish(report, config, event)
  } catch (error) {
    reportFatal(error)
  }
}

/** The inputs, which go over the configuration file (`config`, default `.github/lockgate.yml`)
 *  over defaults. An input counts as given when it is not empty: action.yml defaults those the
 *  file may set to ''. */
function readInputs(): RawInputs {
  if (process.env.INPUT_TOKEN) core.setSecret(process.env.INPUT_TOKEN)
  return {
    workspace: core.getInput('working-directory') || process.env.GITHUB_WORKSPACE || process.cwd(),
    lockfiles: core.getInput('lockfiles'),
    baseRef: core.getInput('base-ref'),
    headRef: core.getInput('head-ref'),
    mode: core.getInput('mode'),
    failOn: core.getInput('fail-on'),
    iocFeeds: core.getInput('ioc-feeds'),
    token: core.getInput('token'),
    report: core.getInput('report'),
    concurrency: core.getInput('concurrency'),
    analysisWorkers: core.getInput('analysis-workers'),
    minReleaseAge: core.getInput('min-release-age'),
    minReleaseAgeExclude: core.getInput('min-release-age-exclude'),
    allowedRegistries: core.getInput('allowed-registries'),
    osv: core.getInput('osv'),
    osvDb: core.getInput('osv-db'),
    osvUrl: core.getInput('osv-url'),
    warnOnly: core.getInput('warn-only'),
    config: core.getInput('config'),
    sarif: core.getInput('sarif'),
    comment: core.getInput('comment'),
    registryWebsite: core.getInput('registry-website'),
    ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {})
  }
}

async function readEvent(path: string | undefined): Promise<unknown> {
  if (!path) return {}
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new GateError('EREFS', `cannot read the event payload ${path}: ${errorMessage(error)}`)
  }
}

function describeRefs(refs: ScanRefs): string {
  if (refs.mode === 'full') return `lockgate: full scan (${refs.reason})`
  return `lockgate: comparing ${refs.base} .. ${refs.head ?? 'working tree'} (${refs.reason})`
}

async function publish(report: ScanReport, config: Config, event: unknown): Promise<void> {
  emitAnnotations(report, core)
  await writeJsonReport(report, config.reportPath)
  await writeSarif(report, RULES, config.sarifPath)
  await writeSummary(report, core)
  core.setOutput('verdict', report.verdict)
  core.setOutput('findings', String(report.findings.filter((f) => !f.suppressed).length))
  core.setOutput('report', config.reportPath)
  core.setOutput('sarif', config.sarifPath)
  await comment(report, config, event)
  core.info(
    `lockgate: ${report.verdict} with ${report.findings.length} finding(s) and ` +
      `${report.errors.length} error(s); report: ${config.reportPath}`
  )
  if (report.verdict === 'fail') {
    core.setFailed(`lockgate: the gate failed (${failureReason(report)})`)
  } else if (config.warnOnly && failureReason(report)) {
    core.notice(
      `lockgate: warn-only is set; without it the gate would fail (${failureReason(report)})`
    )
  }
}

/** The optional pull-request comment; it never fails the gate (forks have no write token). */
async function comment(report: ScanReport, config: Config, event: unknown): Promise<void> {
  const { GITHUB_REPOSITORY, GITHUB_SERVER_URL, GITHUB_RUN_ID, GITHUB_API_URL } = process.env
  const prNumber = pullRequestNumber(event)
  const outcome = await upsertComment(report, {
    mode: config.comment,
    ...(config.token ? { token: config.token } : {}),
    repository: GITHUB_REPOSITORY ?? '',
    ...(prNumber !== undefined ? { prNumber } : {}),
    apiUrl: GITHUB_API_URL ?? 'https://api.github.com',
    ...(GITHUB_SERVER_URL && GITHUB_RUN_ID
      ? { runUrl: `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}` }
      : {})
  })
  if (outcome.action === 'unavailable') core.notice(outcome.message)
  else core.info(outcome.message)
}

function failureReason(report: ScanReport): string {
  const failing = report.findings.filter(
    (f) => !f.suppressed && isFailing(f.severity, report.failOn)
  )
  const parts = []
  if (failing.length) parts.push(`${failing.length} finding(s) at or above ${report.failOn}`)
  if (report.errors.length) parts.push(`${report.errors.length} error(s): analysis incomplete`)
  return parts.join('; ')
}

function reportFatal(error: unknown): void {
  const message = errorMessage(error)
  if (error instanceof GateError && error.file) {
    core.error(message, { title: `lockgate ${error.code}`, file: error.file, ...lineOf(error) })
  }
  core.setFailed(`lockgate: ${message}`)
}

function lineOf(error: GateError): { startLine?: number } {
  return error.line ? { startLine: error.line } : {}
}

/** Restores and saves the verdict folder with the Actions cache; both are no-ops outside Actions. */
function verdictCarrier(config: Config) {
  const dir = verdictDir(config.cacheDir)
  const hash = rulesHash(RULES)
  const log = { info: (m: string) => core.info(m), notice: (m: string) => core.notice(m) }
  return {
    restore: () => restoreVerdicts(dir, hash, { log }),
    save: () => saveVerdicts(dir, hash, { log })
  }
}
