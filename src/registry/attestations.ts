// Reads npm provenance: fetches a version's attestation bundle (`dist.attestations.url`) through
// npm-registry-fetch, with the same npm options as every other registry request (credentials go
// only to the hosts they are configured for), bounded in size and time, and extracts where the
// version was built from its SLSA provenance statement (a DSSE envelope whose payload is a
// base64 in-toto statement). Signatures are not verified here: the summary is compared between
// two versions of one package, and a failure to read it is reported as "could not compare", never
// as a pass.
import npmFetch from 'npm-registry-fetch'
import type { ProvenanceSummary } from '../types.js'
import type { NpmOptions } from './npm-config.js'

/** Attestation bundles are a few kilobytes; anything far larger is not one. */
export const MAX_BUNDLE_BYTES = 2 * 1024 * 1024
/** Upper bound of one request, whatever npm's `fetch-timeout` says. */
export const MAX_TIMEOUT_MS = 30_000
const MAX_FIELD = 500
const SLSA_PROVENANCE = 'https://slsa.dev/provenance/'

/**
 * Fetches and summarises one attestation bundle; undefined when it cannot be fetched or read.
 * `npmOptions` are the pacote options for the package (registry, credentials, retry, cache...).
 */
export async function fetchProvenance(
  url: string,
  npmOptions: NpmOptions
): Promise<ProvenanceSummary | undefined> {
  if (!/^https?:\/\//i.test(url) || url.length > 2000) return undefined
  try {
    const configured = typeof npmOptions.timeout === 'number' ? npmOptions.timeout : MAX_TIMEOUT_MS
    const response = await npmFetch(url, {
      ...npmOptions,
      timeout: Math.min(configured || MAX_TIMEOUT_MS, MAX_TIMEOUT_MS)
    } as npmFetch.Options)
    const text = await readBounded(response.body as unknown as AsyncIterable<Buffer>)
    return text === undefined ? undefined : summarizeAttestations(JSON.parse(text))
  } catch {
    return undefined
  }
}

async function readBounded(body: AsyncIterable<Buffer>): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_BUNDLE_BYTES) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The SLSA provenance of an attestations response `{ attestations: [{ predicateType, bundle }] }`. */
export function summarizeAttestations(response: unknown): ProvenanceSummary | undefined {
  const list = (response as { attestations?: unknown } | null)?.attestations
  if (!Array.isArray(list)) return undefined
  for (const attestation of list.slice(0, 20)) {
    const { predicateType, bundle } = (attestation ?? {}) as {
      predicateType?: unknown
      bundle?: unknown
    }
    if (typeof predicateType !== 'string' || !predicateType.startsWith(SLSA_PROVENANCE)) continue
    const statement = decodeDsse(bundle)
    const summary = statement ? summarizeStatement(statement) : undefined
    if (summary) return summary
  }
  return undefined
}

/** The in-toto statement inside a Sigstore bundle's DSSE envelope. */
export function decodeDsse(bundle: unknown): Record<string, unknown> | undefined {
  const envelope = (bundle as { dsseEnvelope?: { payload?: unknown } } | null)?.dsseEnvelope
  const payload = envelope?.payload
  if (typeof payload !== 'string' || payload.length > MAX_BUNDLE_BYTES) return undefined
  try {
    const statement: unknown = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'))
    return typeof statement === 'object' && statement !== null
      ? (statement as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Source repository, workflow, ref and builder of a SLSA provenance statement (v1 or v0.2). */
export function summarizeStatement(
  statement: Record<string, unknown>
): ProvenanceSummary | undefined {
  const predicate = statement.predicate as Record<string, unknown> | undefined
  if (typeof predicate !== 'object' || predicate === null) return undefined
  const summary = predicate.buildDefinition ? fromSlsaV1(predicate) : fromSlsaV02(predicate)
  if (!summary.repository && !summary.workflow) return undefined
  return Object.fromEntries(
    Object.entries(summary).filter(([, value]) => value !== undefined)
  ) as ProvenanceSummary
}

function fromSlsaV1(predicate: Record<string, unknown>): ProvenanceSummary {
  const workflow = dig(predicate, ['buildDefinition', 'externalParameters', 'workflow'])
  const fromDependency = gitUri(
    dig(predicate, ['buildDefinition', 'resolvedDependencies', 0, 'uri'])
  )
  return {
    repository: text(dig(workflow, ['repository'])) ?? fromDependency.repository,
    workflow: text(dig(workflow, ['path'])),
    ref: text(dig(workflow, ['ref'])) ?? fromDependency.ref,
    builder: text(dig(predicate, ['runDetails', 'builder', 'id']))
  }
}

function fromSlsaV02(predicate: Record<string, unknown>): ProvenanceSummary {
  const source = dig(predicate, ['invocation', 'configSource'])
  const { repository, ref } = gitUri(dig(source, ['uri']))
  return {
    repository,
    workflow: text(dig(source, ['entryPoint'])),
    ref,
    builder: text(dig(predicate, ['builder', 'id']))
  }
}

/** `git+https://github.com/a/b@refs/tags/v1` -> repository and ref. */
function gitUri(value: unknown): { repository?: string; ref?: string } {
  const uri = text(value)
  if (!uri) return {}
  const withoutPrefix = uri.replace(/^git\+/, '')
  const at = withoutPrefix.lastIndexOf('@')
  if (at <= withoutPrefix.indexOf('://')) return { repository: withoutPrefix }
  return { repository: withoutPrefix.slice(0, at), ref: withoutPrefix.slice(at + 1) }
}

function dig(value: unknown, path: (string | number)[]): unknown {
  let current = value
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string | number, unknown>)[key]
  }
  return current
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, MAX_FIELD) : undefined
}
