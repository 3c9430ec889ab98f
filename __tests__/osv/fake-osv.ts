// A local stand-in for OSV's API on 127.0.0.1: `POST /v1/querybatch` answers from a table of
// name@version -> ids (paged when `pageSize` is set), `GET /v1/vulns/{id}` serves full records.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeOsvOptions {
  /** `${name}@${version}` -> ids the batch API returns. */
  answers?: Record<string, string[]>
  /** id -> full record served by the vulns endpoint (absent: 404). */
  records?: Record<string, unknown>
  /** Vulns per query per page; a `next_page_token` asks for the rest. */
  pageSize?: number
  /** Answer the first N requests with 503. */
  failFirst?: number
  /** Never answer (the connection stays open). */
  hang?: boolean
  /** Answer the batch with this body instead. */
  batchBody?: string
}

export interface LoggedRequest {
  method: string
  path: string
  body?: {
    queries: {
      package: { name: string; ecosystem: string }
      version: string
      page_token?: string
    }[]
  }
}

export interface FakeOsv {
  url: string
  requests: LoggedRequest[]
  close(): Promise<void>
}

export async function startFakeOsv(options: FakeOsvOptions = {}): Promise<FakeOsv> {
  const requests: LoggedRequest[] = []
  const server = createServer((req, res) => {
    void handle(req, res, options, requests)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1/querybatch`,
    requests,
    close: () => closeServer(server)
  }
}

/** A URL where nothing listens (a port that was just freed). */
export async function unreachableUrl(): Promise<string> {
  const fake = await startFakeOsv()
  await fake.close()
  return fake.url
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: FakeOsvOptions,
  requests: LoggedRequest[]
): Promise<void> {
  const text = await readBody(req)
  const logged: LoggedRequest = { method: req.method ?? '', path: req.url ?? '' }
  if (text) logged.body = JSON.parse(text)
  requests.push(logged)
  if (options.hang) return
  if (requests.length <= (options.failFirst ?? 0)) return send(res, 503, '{"error":"busy"}')
  if (req.method === 'POST' && req.url === '/v1/querybatch') {
    return send(res, 200, options.batchBody ?? JSON.stringify(batchAnswer(logged, options)))
  }
  const vuln = /^\/v1\/vulns\/([^/]+)$/.exec(req.url ?? '')
  const record = vuln ? options.records?.[decodeURIComponent(vuln[1])] : undefined
  if (record) return send(res, 200, JSON.stringify(record))
  send(res, 404, '{"code":5,"message":"Bug not found."}')
}

function batchAnswer(request: LoggedRequest, options: FakeOsvOptions) {
  const pageSize = options.pageSize ?? Infinity
  return {
    results: (request.body?.queries ?? []).map((query) => {
      const ids = options.answers?.[`${query.package.name}@${query.version}`] ?? []
      const start = query.page_token ? Number(query.page_token) : 0
      const page = ids.slice(start, start + pageSize)
      if (page.length === 0) return {}
      const vulns = page.map((id) => ({ id, modified: '2099-01-02T00:00:00Z' }))
      const more = start + pageSize < ids.length
      return more ? { vulns, next_page_token: String(start + pageSize) } : { vulns }
    })
  }
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(body)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (text += chunk))
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
