// JSON over HTTP for OSV's API: a timeout per request, an overall deadline, a couple of retries on
// network errors, timeouts, 5xx and 429, and a cap on the size of an answer.
import { MAX_RESPONSE_BYTES } from './limits.js'

/** OSV could not be reached (network, timeout, deadline, HTTP error): the lookup degrades. */
export class OsvUnavailable extends Error {}
/** OSV answered something that is not what its API documents. */
export class OsvMalformed extends Error {}
/** A 4xx answer: the request itself was refused (a record id that does not exist, say). */
export class OsvHttpError extends OsvUnavailable {
  constructor(readonly status: number) {
    super(`HTTP ${status}`)
  }
}

export interface HttpClient {
  fetchImpl: typeof fetch
  /** Per request. */
  timeoutMs: number
  /** Epoch milliseconds after which no request starts or waits. */
  deadline: number
}

const RETRIES = 2
const BACKOFF_MS = 250

export async function requestJson(http: HttpClient, url: string, body?: unknown): Promise<unknown> {
  let reason = 'no attempt made'
  for (let attempt = 0; attempt <= RETRIES; attempt += 1) {
    if (attempt > 0) await sleep(Math.min(backoff(http, attempt), remaining(http)))
    if (remaining(http) <= 0) break
    try {
      return await attemptOnce(http, url, body)
    } catch (error) {
      if (!(error instanceof Retryable)) throw error
      reason = error.message
    }
  }
  throw new OsvUnavailable(remaining(http) <= 0 ? `${reason}; time limit reached` : reason)
}

class Retryable extends Error {}

async function attemptOnce(http: HttpClient, url: string, body: unknown): Promise<unknown> {
  const timeoutMs = Math.max(1, Math.min(http.timeoutMs, remaining(http)))
  let text: string
  try {
    const response = await http.fetchImpl(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs)
    })
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel()
      throw new Retryable(`HTTP ${response.status}`)
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw new OsvHttpError(response.status)
    }
    text = await readBounded(response)
  } catch (error) {
    if (error instanceof Retryable || error instanceof OsvUnavailable) throw error
    if (error instanceof OsvMalformed) throw error
    throw new Retryable(describeFailure(error, timeoutMs))
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new OsvMalformed('the answer is not JSON')
  }
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body) {
    size += chunk.byteLength
    if (size > MAX_RESPONSE_BYTES) {
      await response.body.cancel().catch(() => undefined)
      throw new OsvMalformed(`the answer is over ${MAX_RESPONSE_BYTES / 2 ** 20} MiB`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function describeFailure(error: unknown, timeoutMs: number): string {
  // duck-typed: errors from the runtime's fetch may come from another realm (test sandboxes)
  const { name, message, cause } = (error ?? {}) as {
    name?: string
    message?: string
    cause?: unknown
  }
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`
  const code = (cause as { code?: unknown } | undefined)?.code
  if (typeof code === 'string') return code
  return typeof message === 'string' ? message : String(error)
}

/** Short waits between tries, never longer than one request may take. */
function backoff(http: HttpClient, attempt: number): number {
  return Math.min(BACKOFF_MS * 2 ** (attempt - 1), http.timeoutMs)
}

function remaining(http: HttpClient): number {
  return http.deadline - Date.now()
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
