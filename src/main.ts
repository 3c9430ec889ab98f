// The Action: inputs and event -> engine -> reporters -> outputs. Ends in core.setFailed when the
// gate fails or the scan could not run.
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { isFailing } from './analyze/policy.js'
import { buildConfig, type Config } from './config.js'
import { errorMessage, GateError } from './errors.js'
import { resolveRefs, type ScanRefs } from './github/refs.js'
import { emitAnnotations } from './report/annotations.js'
import { writeJsonReport } from './report/json-report.js'
import { writeSummary } from './report/summary.js'
import { runScan } from './scan.js'
import type { ScanReport } from './types.js'

export async function run(): Promise<void> {
  try {
    const config = readConfig()
    const refs = resolveRefs({
      eventName: process.env.GITHUB_EVENT_NAME ?? '',
      event: await readEvent(process.env.GITHUB_EVENT_PATH),
      full: config.full,
      ...(config.baseRef ? { baseRef: config.baseRef } : {}),
      ...(config.headRef ? { headRef: config.headRef } : {}),
      ...(process.env.GITHUB_SHA ? { sha: process.env.GITHUB_SHA } : {})
    })
    core.info(describeRefs(refs))
    const report = await runScan(config, refs)
    await publish(report, config)
  } catch (error) {
    reportFatal(error)
  }
}

function readConfig(): Config {
  if (process.env.INPUT_TOKEN) core.setSecret(process.env.INPUT_TOKEN)
  return buildConfig({
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
    minReleaseAge: core.getInput('min-release-age'),
    minReleaseAgeExclude: core.getInput('min-release-age-exclude'),
    allowedRegistries: core.getInput('allowed-registries'),
    osv: core.getInput('osv'),
    osvDb: core.getInput('osv-db'),
    osvUrl: core.getInput('osv-url'),
    ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {})
  })
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

async function publish(report: ScanReport, config: Config): Promise<void> {
  emitAnnotations(report, core)
  await writeJsonReport(report, config.reportPath)
  await writeSummary(report, core)
  core.setOutput('verdict', report.verdict)
  core.setOutput('findings', String(report.findings.length))
  core.setOutput('report', config.reportPath)
  core.info(
    `lockgate: ${report.verdict} with ${report.findings.length} finding(s) and ` +
      `${report.errors.length} error(s); report: ${config.reportPath}`
  )
  if (report.verdict === 'fail') {
    core.setFailed(`lockgate: the gate failed (${failureReason(report)})`)
  }
}

function failureReason(report: ScanReport): string {
  const failing = report.findings.filter((f) => isFailing(f.severity, report.failOn))
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
