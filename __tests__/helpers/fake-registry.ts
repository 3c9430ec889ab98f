// An in-process npm registry for tests: a `node:http` server on 127.0.0.1 (random port) that
// serves packuments and tarballs built in memory. It exists for what a real publish cannot
// produce: `_npmUser`, `dist.attestations`, old publish times, missing versions, failures.
//
//   const registry = await startFakeRegistry([
//     { name: 'left-pad', versions: [{ version: '1.0.0', files: { 'index.js': 'module.exports = 1' } }] },
//     { name: '@acme/lib', versions: [{ version: '2.0.0', manifest: { _npmUser: { name: 'mallory' } } }] }
//   ])
//   // npm options: { registry: registry.url }; integrity for a lockfile: registry.integrityOf('left-pad', '1.0.0')
//   await registry.close()
//
// Routes: `GET /<name>` (scoped names as `@scope%2fname` or `@scope/name`) returns the full
// packument; `GET /<name>/-/<basename>-<version>.tgz` returns the tarball;
// `GET /-/npm/v1/attestations/<name>@<version>` returns the attestation bundles of a version
// given `provenance` (see `attestationsResponse`). Everything else is 404.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { create, Header, Pax } from 'tar'
import type { Manifest, Packument } from '../../src/types.js'

export interface FakeVersion {
  version: string
  /** Files of the package, paths without `package/`. A package.json is generated when absent. */
  files?: Record<string, string | Buffer>
  /** Raw tarball bytes, used instead of building one from `files` (see `packDirectory`). */
  tarball?: Buffer
  /** Extra manifest fields merged into the version document: scripts, `_npmUser`, `dist`... */
  manifest?: Partial<Manifest>
  /** Publish time (ISO) for `time[version]`. Defaults to a fixed 2026 date. */
  time?: string
  /** Serve other bytes than the advertised integrity: pacote fails with EINTEGRITY. */
  corrupt?: boolean
  /** Advertise the version in the packument but answer 404 for its tarball. */
  tarballMissing?: boolean
  /**
   * Publish with npm provenance: `dist.attestations` is advertised and the attestations endpoint
   * serves a SLSA v1 statement naming this source.
   */
  provenance?: FakeProvenance
  /** Answer the attestations request with this HTTP status instead of the bundle. */
  attestationsStatus?: number
}

/** Where a version was built, as its SLSA provenance says. */
export interface FakeProvenance {
  /** e.g. `https://github.com/acme/lib` */
  repository: string
  /** e.g. `.github/workflows/release.yml` */
  workflow?: string
  /** e.g. `refs/tags/v1.0.0` */
  ref?: string
  builder?: string
}

export interface FakePackage {
  name: string
  versions: FakeVersion[]
  /** Extra top-level packument fields (`maintainers`, `dist-tags`, more `time` entries...). */
  packument?: Partial<Packument>
  /** The first N requests for this package's packument fail with this status (500, 429...). */
  failPackument?: { status: number; times: number }
  /** The first N requests for any of this package's tarballs fail with this status. */
  failTarball?: { status: number; times: number }
}

export interface FakeRegistryOptions {
  /** When set, every request needs `authorization: Bearer <token>`; else 401. */
  token?: string
}

export interface FakeRegistry {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:40123/`. */
  url: string
  /** Decoded request paths in arrival order, e.g. `/left-pad`, `/left-pad/-/left-pad-1.0.0.tgz`. */
  requests: string[]
  /** The `sha512-...` integrity of a version's tarball as advertised (what a lockfile pins). */
  integrityOf(name: string, version: string): string
  /** The served tarball bytes (the corrupt ones for a `corrupt` version). */
  tarballOf(name: string, version: string): Buffer
  close(): Promise<void>
}

export function sha512Integrity(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`
}

/** One tar entry for `buildTarball`; paths are written as given (tests use odd ones). */
export interface TarEntry {
  path: string
  content?: string | Buffer
  type?: 'File' | 'Directory' | 'SymbolicLink'
  linkpath?: string
}

