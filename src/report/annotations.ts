// Annotations on the head lockfile's lines. GitHub keeps only 10 error and 10 warning
// annotations per step and drops the rest silently, so we choose which ones are shown (run
// errors first, then the most severe findings) and add one notice that counts the rest.
// All output goes through the `core` functions, which escape `%`, CR, LF, `:` and `,` in
// properties and `%`, CR, LF in the message; commands are never printed by hand.
// Suppressed findings (covered by an `allow` entry) are never an error or a warning: one notice
// counts them, and the summary lists them with their reasons.
import type { AnnotationProperties } from '@actions/core'
import { severityRank, type Finding, type RunError, type ScanReport } from '../types.js'
import { sanitizeText } from './escape.js'
import {
  activeFindings,
  firstEvidenceLocation,
  plural,
  suppressedFindings,
  usableLine,
  versionChange
} from './format.js'
import { sortFindings } from './sort.js'

/** The part of `@actions/core` this module uses; pass the real `core`, or a fake in tests. */
export interface AnnotationSink {
  error(message: string, properties?: AnnotationProperties): void
  warning(message: string, properties?: AnnotationProperties): void
  notice(message: string, properties?: AnnotationProperties): void
}

/** GitHub's per-step display limit, for each of errors and warnings. */
export const ANNOTATION_LIMIT = 10

const MESSAGE_MAX = 600
const FIELD_MAX = 200

type Level = 'error' | 'warning'

interface Annotation {
  level: Level
  message: string
  properties: AnnotationProperties
}

export function emitAnnotations(report: ScanReport, core: AnnotationSink): void {
  const candidates = [
    ...report.errors.map(errorAnnotation),
    ...sortFindings(activeFindings(report.findings)).map((finding) =>
      findingAnnotation(finding, report.failOn)
    )
  ]
  const shown = { error: 0, warning: 0 }
  let hidden = 0
  for (const annotation of candidates) {
    if (shown[annotation.level] >= ANNOTATION_LIMIT) {
      hidden += 1
      continue
    }
    shown[annotation.level] += 1
    core[annotation.level](annotation.message, annotation.properties)
  }
  // run-wide notices (signals that could not be evaluated) are not counted against the limits
  for (const notice of report.notices) core.notice(sanitizeText(notice, MESSAGE_MAX))
  if (hidden > 0) core.notice(hiddenNotice(hidden))
  const suppressed = suppressedFindings(report.findings).length
  if (suppressed > 0) core.notice(suppressedNotice(suppressed))
}

function suppressedNotice(suppressed: number): string {
  return (
    `${plural(suppressed, 'finding')} suppressed by allow entries of the configuration: ` +
    'not counted in the verdict; listed with their reasons in the job summary.'
  )
}

function hiddenNotice(hidden: number): string {
  return (
    `${plural(hidden, 'more annotation')} not shown: GitHub displays at most ${ANNOTATION_LIMIT} ` +
    `errors and ${ANNOTATION_LIMIT} warnings per step. See the job summary and the JSON report ` +
    'for every finding.'
  )
}

function findingAnnotation(finding: Finding, failOn: ScanReport['failOn']): Annotation {
  const level: Level = severityRank(finding.severity) <= severityRank(failOn) ? 'error' : 'warning'
  return {
    level,
    message: findingMessage(finding),
    properties: location(finding.location.lockfile, finding.location.line, finding.ruleId)
  }
}

/** `name@version (previous -> version): message (evidence: file:line)` */
export function findingMessage(finding: Finding): string {
  const { name, version, previous } = finding.package
  const label = sanitizeText(`${name}@${version}`, FIELD_MAX)
  const change = previous !== undefined ? ` (${sanitizeText(versionChange(finding.package))})` : ''
  const evidence = firstEvidenceLocation(finding)
  const where = evidence !== undefined ? ` (evidence: ${sanitizeText(evidence, FIELD_MAX)})` : ''
  return `${label}${change}: ${sanitizeText(finding.message, MESSAGE_MAX)}${where}`
}

function errorAnnotation(error: RunError): Annotation {
  const about = error.package !== undefined ? ` (${sanitizeText(error.package, FIELD_MAX)})` : ''
  return {
    level: 'error',
    message: `Incomplete analysis${about}: ${sanitizeText(error.message, MESSAGE_MAX)}`,
    properties: location(error.lockfile, error.line, error.ruleId ?? error.code)
  }
}

function location(
  file: string | undefined,
  line: number | undefined,
  title: string
): AnnotationProperties {
  const properties: AnnotationProperties = { title: sanitizeText(title, FIELD_MAX) }
  if (file === undefined || file === '') return properties
  properties.file = sanitizeText(file, FIELD_MAX)
  const startLine = usableLine(line)
  if (startLine !== undefined) properties.startLine = startLine
  return properties
}
