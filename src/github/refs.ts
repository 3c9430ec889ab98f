// Which commits to compare: the base and head of a pull request (or merge group, or push), or a
// full scan of the head when there is no meaningful base (schedule, manual run, new branch).
// Every revision ends up as an argument to git, so each one is validated here, once, before any
// git command sees it.

import { GateError } from '../errors.js'

export interface ScanRefs {
  mode: 'pull-request' | 'full'
  /** Commit (or revision) the head is compared with; undefined in a full scan. */
  base?: string
  /** Commit to read head lockfiles from; undefined means the workspace's working tree. */
  head?: string
  /** One sentence for logs and the summary: why these refs were chosen. */
  reason: string
}

export interface ResolveRefsOptions {
  eventName: string
  /** Parsed GITHUB_EVENT_PATH JSON; may be {}. */
  event: unknown
  baseRef?: string
  headRef?: string
  full?: boolean
  /** GITHUB_SHA */
  sha?: string
}

/** `before` of a push that created the branch: there is no previous commit to compare with. */
export const ZERO_SHA = '0000000000000000000000000000000000000000'

const MAX_REVISION_LENGTH = 256

/**
 * Throws unless `value` is safe to pass to git as a revision: no leading `-` (it would be read as
 * an option), no whitespace or control characters, no `:` (we append `:path` ourselves) and no
 * `..` (a range, never a single commit).
 */
export function assertSafeRevision(value: string, field: string): string {
  const problem = revisionProblem(value)
  if (problem !== undefined) {
    throw new GateError('EREFS', `${field} is not a usable git revision (${problem})`)
  }
  return value
}

function revisionProblem(value: string): string | undefined {
  if (value.length === 0) return 'empty'
  if (value.length > MAX_REVISION_LENGTH) return `longer than ${MAX_REVISION_LENGTH} characters`
  if (value.startsWith('-')) return 'starts with "-"'
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(value)) return 'contains whitespace or control characters'
  if (value.includes(':')) return 'contains ":"'
  if (value.includes('..')) return 'contains ".."'
  return undefined
}

export function resolveRefs(opts: ResolveRefsOptions): ScanRefs {
  const headRef = opts.headRef ? assertSafeRevision(opts.headRef, 'head-ref') : undefined
  // Explicit inputs win over everything, including `full`: the user named the commits.
  if (opts.baseRef) {
    const base = assertSafeRevision(opts.baseRef, 'base-ref')
    return withHead({ mode: 'pull-request', base, reason: 'base-ref input' }, headRef)
  }
  if (opts.full) return withHead({ mode: 'full', reason: 'full scan requested' }, headRef)
  const fromEvent = refsFromEvent(opts.eventName, opts.event, opts.sha)
  return headRef === undefined ? fromEvent : withHead(fromEvent, headRef)
}

function withHead(refs: ScanRefs, head: string | undefined): ScanRefs {
  if (head === undefined) return refs
  return { ...refs, head }
}

function refsFromEvent(eventName: string, event: unknown, sha?: string): ScanRefs {
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target':
      return pullRequestRefs(eventName, event)
    case 'merge_group':
      return mergeGroupRefs(event)
    case 'push':
      return pushRefs(event, sha)
    case 'schedule':
    case 'workflow_dispatch':
      return { mode: 'full', reason: `${eventName} event: full scan` }
    default:
      return { mode: 'full', reason: `unknown event "${eventName}": full scan` }
  }
}

function pullRequestRefs(eventName: string, event: unknown): ScanRefs {
  // For pull_request_target the working tree is usually the base branch, so the head SHA is
  // always returned and the reader decides whether the working tree already is that commit.
  const base = requiredRevision(event, ['pull_request', 'base', 'sha'])
  const head = requiredRevision(event, ['pull_request', 'head', 'sha'])
  return { mode: 'pull-request', base, head, reason: `${eventName} event` }
}

function mergeGroupRefs(event: unknown): ScanRefs {
  const base = requiredRevision(event, ['merge_group', 'base_sha'])
  const head = requiredRevision(event, ['merge_group', 'head_sha'])
  return { mode: 'pull-request', base, head, reason: 'merge_group event' }
}

function pushRefs(event: unknown, sha?: string): ScanRefs {
  const after = optionalString(event, ['after']) ?? sha
  if (after === undefined) throw missingField('after')
  const head = assertSafeRevision(after, 'after')
  const before = requiredRevision(event, ['before'])
  if (before === ZERO_SHA) return { mode: 'full', head, reason: 'push of a new branch: full scan' }
  return { mode: 'pull-request', base: before, head, reason: 'push event' }
}

function requiredRevision(event: unknown, path: string[]): string {
  const value = optionalString(event, path)
  if (value === undefined) throw missingField(path.join('.'))
  return assertSafeRevision(value, path.join('.'))
}

function missingField(field: string): GateError {
  return new GateError('EREFS', `the event payload has no ${field}`)
}

function optionalString(value: unknown, path: string[]): string | undefined {
  let current = value
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return typeof current === 'string' && current.length > 0 ? current : undefined
}