/** A gzipped tarball built in memory, entries as given: no top folder is added. */
export function buildTarball(entries: TarEntry[], options: { gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = []
  for (const entry of entries) {
    const body = Buffer.from(entry.content ?? '')
    const type = entry.type ?? 'File'
    const size = type === 'File' ? body.length : 0
    const data = { path: entry.path, size, type, mode: type === 'Directory' ? 0o755 : 0o644 }
    const fields = { ...data, mtime: new Date(0), linkpath: entry.linkpath }
    const header = new Header(fields)
    const block = Buffer.alloc(512)
    if (header.encode(block, 0)) blocks.push(new Pax(fields).encode())
    blocks.push(block)
    if (size > 0) blocks.push(body, Buffer.alloc((512 - (size % 512)) % 512))
  }
  blocks.push(Buffer.alloc(1024))
  const tar = Buffer.concat(blocks)
  return options.gzip === false ? tar : gzipSync(tar)
}

/** The npm layout: every file under `package/`, with a package.json when none is given. */
export function buildPackageTarball(
  name: string,
  version: string,
  files: Record<string, string | Buffer> = {}
): Buffer {
  const all = { 'package.json': JSON.stringify({ name, version }, null, 2), ...files }
  return buildTarball(
    Object.entries(all).map(([path, content]) => ({ path: `package/${path}`, content }))
  )
}

/** Packs a readable fixture folder (its contents, not the folder) the way npm does: under `package/`. */
export async function packDirectory(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  const stream = create({ gzip: true, portable: true, cwd: dir, prefix: 'package' }, ['.'])
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

interface Served {
  packument: Packument
  tarballs: Map<string, Buffer>
  pkg: FakePackage
  fails: { packument: number; tarball: number }
}

export async function startFakeRegistry(
  packages: FakePackage[],
  options: FakeRegistryOptions = {}
): Promise<FakeRegistry> {
  const requests: string[] = []
  const byName = new Map<string, Served>()
  const integrity = new Map<string, string>()
  const server = createServer((req, res) => {
    const path = safeDecode((req.url ?? '/').split('?')[0])
    requests.push(path)
    handle(req, res, path)
  })
  const handle = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return void res.writeHead(401, json).end('{"error":"unauthorized"}')
    }
    if (path.startsWith(ATTESTATIONS))
      return serveAttestations(res, path.slice(ATTESTATIONS.length))
    const [name, tarballFile] = path.slice(1).split('/-/')
    const served = byName.get(name)
    if (!served) return void res.writeHead(404, json).end('{"error":"not_found"}')
    if (tarballFile === undefined) return servePackument(res, served)
    serveTarball(res, served, tarballFile)
  }
  const serveAttestations = (res: ServerResponse, spec: string): void => {
    const at = spec.lastIndexOf('@')
    const served = byName.get(spec.slice(0, at))
    const version = served?.pkg.versions.find((v) => v.version === spec.slice(at + 1))
    if (!served || !version?.provenance) return void res.writeHead(404, json).end('{}')
    if (version.attestationsStatus) return void res.writeHead(version.attestationsStatus).end()
    const body = attestationsResponse(served.pkg.name, version.version, version.provenance)
    res.writeHead(200, json).end(JSON.stringify(body))
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  for (const pkg of packages) byName.set(pkg.name, buildServed(pkg, url, integrity))
  return {
    url,
    requests,
    integrityOf: (name, version) => mustGet(integrity, `${name}@${version}`),
    tarballOf: (name, version) =>
      mustGet(mustGet(byName, name).tarballs, tarballFileName(name, version)),
    close: () => closeServer(server)
  }
}

const json = { 'content-type': 'application/json' }
const ATTESTATIONS = '/-/npm/v1/attestations/'
const SLSA_V1 = 'https://slsa.dev/provenance/v1'

/**
 * What the registry's attestations endpoint answers: an npm publish attestation and a SLSA v1
 * provenance attestation, each a Sigstore bundle whose DSSE payload is a base64 in-toto statement
 * (signatures are placeholders: lockgate reads the statement, it does not verify it).
 */
export function attestationsResponse(name: string, version: string, source: FakeProvenance) {
  const subject = [{ name: `pkg:npm/${name}@${version}`, digest: { sha512: 'placeholder' } }]
  const provenance = {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: SLSA_V1,
    predicate: {
      buildDefinition: {
        buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            repository: source.repository,
            path: source.workflow ?? '.github/workflows/release.yml',
            ref: source.ref ?? `refs/tags/v${version}`
          }
        }
      },
      runDetails: {
        builder: { id: source.builder ?? 'https://github.com/actions/runner/github-hosted' }
      }
    }
  }
  const publish = {
    _type: 'https://in-toto.io/Statement/v1',
    subject,
    predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1',
    predicate: { name, version, registry: 'local' }
  }
  const bundle = (statement: object) => ({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ keyid: '', sig: 'placeholder' }]
    }
  })
  return {
    attestations: [
      { predicateType: publish.predicateType, bundle: bundle(publish) },
      { predicateType: SLSA_V1, bundle: bundle(provenance) }
    ]
  }
}

