// Reads the head and base text of each lockfile. Head comes from the working tree when that is the
// head commit, else from git. Base comes from git; a shallow checkout (the default of
// actions/checkout) lacks the base commit, so it is fetched once, and if git still cannot give it
// the GitHub contents API is asked. A lockfile absent at base is new: all its packages are added.

import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { GateError, errorMessage } from '../errors.js'
import { isInside } from './discover.js'
import { MAX_GIT_OUTPUT_BYTES, firstLine, runGit } from './git.js'
import type { ScanRefs } from './refs.js'

export interface LockfileTexts {
  path: string
  head: string
  /** undefined: the file is new in head (or full scan). */
  base?: string
}

export interface ReadLockfileOptions {
  workspace: string
  paths: string[]
  refs: ScanRefs
  token?: string
  /** owner/repo */
  repository?: string
  /** GITHUB_API_URL */
  apiUrl?: string
  fetchImpl?: typeof fetch
}

export const MAX_LOCKFILE_BYTES = MAX_GIT_OUTPUT_BYTES
const DEFAULT_API_URL = 'https://api.github.com'
const API_TIMEOUT_MS = 60_000
const NOT_IN_COMMIT = /exists on disk, but not in|does not exist in/

/** The commit the workspace has checked out. */
export async function readHeadCommit(workspace: string): Promise<string> {
  const result = await runGit(workspace, ['rev-parse', '--verify', 'HEAD^{commit}'])
  if (!result.ok) {
    throw new GateError('EGIT', `cannot read the HEAD commit: ${firstLine(result.stderr)}`)
  }
  return result.stdout.trim()
}

/**
 * Head and base text of every path. A path missing from head (the change deletes that lockfile)
 * is left out: nothing it held can be added by this change.
 */
export async function readLockfileTexts(opts: ReadLockfileOptions): Promise<LockfileTexts[]> {
  const reader = new RevisionReader(opts)
  const head = opts.refs.head
  const headFromTree = head === undefined || (await isWorkingTreeCommit(opts.workspace, head))
  const texts: LockfileTexts[] = []
  for (const filePath of opts.paths) {
    assertRelativePath(filePath)
    const headText = headFromTree
      ? await readWorkingTreeFile(opts.workspace, filePath)
      : await reader.read(head, filePath)
    if (headText === undefined) continue
    const base = opts.refs.mode === 'full' ? undefined : opts.refs.base
    const baseText = base === undefined ? undefined : await reader.read(base, filePath)
    texts.push(
      baseText === undefined
        ? { path: filePath, head: headText }
        : { path: filePath, head: headText, base: baseText }
    )
  }
  return texts
}

