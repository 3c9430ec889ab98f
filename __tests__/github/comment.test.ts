import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  COMMENT_MARKER,
  pullRequestNumber,
  upsertComment,
  type CommentOptions
} from '../../src/github/comment.js'
import { makeFinding, makeReport } from '../report/report-factory.js'

interface StoredComment {
  id: number
  body: string
  user: { type: string }
  html_url: string
}

interface Logged {
  method: string
  url: string
  authorization?: string
  body?: { body?: string }
}

/** Emulates GitHub's issue comment endpoints for pull request 7 of acme/app. */
class FakeGitHub {
  comments: StoredComment[] = []
  log: Logged[] = []
  createStatus = 201
  nextId = 1000
  private server?: Server

  reset(): void {
    this.comments = []
    this.log = []
    this.createStatus = 201
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    return `http://127.0.0.1:${port}/api/v3`
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  add(body: string, type = 'User'): StoredComment {
    const comment = { id: this.nextId++, body, user: { type }, html_url: '' }
    comment.html_url = `http://127.0.0.1/acme/app/pull/7#issuecomment-${comment.id}`
    this.comments.push(comment)
    return comment
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const method = req.method ?? 'GET'
    this.log.push({
      method,
      url: `${url.pathname}${url.search}`,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(raw ? { body: JSON.parse(raw) as { body?: string } } : {})
    })
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(data))
    }
    const list = url.pathname === '/api/v3/repos/acme/app/issues/7/comments'
    const one = /^\/api\/v3\/repos\/acme\/app\/issues\/comments\/(\d+)$/.exec(url.pathname)
    if (list && method === 'GET') return this.list(url, send)
    if (list && method === 'POST') {
      if (this.createStatus !== 201)
        return send(this.createStatus, { message: 'Resource not accessible by integration' })
      return send(201, this.add(JSON.parse(raw).body as string, 'Bot'))
    }
    if (one && method === 'PATCH') {
      const comment = this.comments.find((c) => c.id === Number(one[1]))
      if (!comment) return send(404, { message: 'Not Found' })
      comment.body = (JSON.parse(raw) as { body: string }).body
      return send(200, comment)
    }
    send(404, { message: 'Not Found' })
  }

  private list(
    url: URL,
    send: (status: number, data: unknown, h?: Record<string, string>) => void
  ) {
    const perPage = Number(url.searchParams.get('per_page') ?? 30)
    const page = Number(url.searchParams.get('page') ?? 1)
    const slice = this.comments.slice((page - 1) * perPage, page * perPage)
    const last = Math.max(1, Math.ceil(this.comments.length / perPage))
    const next = `<http://127.0.0.1/api/v3/repos/acme/app/issues/7/comments?per_page=${perPage}&page=${page + 1}>; rel="next"`
    send(200, slice, page < last ? { link: next } : {})
  }
}

const github = new FakeGitHub()
let apiUrl = ''

beforeAll(async () => {
  apiUrl = await github.start()
})
afterAll(async () => {
  await github.stop()
})
beforeEach(() => {
  github.reset()
})

const failing = makeReport({ verdict: 'fail', findings: [makeFinding({ severity: 'critical' })] })
const passing = makeReport({ verdict: 'pass' })

function options(overrides: Partial<CommentOptions> = {}): CommentOptions {
  return {
    mode: 'always',
    token: 'test-token',
    repository: 'acme/app',
    prNumber: 7,
    apiUrl,
    ...overrides
  }
}

