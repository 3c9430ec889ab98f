// Where code can send data: `fetch`, `http(s).request/get`, axios and other HTTP clients,
// `XMLHttpRequest`, sockets, `WebSocket`, DNS lookups of computed names (DNS exfiltration), a child
// process running `curl`/`wget`, and mail (`sendMail`). Pure functions over code facts (or one line
// of a script), shared by the credential rule and the correlation rule.
import type { FileFacts } from '../code/types.js'

export type SinkKind =
  | 'fetch'
  | 'http'
  | 'http-client'
  | 'xhr'
  | 'socket'
  | 'websocket'
  | 'dns'
  | 'process'
  | 'mail'
  | 'beacon'
  | 'module'

export interface NetworkSink {
  kind: SinkKind
  /** The callee or module as written: `https.request`, `fetch`, `new WebSocket`, `node-fetch`. */
  name: string
  line: number
  key: string
  needle?: string
}

const SINK_CALLS: [RegExp, SinkKind][] = [
  [/^(?:(?:window|globalThis|global|self)\.)?fetch$/, 'fetch'],
  [/^(?:undici|nodeFetch)\.(?:fetch|request|stream)$|^nodeFetch$/, 'fetch'],
  [/^(?:https?|http2)\.(?:request|get|connect)$/, 'http'],
  [/^axios(?:\.(?:get|post|put|patch|delete|request|head|create))?$/, 'http-client'],
  [/^(?:got|needle|superagent|ky)(?:\.(?:get|post|put|patch|stream))?$/, 'http-client'],
  [/^new (?:window\.)?XMLHttpRequest$/, 'xhr'],
  [/^new (?:window\.)?WebSocket$|^new (?:ws\.)?WebSocket$/, 'websocket'],
  [
    /^(?:net|tls)\.(?:connect|createConnection)$|^new (?:net\.)?Socket$|^dgram\.createSocket$/,
    'socket'
  ],
  [/^navigator\.sendBeacon$/, 'beacon'],
  [/\.sendMail$/, 'mail']
]

const DNS_CALL =
  /^(?:dns|dns\.promises|resolver)\.(?:resolve(?:4|6|Any|Txt|Cname|Mx|Ns|Srv)?|lookup)$/
const PROCESS_CALL = /(?:^|\.)(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|execa)$/
const NETWORK_COMMAND = /\b(?:curl|wget|ncat|nc|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b/i

const NETWORK_MODULES = new Set([
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'axios',
  'node-fetch',
  'cross-fetch',
  'isomorphic-fetch',
  'undici',
  'got',
  'request',
  'superagent',
  'needle',
  'ky',
  'ws',
  'socket.io-client',
  'nodemailer'
])

function callSinks(facts: FileFacts): NetworkSink[] {
  const sinks: NetworkSink[] = []
  for (const call of facts.calls) {
    const kind = SINK_CALLS.find(([pattern]) => pattern.test(call.callee))?.[1]
    const name = call.callee
    const needle = name.replace(/^new /, '').split('.').pop()
    if (kind) {
      sinks.push({
        kind,
        name,
        line: call.line,
        key: `sink:${kind}`,
        ...(needle ? { needle } : {})
      })
    } else if (DNS_CALL.test(name) && call.args[0] === undefined) {
      // a computed name is how DNS carries data out; a constant one is an ordinary lookup
      sinks.push({
        kind: 'dns',
        name,
        line: call.line,
        key: 'sink:dns',
        ...(needle ? { needle } : {})
      })
    } else if (PROCESS_CALL.test(name) && runsNetworkCommand(facts, call.line, call.args)) {
      sinks.push({ kind: 'process', name, line: call.line, key: 'sink:process', needle: 'curl' })
    }
  }
  return sinks
}

/** A child process running `curl`/`wget`: in its constant arguments or a literal on its line. */
function runsNetworkCommand(facts: FileFacts, line: number, args: (string | undefined)[]): boolean {
  if (args.some((arg) => arg !== undefined && NETWORK_COMMAND.test(arg))) return true
  return facts.strings.some((fact) => fact.line === line && NETWORK_COMMAND.test(fact.value))
}

function moduleSinks(facts: FileFacts): NetworkSink[] {
  return facts.imports.flatMap((entry) => {
    const name = entry.specifier.replace(/^node:/, '')
    if (!NETWORK_MODULES.has(name)) return []
    return [
      { kind: 'module' as const, name, line: entry.line, key: `sink:module:${name}`, needle: name }
    ]
  })
}

/** Every network sink in a file's facts. */
export function networkSinks(facts: FileFacts): NetworkSink[] {
  return [...callSinks(facts), ...moduleSinks(facts)]
}

const SHELL_SINK =
  /(?:^|[\s;|&(`])(curl|wget|ncat|nc|scp|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)(?=\s)|\/dev\/(?:tcp|udp)\//i

/** A network sink in one line of a shell, PowerShell or batch script. */
export function networkSinksInLine(text: string, line: number): NetworkSink[] {
  if (text.length > 4096) return []
  const match = SHELL_SINK.exec(text)
  if (!match) return []
  const name = (match[1] ?? '/dev/tcp').toLowerCase()
  return [{ kind: 'process', name, line, key: 'sink:process', needle: match[1] ?? '/dev/' }]
}
