// The pull request comment: one per pull request, found again by its hidden marker and edited in
// place on every run, so a pull request never collects a stack of lockgate comments. It is an
// extra: without a token, on a fork's pull request (read-only token: 403 or 404 on write) or on
// any API failure it returns a notice to log, and never throws, so the gate's verdict stands.
//
// REST endpoints (issue comments; a pull request is an issue):
//   GET   {api}/repos/{owner}/{repo}/issues/{number}/comments?per_page=100&page=N
//   POST  {api}/repos/{owner}/{repo}/issues/{number}/comments        { body }
//   PATCH {api}/repos/{owner}/{repo}/issues/comments/{comment_id}    { body }
import { COMMENT_MARKER, renderCommentBody } from '../report/comment-body.js'
import { clip, sanitizeText } from '../report/escape.js'
import type { ScanReport } from '../types.js'

export { COMMENT_MARKER }

export const COMMENT_MODES = ['never', 'on-failure', 'always'] as const
export type CommentMode = (typeof COMMENT_MODES)[number]

export function isCommentMode(value: string): value is CommentMode {
  return (COMMENT_MODES as readonly string[]).includes(value)
}

export interface CommentOptions {
  /** `never`: no API call; `on-failure`: post when the gate fails (and keep an earlier comment
   *  up to date); `always`: post on every run. */
  mode: CommentMode
  /** Needs `pull-requests: write`; absent or empty: a notice, no comment. */
  token?: string
  /** `owner/repo` (GITHUB_REPOSITORY). */
  repository: string
  /** The pull request number; absent outside pull request events: nothing to do. */
  prNumber?: number
  /** GITHUB_API_URL. */
  apiUrl: string
  /** Link to the workflow run, for the comment's footer. */
  runUrl?: string
  fetchImpl?: typeof fetch
  /** Per request. Default 15 s. */
  timeoutMs?: number
}

export interface CommentOutcome {
  /** `unavailable`: the comment could not be written; `message` says why (log it as a notice). */
  action: 'created' | 'updated' | 'skipped' | 'unavailable'
  message: string
  /** The comment's page, when one was written. */
  url?: string
}

interface IssueComment {
  id: number
  body?: string
  html_url?: string
  user?: { type?: string }
}

const PER_PAGE = 100
/** 3,000 comments: past that, a new comment is better than an endless listing. */
const MAX_PAGES = 30
const DEFAULT_TIMEOUT_MS = 15_000

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/** Creates or updates lockgate's comment on the pull request. Never throws. */
export async function upsertComment(
  report: ScanReport,
  options: CommentOptions
): Promise<CommentOutcome> {
  const skip = reasonToSkip(options)
  if (skip !== undefined) return skip
  try {
    return await writeComment(report, options)
  } catch (error) {
    return { action: 'unavailable', message: describeFailure(error) }
  }
}

