// Shell command shapes that download and run code, run secret scanners or start Windows loaders,
// found lexically in a command line, a shell script line or a string a program passes to a shell.
//
// Every pattern starts at a rare literal (`curl`, `iwr`, `rundll32`, ...) and every gap is a
// bounded character class, so a line costs at most a few hundred steps per candidate position:
// the text is attacker-controlled and may be a megabyte of minified code.

export type CommandKind =
  'download-run' | 'runtime-install' | 'secret-scanner' | 'windows-loader' | 'encoded-powershell'

export interface CommandMatch {
  kind: CommandKind
  /** The text that matched, clipped: the needle for the evidence snippet. */
  match: string
  /** Human wording for the message, e.g. `curl … | sh`. */
  label: string
}

interface Pattern {
  kind: CommandKind
  label: string
  /** Cheap lower-case literals, one of which must be present before the regex runs. */
  literals: string[]
  regex: RegExp
}

const PATTERNS: Pattern[] = [
  {
    kind: 'download-run',
    label: 'a download piped into an interpreter',
    literals: ['curl', 'wget'],
    regex:
      /\b(?:curl|wget)\b[^|\n]{0,400}\|\s{0,5}(?:sudo\s{1,5})?(?:(?:ba|z|da|k)?sh|node|python3?|perl|bun)\b/i
  },
  {
    kind: 'download-run',
    label: 'a shell running a download',
    literals: ['curl', 'wget'],
    regex: /\b(?:ba|z)?sh\s{1,5}(?:-c\s{1,5})?["']?(?:\$\(|<\()\s{0,5}(?:curl|wget)\b/i
  },
  {
    kind: 'download-run',
    label: 'a download made executable and run',
    literals: ['curl', 'wget'],
    regex:
      /\b(?:curl|wget)\b[^\n]{0,400}?(?:&&|;)\s{0,5}(?:chmod\s{1,5}(?:\+x|[0-7]{3})|\.\/[\w.-])/i
  },
  {
    kind: 'download-run',
    label: 'a PowerShell download piped into Invoke-Expression',
    literals: ['iwr', 'irm', 'invoke-web', 'invoke-rest', 'download'],
    regex:
      /\b(?:iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring)\b[^\n]{0,400}?\|\s{0,5}(?:iex|invoke-expression)\b/i
  },
  {
    kind: 'download-run',
    label: 'Invoke-Expression of a download',
    literals: ['iex', 'invoke-expression'],
    regex:
      /\b(?:iex|invoke-expression)\b[^\n]{0,80}?\b(?:downloadstring|iwr|irm|invoke-webrequest|invoke-restmethod)\b/i
  },
  {
    kind: 'runtime-install',
    label: 'a runtime installer',
    literals: ['bun.sh/install', 'deno.land/'],
    regex: /\b(?:bun\.sh\/install|deno\.land\/(?:x\/)?install)/i
  },
  {
    kind: 'secret-scanner',
    label: 'a secret scanner',
    literals: ['trufflehog', 'gitleaks', 'detect-secrets', 'noseyparker'],
    regex: /\b(?:trufflehog|gitleaks|detect-secrets|noseyparker)\b/i
  },
  {
    kind: 'windows-loader',
    label: 'a Windows loader',
    literals: ['rundll32', 'regsvr32', 'mshta'],
    regex: /\b(?:rundll32|regsvr32|mshta)(?:\.exe)?\b/i
  },
  {
    kind: 'encoded-powershell',
    label: 'an encoded PowerShell command',
    literals: ['powershell', 'pwsh'],
    regex:
      /\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]{0,200}?\s-(?:e|ec|enc|encodedcommand)\s{1,5}[A-Za-z0-9+/=]{16}/i
  }
]

/** `rundll32 url.dll,FileProtocolHandler <url>`: how old tools open a browser on Windows. */
const URL_OPENER = /url\.dll\s{0,3},\s{0,3}(?:FileProtocolHandler|OpenURL)/i
/** Running a script with a runtime: `bun run x.js`, `bun x.js`, `deno run -A x.ts`. */
const RUNTIME_RUN =
  /\b(?:bun|bunx|deno)\s{1,5}(?:run\s{1,5})?(?:-{1,2}[\w-]{1,20}\s{1,5}){0,3}[\w./-]{1,100}\.(?:js|ts|mjs|cjs)\b/i

const MAX_MATCH = 160

/** True when a text opens a URL through `rundll32 url.dll,…` rather than loading a library. */
export function isUrlOpener(text: string): boolean {
  return URL_OPENER.test(text.slice(0, 4096))
}

/**
 * The command shapes a text contains, at most one per kind. `context` (the whole line of a string
 * found in code) is what tells a `rundll32` URL opener from a loader.
 */
export function findCommands(text: string, context = text): CommandMatch[] {
  const lower = text.toLowerCase()
  const found: CommandMatch[] = []
  for (const pattern of PATTERNS) {
    if (!pattern.literals.some((literal) => lower.includes(literal))) continue
    const match = pattern.regex.exec(text)
    if (!match) continue
    if (pattern.kind === 'windows-loader' && (isUrlOpener(text) || isUrlOpener(context))) continue
    if (found.some((other) => other.kind === pattern.kind)) continue
    found.push({ kind: pattern.kind, match: match[0].slice(0, MAX_MATCH), label: pattern.label })
  }
  return found
}

/** True when a text runs a script file with Bun or Deno (the payload after a runtime install). */
export function runsWithRuntime(text: string): boolean {
  const lower = text.toLowerCase()
  return (lower.includes('bun') || lower.includes('deno')) && RUNTIME_RUN.test(text)
}