describe('upsertComment', () => {
  it('creates one comment with the marker, the verdict and the findings table', async () => {
    github.add('an unrelated review comment')
    const outcome = await upsertComment(failing, options())
    expect(outcome.action).toBe('created')
    expect(outcome.url).toContain('#issuecomment-')
    const created = github.comments[1]
    expect(created?.body.startsWith(COMMENT_MARKER)).toBe(true)
    expect(created?.body).toContain('lockgate: FAIL (1 critical)')
    expect(created?.body).toContain('| Severity | Package | Location | Rule | Message |')
    expect(github.log[0]?.authorization).toBe('Bearer test-token')
  })

  it('updates the marked comment in place on the next run', async () => {
    await upsertComment(failing, options())
    const outcome = await upsertComment(passing, options())
    expect(outcome.action).toBe('updated')
    expect(github.comments).toHaveLength(1)
    expect(github.comments[0]?.body).toContain('lockgate: PASS')
    expect(github.log.map((l) => l.method)).toEqual(['GET', 'POST', 'GET', 'PATCH'])
  })

  it('follows the pagination of the comment list to find the marker on a later page', async () => {
    for (let i = 0; i < 150; i += 1) github.add(`comment ${i}`)
    const ours = github.add(`${COMMENT_MARKER}\nold body`, 'Bot')
    for (let i = 0; i < 60; i += 1) github.add(`late comment ${i}`)
    const outcome = await upsertComment(failing, options())
    expect(outcome.action).toBe('updated')
    expect(github.log.filter((l) => l.method === 'GET').map((l) => l.url)).toEqual([
      '/api/v3/repos/acme/app/issues/7/comments?per_page=100&page=1',
      '/api/v3/repos/acme/app/issues/7/comments?per_page=100&page=2',
      '/api/v3/repos/acme/app/issues/7/comments?per_page=100&page=3'
    ])
    expect(github.log.at(-1)).toMatchObject({
      method: 'PATCH',
      url: `/api/v3/repos/acme/app/issues/comments/${ours.id}`
    })
    expect(github.comments).toHaveLength(211)
  })

  it('prefers the comment a bot wrote when a user quoted the marker', async () => {
    github.add(`${COMMENT_MARKER} quoted by a user`, 'User')
    const bot = github.add(`${COMMENT_MARKER}\nprevious run`, 'Bot')
    await upsertComment(failing, options())
    expect(github.log.at(-1)?.url).toBe(`/api/v3/repos/acme/app/issues/comments/${bot.id}`)
    expect(github.comments[0]?.body).toBe(`${COMMENT_MARKER} quoted by a user`)
  })

  it('returns a notice on a 403 when creating (a fork), and does not throw', async () => {
    github.createStatus = 403
    const outcome = await upsertComment(failing, options())
    expect(outcome.action).toBe('unavailable')
    expect(outcome.message).toContain('HTTP 403')
    expect(outcome.message).toContain('Resource not accessible by integration')
    expect(outcome.message).toContain('pull-requests: write')
    expect(outcome.message).not.toContain('test-token')
  })

  it('returns a notice when the API cannot be reached', async () => {
    const outcome = await upsertComment(failing, options({ apiUrl: 'http://127.0.0.1:1' }))
    expect(outcome.action).toBe('unavailable')
    expect(outcome.message).toContain("The gate's result is unaffected")
  })

  it('returns a notice without a token, and makes no request', async () => {
    const outcome = await upsertComment(failing, options({ token: '' }))
    expect(outcome).toMatchObject({ action: 'unavailable' })
    expect(outcome.message).toContain('no token')
    expect(github.log).toHaveLength(0)
  })

  it('does nothing with comment: never, or outside a pull request', async () => {
    expect((await upsertComment(failing, options({ mode: 'never' }))).action).toBe('skipped')
    const noPr = options()
    delete noPr.prNumber
    expect((await upsertComment(failing, noPr)).action).toBe('skipped')
    expect(github.log).toHaveLength(0)
  })

  it('on-failure: no new comment for a pass, but an earlier one is brought up to date', async () => {
    const first = await upsertComment(passing, options({ mode: 'on-failure' }))
    expect(first.action).toBe('skipped')
    expect(github.comments).toHaveLength(0)
    await upsertComment(failing, options({ mode: 'on-failure' }))
    const fixed = await upsertComment(passing, options({ mode: 'on-failure' }))
    expect(fixed.action).toBe('updated')
    expect(github.comments[0]?.body).toContain('lockgate: PASS')
  })

  it('refuses a repository name that could change the request path', async () => {
    const outcome = await upsertComment(failing, options({ repository: 'acme/app/../../x' }))
    expect(outcome.action).toBe('unavailable')
    const dots = await upsertComment(failing, options({ repository: 'acme/..' }))
    expect(dots.action).toBe('unavailable')
    expect(github.log).toHaveLength(0)
  })
})

describe('pullRequestNumber', () => {
  it('reads the number of a pull_request event and nothing else', () => {
    expect(pullRequestNumber({ pull_request: { number: 7 } })).toBe(7)
    expect(pullRequestNumber({ merge_group: {} })).toBeUndefined()
    expect(pullRequestNumber({ pull_request: { number: '7' } })).toBeUndefined()
    expect(pullRequestNumber(null)).toBeUndefined()
  })
})