function servePackument(res: ServerResponse, served: Served): void {
  const fail = served.pkg.failPackument
  if (fail && served.fails.packument < fail.times) {
    served.fails.packument++
    return void res.writeHead(fail.status, json).end('{"error":"failure"}')
  }
  res.writeHead(200, json).end(JSON.stringify(served.packument))
}

function serveTarball(res: ServerResponse, served: Served, file: string): void {
  const fail = served.pkg.failTarball
  if (fail && served.fails.tarball < fail.times) {
    served.fails.tarball++
    return void res.writeHead(fail.status, json).end('{"error":"failure"}')
  }
  const bytes = served.tarballs.get(file)
  if (!bytes) return void res.writeHead(404, json).end('{"error":"not_found"}')
  res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes)
}

function buildServed(pkg: FakePackage, url: string, integrity: Map<string, string>): Served {
  const tarballs = new Map<string, Buffer>()
  const versions: Record<string, Manifest> = {}
  const time: Record<string, string> = { created: '2026-01-01T00:00:00.000Z' }
  for (const v of pkg.versions) {
    const bytes = v.tarball ?? buildPackageTarball(pkg.name, v.version, v.files)
    const sri = sha512Integrity(bytes)
    integrity.set(`${pkg.name}@${v.version}`, sri)
    const file = tarballFileName(pkg.name, v.version)
    if (!v.tarballMissing) tarballs.set(file, v.corrupt ? corrupted(bytes) : bytes)
    const attestations = v.provenance
      ? {
          attestations: {
            url: `${url}-/npm/v1/attestations/${pkg.name}@${v.version}`,
            provenance: { predicateType: SLSA_V1 }
          }
        }
      : {}
    const dist = {
      tarball: `${url}${pkg.name}/-/${file}`,
      integrity: sri,
      ...attestations,
      ...v.manifest?.dist
    }
    versions[v.version] = { name: pkg.name, version: v.version, ...v.manifest, dist }
    time[v.version] = v.time ?? '2026-01-02T00:00:00.000Z'
  }
  const latest = pkg.versions.at(-1)?.version
  const packument: Packument = {
    name: pkg.name,
    'dist-tags': latest ? { latest } : {},
    versions,
    ...pkg.packument,
    time: { ...time, ...pkg.packument?.time }
  }
  return { packument, tarballs, pkg, fails: { packument: 0, tarball: 0 } }
}

function tarballFileName(name: string, version: string): string {
  return `${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`
}

function corrupted(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes)
  copy[copy.length - 1] ^= 0xff
  copy[Math.floor(copy.length / 2)] ^= 0xff
  return copy
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

function mustGet<K, V>(map: Map<K, V>, key: K): V {
  const value = map.get(key)
  if (value === undefined) throw new Error(`fake registry: nothing for ${String(key)}`)
  return value
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve()))
  )
}
