import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  decodeDsse,
  fetchProvenance,
  MAX_BUNDLE_BYTES,
  summarizeAttestations
} from '../../src/registry/attestations.js'
import { attestationsResponse } from '../helpers/fake-registry.js'

const FAST = { retry: { retries: 0, minTimeout: 1, maxTimeout: 1 } }
const envelope = (statement: unknown) => ({
  dsseEnvelope: {
    payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
    payloadType: 'application/vnd.in-toto+json'
  }
})

describe('summarizeAttestations', () => {
  it('reads repository, workflow, ref and builder from SLSA v1 provenance', () => {
    const response = attestationsResponse('@acme/lib', '1.2.3', {
      repository: 'https://github.com/acme/lib',
      workflow: '.github/workflows/publish.yml',
      ref: 'refs/tags/v1.2.3'
    })
    expect(summarizeAttestations(response)).toEqual({
      repository: 'https://github.com/acme/lib',
      workflow: '.github/workflows/publish.yml',
      ref: 'refs/tags/v1.2.3',
      builder: 'https://github.com/actions/runner/github-hosted'
    })
  })

  it('reads SLSA v0.2 provenance (configSource uri and entry point)', () => {
    const statement = {
      predicateType: 'https://slsa.dev/provenance/v0.2',
      predicate: {
        builder: { id: 'https://github.com/actions/runner' },
        invocation: {
          configSource: {
            uri: 'git+https://github.com/acme/lib@refs/heads/main',
            entryPoint: '.github/workflows/release.yml'
          }
        }
      }
    }
    const response = {
      attestations: [
        { predicateType: 'https://slsa.dev/provenance/v0.2', bundle: envelope(statement) }
      ]
    }
    expect(summarizeAttestations(response)).toEqual({
      repository: 'https://github.com/acme/lib',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/heads/main',
      builder: 'https://github.com/actions/runner'
    })
  })

  it('falls back to the resolved source dependency when v1 has no workflow parameters', () => {
    const statement = {
      predicate: {
        buildDefinition: {
          externalParameters: {},
          resolvedDependencies: [{ uri: 'git+https://gitlab.com/acme/lib@refs/tags/v2' }]
        }
      }
    }
    const response = {
      attestations: [
        { predicateType: 'https://slsa.dev/provenance/v1', bundle: envelope(statement) }
      ]
    }
    expect(summarizeAttestations(response)).toEqual({
      repository: 'https://gitlab.com/acme/lib',
      ref: 'refs/tags/v2'
    })
  })

  it.each([
    ['nothing', undefined],
    ['no list', {}],
    [
      'only a publish attestation',
      {
        attestations: [
          {
            predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1',
            bundle: envelope({ predicate: {} })
          }
        ]
      }
    ],
    [
      'a payload that is not base64 JSON',
      {
        attestations: [
          {
            predicateType: 'https://slsa.dev/provenance/v1',
            bundle: { dsseEnvelope: { payload: '%%%' } }
          }
        ]
      }
    ],
    [
      'a statement without a source',
      {
        attestations: [
          {
            predicateType: 'https://slsa.dev/provenance/v1',
            bundle: envelope({ predicate: { buildDefinition: {} } })
          }
        ]
      }
    ]
  ])('gives nothing for %s', (_label, response) => {
    expect(summarizeAttestations(response)).toBeUndefined()
  })

  it('decodes a DSSE payload and refuses one that is not an object', () => {
    expect(decodeDsse(envelope({ a: 1 }))).toEqual({ a: 1 })
    expect(decodeDsse(envelope('text'))).toBeUndefined()
    expect(decodeDsse({})).toBeUndefined()
  })
})

describe('fetchProvenance', () => {
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') {
        const body = attestationsResponse('lib', '1.0.0', {
          repository: 'https://github.com/a/lib'
        })
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(body))
      }
      if (req.url === '/huge') {
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('"' + 'a'.repeat(MAX_BUNDLE_BYTES + 10) + '"')
      }
      if (req.url === '/garbage') return void res.writeHead(200).end('not json')
      res.writeHead(500).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('fetches and summarises a bundle', async () => {
    expect(await fetchProvenance(`${base}/ok`, FAST)).toMatchObject({
      repository: 'https://github.com/a/lib',
      ref: 'refs/tags/v1.0.0'
    })
  })

  it.each(['/huge', '/garbage', '/error'])('gives nothing for %s', async (path) => {
    expect(await fetchProvenance(`${base}${path}`, FAST)).toBeUndefined()
  })

  it('only fetches http(s) URLs', async () => {
    expect(await fetchProvenance('file:///etc/passwd', FAST)).toBeUndefined()
  })
})
