// Loads the bundled feed and the user's feeds (workspace files or HTTPS URLs) into one index.
// A feed that cannot be loaded fails the run (EFEED): scanning without it would pass packages the
// user asked us to block.
import { realpath, stat, readFile } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import { GateError, errorMessage } from '../errors.js'
import type { IocEntry, IocIndex } from '../rules/types.js'
import bundledFeed from './data/feed.json' with { type: 'json' }
import { parseFeed, validateFeed } from './feed.js'
import { buildIocIndex } from './index.js'

export const BUNDLED_FEED_ORIGIN = 'bundled'
export const DEFAULT_FEED_TIMEOUT_MS = 15_000
/** Largest feed accepted, from disk or network. */
export const MAX_FEED_BYTES = 20 * 1024 * 1024
/** Plain http is only for feeds served from this machine (tests, local mirrors). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

export interface LoadFeedsOptions {
  /** Directory that feed paths are relative to; a path may not leave it. */
  workspace: string
  /** Paths or URLs, already split and trimmed; empty strings are ignored. */
  feeds: string[]
  /** Include the feed shipped with lockgate (default true). */
  useBundled?: boolean
  timeoutMs?: number
  fetchImpl?: typeof fetch
}

export async function loadFeeds(opts: LoadFeedsOptions): Promise<IocIndex> {
  return buildIocIndex(await loadFeedEntries(opts))
}

/**
 * The entries of every feed, before indexing: what a verdict cache hashes to know whether the
 * indicators that the content of a tarball is matched against changed since a verdict was stored.
 */
export async function loadFeedEntries(opts: LoadFeedsOptions): Promise<IocEntry[]> {
  const entries: IocEntry[] = opts.useBundled === false ? [] : loadBundledFeed()
  for (const feed of opts.feeds.map((item) => item.trim()).filter(Boolean)) {
    const text = isUrlLike(feed) ? await fetchFeed(feed, opts) : await readFeedFile(feed, opts)
    entries.push(...parseFeed(text, feed))
  }
  return entries
}

/** The feed shipped inside the bundle. */
export function loadBundledFeed(): IocEntry[] {
  return validateFeed(bundledFeed, BUNDLED_FEED_ORIGIN)
}

function isUrlLike(feed: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(feed)
}

async function readFeedFile(feed: string, opts: LoadFeedsOptions): Promise<string> {
  const workspace = resolve(opts.workspace)
  const path = resolve(workspace, feed)
  if (!isInside(workspace, path)) {
    throw new GateError('EFEED', `${feed}: feed path is outside the workspace`, { file: feed })
  }
  try {
    // Resolve symlinks too: a link inside the workspace may point anywhere.
    const real = await realpath(path)
    if (!isInside(await realpath(workspace), real)) {
      throw new GateError('EFEED', `${feed}: feed path is outside the workspace`, { file: feed })
    }
    const info = await stat(real)
    if (!info.isFile()) throw new Error('not a file')
    if (info.size > MAX_FEED_BYTES) throw new Error(`larger than ${MAX_FEED_BYTES} bytes`)
    return await readFile(real, 'utf8')
  } catch (error) {
    if (error instanceof GateError) throw error
    throw new GateError('EFEED', `${feed}: cannot read feed (${errorMessage(error)})`, {
      file: feed
    })
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

async function fetchFeed(feed: string, opts: LoadFeedsOptions): Promise<string> {
  checkFeedUrl(feed)
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FEED_TIMEOUT_MS
  const fetchImpl = opts.fetchImpl ?? fetch
  try {
    const response = await fetchImpl(feed, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
      headers: { accept: 'application/json' }
    })
    // A redirect must not downgrade to plain http on another host.
    if (response.url) checkFeedUrl(response.url)
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    return await readCappedBody(response)
  } catch (error) {
    if (error instanceof GateError) throw error
    const name = (error as Error | undefined)?.name
    const reason =
      name === 'TimeoutError' || name === 'AbortError'
        ? `timed out after ${timeoutMs} ms`
        : errorMessage(error)
    throw new GateError('EFEED', `${feed}: cannot fetch feed (${reason})`)
  }
}

/** Only https, or plain http to this machine. */
export function checkFeedUrl(feed: string): void {
  let url: URL
  try {
    url = new URL(feed)
  } catch {
    throw new GateError('EFEED', `${feed}: not a valid URL`)
  }
  if (url.protocol === 'https:') return
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return
  throw new GateError(
    'EFEED',
    `${feed}: feeds must be workspace paths or https:// URLs (plain http only for localhost)`
  )
}

async function readCappedBody(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > MAX_FEED_BYTES) throw new Error(`larger than ${MAX_FEED_BYTES} bytes`)
  if (!response.body) return ''
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of response.body) {
    total += chunk.byteLength
    if (total > MAX_FEED_BYTES) throw new Error(`larger than ${MAX_FEED_BYTES} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