function reasonToSkip(options: CommentOptions): CommentOutcome | undefined {
  const skipped = (message: string): CommentOutcome => ({ action: 'skipped', message })
  if (options.mode === 'never')
    return skipped('lockgate: pull request comment disabled (comment: never)')
  if (options.prNumber === undefined) {
    return skipped('lockgate: no pull request comment: this run is not for a pull request')
  }
  const unavailable = (why: string): CommentOutcome => ({
    action: 'unavailable',
    message: `lockgate: could not comment on the pull request: ${why}. The gate's result is unaffected.`
  })
  if (!options.token) return unavailable('no token was given')
  if (!isRepositoryName(options.repository)) {
    return unavailable(`"${sanitizeText(options.repository, 200)}" is not an owner/repo name`)
  }
  if (!Number.isSafeInteger(options.prNumber) || options.prNumber <= 0) {
    return unavailable('the pull request number is not valid')
  }
  if (!/^https?:\/\//.test(options.apiUrl)) return unavailable('the API URL is not an http(s) URL')
  return undefined
}

/** `owner/repo`, with no `.` or `..` segment that would move the request to another path. */
function isRepositoryName(text: string): boolean {
  return /^[\w.-]+\/[\w.-]+$/.test(text) && !text.split('/').some((part) => /^\.+$/.test(part))
}

async function writeComment(report: ScanReport, options: CommentOptions): Promise<CommentOutcome> {
  const api = new IssueCommentsApi(options)
  const existing = await api.findMarked()
  if (existing === undefined && options.mode === 'on-failure' && report.verdict !== 'fail') {
    return {
      action: 'skipped',
      message: 'lockgate: no pull request comment: the gate did not fail (comment: on-failure)'
    }
  }
  const body = renderCommentBody(report, options.runUrl ? { runUrl: options.runUrl } : {})
  if (existing !== undefined) {
    const updated = await api.update(existing.id, body)
    return withUrl('updated', 'lockgate: updated the pull request comment', updated)
  }
  const created = await api.create(body)
  return withUrl('created', 'lockgate: commented on the pull request', created)
}

function withUrl(
  action: 'created' | 'updated',
  message: string,
  comment: IssueComment
): CommentOutcome {
  const url = typeof comment.html_url === 'string' ? comment.html_url : undefined
  return url !== undefined ? { action, message: `${message}: ${url}`, url } : { action, message }
}

class IssueCommentsApi {
  private readonly base: string
  private readonly fetchImpl: typeof fetch
  private readonly timeoutMs: number

  constructor(private readonly options: CommentOptions) {
    this.base = `${options.apiUrl.replace(/\/+$/, '')}/repos/${options.repository}/issues`
    this.fetchImpl = options.fetchImpl ?? fetch
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  /** The comment carrying the marker; one written by a bot (the workflow token) first. */
  async findMarked(): Promise<IssueComment | undefined> {
    const marked: IssueComment[] = []
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const url = `${this.base}/${this.options.prNumber}/comments?per_page=${PER_PAGE}&page=${page}`
      const { data, response } = await this.request('GET', url)
      const comments = Array.isArray(data) ? (data as IssueComment[]) : []
      marked.push(...comments.filter(isMarked))
      if (!hasNextPage(response, comments.length)) break
    }
    return marked.find((comment) => comment.user?.type === 'Bot') ?? marked[0]
  }

  async create(body: string): Promise<IssueComment> {
    const url = `${this.base}/${this.options.prNumber}/comments`
    return (await this.request('POST', url, { body })).data as IssueComment
  }

  async update(id: number, body: string): Promise<IssueComment> {
    return (await this.request('PATCH', `${this.base}/comments/${id}`, { body }))
      .data as IssueComment
  }

  private async request(
    method: string,
    url: string,
    payload?: unknown
  ): Promise<{ data: unknown; response: Response }> {
    const response = await this.fetchImpl(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.options.token ?? ''}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'lockgate',
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {})
      },
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
      signal: AbortSignal.timeout(this.timeoutMs)
    })
    const text = await response.text()
    if (!response.ok) throw new ApiError(response.status, `${method} ${apiMessage(text)}`)
    return { data: text === '' ? undefined : (JSON.parse(text) as unknown), response }
  }
}

function isMarked(comment: IssueComment): boolean {
  return (
    typeof comment.id === 'number' &&
    typeof comment.body === 'string' &&
    comment.body.startsWith(COMMENT_MARKER)
  )
}

/** GitHub says so in the Link header; without one, a full page may have a successor. */
function hasNextPage(response: Response, count: number): boolean {
  const link = response.headers.get('link')
  if (link !== null) return /rel="next"/.test(link)
  return count === PER_PAGE
}

/** The API's own `message`, bounded and made safe for the log. */
function apiMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown }
    if (typeof parsed.message === 'string') return sanitizeText(parsed.message, 200)
  } catch {
    // not JSON: fall through to the raw text
  }
  return sanitizeText(clip(text, 200), 200)
}

function describeFailure(error: unknown): string {
  const prefix = 'lockgate: could not comment on the pull request'
  const suffix = "The gate's result is unaffected; the job summary has the full report."
  if (error instanceof ApiError) {
    const hint =
      error.status === 403 || error.status === 404
        ? ': the token cannot write to this pull request (a pull request from a fork gets a ' +
          'read-only token; otherwise grant `permissions: pull-requests: write`)'
        : ''
    return `${prefix} (HTTP ${error.status}, ${error.message})${hint}. ${suffix}`
  }
  const why = error instanceof Error ? sanitizeText(error.message, 200) : 'unknown error'
  return `${prefix} (${why}). ${suffix}`
}

/** The pull request number in an event payload (`pull_request`, `pull_request_target`). */
export function pullRequestNumber(event: unknown): number | undefined {
  if (typeof event !== 'object' || event === null) return undefined
  const pr = (event as { pull_request?: { number?: unknown } }).pull_request
  const number = pr?.number
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0
    ? number
    : undefined
}
