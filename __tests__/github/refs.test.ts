import { describe, it, expect } from '@jest/globals'
import { GateError } from '../../src/errors.js'
import { ZERO_SHA, assertSafeRevision, resolveRefs } from '../../src/github/refs.js'

const BASE = 'a'.repeat(40)
const HEAD = 'b'.repeat(40)

function pullRequestEvent(base?: string, head?: string) {
  return { pull_request: { base: { sha: base }, head: { sha: head } } }
}

function catchError(run: () => unknown): GateError {
  try {
    run()
  } catch (error) {
    if (error instanceof GateError) return error
    throw error
  }
  throw new Error('expected a GateError')
}

describe('resolveRefs from events', () => {
  it.each(['pull_request', 'pull_request_target'])(
    '%s compares base.sha with head.sha',
    (eventName) => {
      const refs = resolveRefs({ eventName, event: pullRequestEvent(BASE, HEAD) })
      expect(refs).toMatchObject({ mode: 'pull-request', base: BASE, head: HEAD })
      expect(refs.reason).toContain(eventName)
    }
  )

  it('merge_group compares base_sha with head_sha', () => {
    const event = { merge_group: { base_sha: BASE, head_sha: HEAD } }
    expect(resolveRefs({ eventName: 'merge_group', event })).toMatchObject({
      mode: 'pull-request',
      base: BASE,
      head: HEAD
    })
  })

  it('push compares before with after', () => {
    const refs = resolveRefs({ eventName: 'push', event: { before: BASE, after: HEAD } })
    expect(refs).toMatchObject({ mode: 'pull-request', base: BASE, head: HEAD })
  })

  it('push of a new branch (all-zero before) is a full scan', () => {
    const refs = resolveRefs({ eventName: 'push', event: { before: ZERO_SHA, after: HEAD } })
    expect(refs.mode).toBe('full')
    expect(refs.base).toBeUndefined()
    expect(refs.reason).toMatch(/new branch/)
  })

  it('push without after falls back to GITHUB_SHA', () => {
    const refs = resolveRefs({ eventName: 'push', event: { before: BASE }, sha: HEAD })
    expect(refs).toMatchObject({ base: BASE, head: HEAD })
  })

  it.each(['schedule', 'workflow_dispatch'])(
    '%s is a full scan of the working tree',
    (eventName) => {
      const refs = resolveRefs({ eventName, event: {} })
      expect(refs).toEqual({ mode: 'full', reason: expect.stringContaining(eventName) })
    }
  )

  it('an unknown event is a full scan whose reason says so', () => {
    const refs = resolveRefs({ eventName: 'issue_comment', event: {} })
    expect(refs.mode).toBe('full')
    expect(refs.reason).toMatch(/unknown event "issue_comment"/)
  })
})

describe('resolveRefs with inputs', () => {
  it('base-ref and head-ref override the event', () => {
    const refs = resolveRefs({
      eventName: 'pull_request',
      event: pullRequestEvent(BASE, HEAD),
      baseRef: 'main',
      headRef: 'feature/x'
    })
    expect(refs).toMatchObject({ mode: 'pull-request', base: 'main', head: 'feature/x' })
  })

  it('base-ref alone reads head from the working tree, even on a scheduled run', () => {
    const refs = resolveRefs({ eventName: 'schedule', event: {}, baseRef: 'HEAD~1' })
    expect(refs.mode).toBe('pull-request')
    expect(refs.base).toBe('HEAD~1')
    expect(refs.head).toBeUndefined()
  })

  it('base-ref wins over full', () => {
    expect(resolveRefs({ eventName: 'push', event: {}, baseRef: BASE, full: true }).mode).toBe(
      'pull-request'
    )
  })

  it('head-ref alone keeps the event base', () => {
    const refs = resolveRefs({
      eventName: 'pull_request',
      event: pullRequestEvent(BASE, HEAD),
      headRef: 'x'
    })
    expect(refs).toMatchObject({ base: BASE, head: 'x' })
  })

  it('full scans even a pull request, without reading its payload', () => {
    const refs = resolveRefs({ eventName: 'pull_request', event: {}, full: true })
    expect(refs).toEqual({ mode: 'full', reason: 'full scan requested' })
  })
})

describe('resolveRefs errors', () => {
  it.each([
    [pullRequestEvent(undefined, HEAD), 'pull_request.base.sha'],
    [pullRequestEvent(BASE, undefined), 'pull_request.head.sha'],
    [{}, 'pull_request.base.sha']
  ])('a pull request payload without a field names it', (event, field) => {
    const error = catchError(() => resolveRefs({ eventName: 'pull_request', event }))
    expect(error.code).toBe('EREFS')
    expect(error.message).toContain(field)
  })

  it('a merge group without head_sha names it', () => {
    const event = { merge_group: { base_sha: BASE } }
    const error = catchError(() => resolveRefs({ eventName: 'merge_group', event }))
    expect(error.message).toContain('merge_group.head_sha')
  })

  it('a push without before names it', () => {
    const error = catchError(() => resolveRefs({ eventName: 'push', event: { after: HEAD } }))
    expect(error).toMatchObject({ code: 'EREFS' })
    expect(error.message).toContain('before')
  })

  it.each(['--upload-pack=evil', 'a b', 'a\nb', 'main:secret', 'a..b', '', 'x'.repeat(300)])(
    'rejects the unsafe revision %j',
    (revision) => {
      expect(() => resolveRefs({ eventName: 'push', event: {}, baseRef: revision || ' ' })).toThrow(
        GateError
      )
      expect(() => assertSafeRevision(revision, 'base-ref')).toThrow(/base-ref/)
    }
  )

  it('rejects an unsafe SHA in the event payload', () => {
    const event = pullRequestEvent('-oProxyCommand=x', HEAD)
    expect(catchError(() => resolveRefs({ eventName: 'pull_request', event })).code).toBe('EREFS')
  })

  it('accepts ordinary revisions', () => {
    for (const revision of [BASE, 'main', 'HEAD~1', 'refs/pull/1/head', 'v1.2.3', 'HEAD^']) {
      expect(assertSafeRevision(revision, 'base-ref')).toBe(revision)
    }
  })
})