async function isWorkingTreeCommit(workspace: string, revision: string): Promise<boolean> {
  const result = await runGit(workspace, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${revision}^{commit}`
  ])
  if (!result.ok) return false // not in this checkout, so certainly not what is checked out
  const headCommit = await readHeadCommit(workspace)
  return result.stdout.trim() === headCommit
}

function assertRelativePath(filePath: string): void {
  const segments = filePath.split('/')
  const unsafe =
    filePath.length === 0 ||
    filePath.includes('\0') ||
    filePath.includes('\\') ||
    path.posix.isAbsolute(filePath) ||
    segments.some((segment) => segment === '..' || segment === '')
  if (unsafe)
    throw new GateError('ECONFIG', `lockfile path "${filePath}" is not a plain repo-relative path`)
}

async function readWorkingTreeFile(
  workspace: string,
  filePath: string
): Promise<string | undefined> {
  const root = await realpath(workspace)
  let target: string
  try {
    target = await realpath(path.join(root, filePath))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  // A symlinked lockfile may not lead outside the workspace.
  if (!isInside(root, target)) {
    throw new GateError('ECONFIG', `${filePath} links outside the workspace`, { file: filePath })
  }
  if ((await stat(target)).size > MAX_LOCKFILE_BYTES) throw tooLarge(filePath)
  return readFile(target, 'utf8')
}

function tooLarge(filePath: string): GateError {
  return new GateError('ELOCKFILE', `${filePath} is larger than ${MAX_LOCKFILE_BYTES} bytes`, {
    file: filePath
  })
}

/** Reads files at a revision, fetching each missing commit at most once per run. */
class RevisionReader {
  private readonly available = new Map<string, Promise<CommitAvailability>>()

  constructor(private readonly opts: ReadLockfileOptions) {}

  /** The file's text at `revision`, or undefined when the file does not exist there. */
  async read(revision: string, filePath: string): Promise<string | undefined> {
    const availability = await this.ensureCommit(revision)
    if (availability.ok) return this.show(revision, filePath)
    if (this.opts.token && this.opts.repository) {
      return readFromContentsApi(this.opts as ContentsApiOptions, revision, filePath)
    }
    const why = `the commit is not in the checkout and fetching it failed: ${availability.fetchError}`
    throw this.gitError(`cannot read ${filePath} at ${revision}: ${why}`, filePath)
  }

  private ensureCommit(revision: string): Promise<CommitAvailability> {
    let pending = this.available.get(revision)
    if (pending === undefined) {
      pending = this.findOrFetchCommit(revision)
      this.available.set(revision, pending)
    }
    return pending
  }

  private async findOrFetchCommit(revision: string): Promise<CommitAvailability> {
    if (await this.hasCommit(revision)) return { ok: true }
    // Shallow checkouts hold only the head; one commit of depth 1 is all we need.
    const fetched = await runGit(this.opts.workspace, [
      'fetch',
      '--no-tags',
      '--depth=1',
      '--',
      'origin',
      revision
    ])
    if (await this.hasCommit(revision)) return { ok: true }
    return {
      ok: false,
      fetchError: fetched.ok ? 'the fetch did not bring it' : firstLine(fetched.stderr)
    }
  }

  private async hasCommit(revision: string): Promise<boolean> {
    const args = ['cat-file', '-e', '--end-of-options', `${revision}^{commit}`]
    return (await runGit(this.opts.workspace, args)).ok
  }

  private async show(revision: string, filePath: string): Promise<string | undefined> {
    // `./` makes the path relative to the workspace even when it is a subfolder of the repo.
    const args = ['show', '--no-textconv', '--end-of-options', `${revision}:./${filePath}`]
    const result = await runGit(this.opts.workspace, args)
    if (result.ok) return result.stdout
    if (NOT_IN_COMMIT.test(result.stderr)) return undefined
    throw this.gitError(
      `cannot read ${filePath} at ${revision}: ${firstLine(result.stderr)}`,
      filePath
    )
  }

  private gitError(message: string, filePath: string): GateError {
    return new GateError('EGIT', redact(message, this.opts.token), { file: filePath })
  }
}

type CommitAvailability = { ok: true } | { ok: false; fetchError: string }

type ContentsApiOptions = ReadLockfileOptions & { token: string; repository: string }

async function readFromContentsApi(
  opts: ContentsApiOptions,
  revision: string,
  filePath: string
): Promise<string | undefined> {
  const url = contentsUrl(opts, revision, filePath)
  const fail = (why: string): GateError =>
    new GateError(
      'EGIT',
      redact(
        `cannot read ${filePath} at ${revision} from the GitHub contents API: ${why}`,
        opts.token
      ),
      { file: filePath }
    )
  let response: Response
  try {
    response = await (opts.fetchImpl ?? fetch)(url, {
      headers: {
        Accept: 'application/vnd.github.raw',
        Authorization: `Bearer ${opts.token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'lockgate'
      },
      signal: AbortSignal.timeout(API_TIMEOUT_MS)
    })
  } catch (error) {
    throw fail(errorMessage(error))
  }
  if (response.status === 404) return undefined // not at base: a new lockfile
  if (!response.ok) throw fail(`HTTP ${response.status}`)
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > MAX_LOCKFILE_BYTES) throw tooLarge(filePath)
  const body = await response.arrayBuffer()
  if (body.byteLength > MAX_LOCKFILE_BYTES) throw tooLarge(filePath)
  return new TextDecoder('utf-8').decode(body)
}

function contentsUrl(opts: ContentsApiOptions, revision: string, filePath: string): string {
  if (!/^[\w.-]+\/[\w.-]+$/.test(opts.repository)) {
    throw new GateError('ECONFIG', `repository "${opts.repository}" is not in owner/repo form`)
  }
  const apiUrl = (opts.apiUrl || DEFAULT_API_URL).replace(/\/+$/, '')
  const encodedPath = filePath.split('/').map(encodeURIComponent).join('/')
  return `${apiUrl}/repos/${opts.repository}/contents/${encodedPath}?ref=${encodeURIComponent(revision)}`
}

/** Removes the token, and any credentials embedded in a URL, from text bound for logs. */
export function redact(text: string, token?: string): string {
  const withoutToken = token ? text.split(token).join('***') : text
  return withoutToken.replace(/:\/\/[^/@\s]+@/g, '://***@')
}
