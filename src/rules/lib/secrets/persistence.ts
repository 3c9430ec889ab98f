// Ways code makes itself outlive the install: GitHub workflow files, self-hosted runner
// registration, shell start-up files, scheduled tasks and services, and public repositories created
// to hold stolen data. Pure functions over code facts (or one line of a script).
//
// A path alone (`.bashrc`, `.github/workflows/x.yml`, `Library/LaunchAgents`) is only a signal when
// the same file also writes files (`writeFile`, `appendFile`, `createWriteStream`, a `>>`
// redirection, the GitHub contents API): reading a workflow file is what CI tools do. Commands
// (`crontab -`, `schtasks /create`, `config.sh --url … --token …`) are signals on their own.
import type { FileFacts } from '../code/types.js'
import { credentialSources } from './credential-sources.js'

export type PersistenceKind =
  'workflow' | 'runner' | 'shell-rc' | 'scheduled-task' | 'repo-create' | 'shutdown'

export interface PersistenceSignal {
  kind: PersistenceKind
  /** What matched, e.g. `.bashrc`, `schtasks /create`. */
  name: string
  line: number
  key: string
  needle: string
}

interface Pattern {
  kind: PersistenceKind
  name: string
  pattern: RegExp
  /** Only a signal when the file also writes files. */
  needsWrite?: boolean
}

const MAX_TEXT = 4096

const PATTERNS: Pattern[] = [
  {
    kind: 'workflow',
    name: '.github/workflows',
    pattern: /\.github[\\/]+workflows\b/i,
    needsWrite: true
  },
  {
    kind: 'runner',
    name: 'runner registration token',
    pattern: /\/actions\/runners\/registration-token\b/
  },
  {
    kind: 'runner',
    name: 'runner download',
    pattern: /actions\/runner\/releases\/download|\bactions-runner-(?:linux|osx|win)-/
  },
  {
    kind: 'runner',
    name: 'config.sh --token',
    pattern: /\bconfig\.(?:sh|cmd)\b[^\n]{0,300}--token\b/
  },
  { kind: 'runner', name: '--name SHA1HULUD', pattern: /--name\s+["']?sha1hulud/i },
  {
    kind: 'shell-rc',
    name: 'shell rc file',
    pattern:
      /(?:^|[\\/~\s"'])\.(?:bashrc|zshrc|profile|bash_profile|bash_login|zprofile|zshenv|zlogin)(?![\w.-])|Microsoft\.PowerShell_profile\.ps1/,
    needsWrite: true
  },
  {
    kind: 'scheduled-task',
    name: 'crontab',
    pattern: /\bcrontab\s+(?:-(?=[\s"'`]|$)|-[er]\b|[\w./~$-]+\.(?:txt|cron)\b)/
  },
  {
    kind: 'scheduled-task',
    name: '/etc/cron.d',
    pattern: /\/etc\/cron(?:\.(?:d|daily|hourly|weekly|monthly)|tab)\b|\/var\/spool\/cron\b/,
    needsWrite: true
  },
  {
    kind: 'scheduled-task',
    name: 'schtasks /create',
    pattern: /\bschtasks(?:\.exe)?\s+\/create\b/i
  },
  {
    kind: 'scheduled-task',
    name: 'launchctl load',
    pattern: /\blaunchctl\s+(?:load|bootstrap|enable|submit)\b/
  },
  {
    kind: 'scheduled-task',
    name: 'LaunchAgents',
    pattern: /Library\/Launch(?:Agents|Daemons)\b/,
    needsWrite: true
  },
  {
    kind: 'scheduled-task',
    name: 'systemctl enable',
    pattern: /\bsystemctl\s+(?:--user\s+)?enable\b/
  },
  {
    kind: 'scheduled-task',
    name: 'systemd unit',
    pattern: /\/etc\/systemd\/system\/|\.config\/systemd\/user\b/,
    needsWrite: true
  },
  { kind: 'scheduled-task', name: 'Run registry key', pattern: /CurrentVersion\\+Run(?:Once)?\b/i },
  {
    kind: 'shutdown',
    name: 'sudo shutdown',
    pattern: /\bsudo\s+shutdown\b|\bshutdown\s+-h\s+(?:0|now)\b/
  }
]

const REPO_CREATE = /(?:^|[^\w])\/user\/repos\b/
const REPO_CREATE_CALL = /\.createForAuthenticatedUser$/
/** Names of campaigns that published stolen data to public repositories, and their file names. */
const EXFIL_MARKER =
  /shai[-_ ]?hulud|s1ngularity|sha1hulud|^(?:data|inventory|results|truffleSecrets|environment|cloud|contents)\.(?:json|txt)$/i

const WRITE_CALL =
  /(?:^|\.)(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|cp|cpSync|rename|renameSync|outputFile|outputFileSync|symlink|symlinkSync)$/
const WRITE_TEXT =
  />>|\btee\s|\/contents\/\.github|\bgit\s+(?:add|commit|push)\b|createOrUpdateFileContents/

/** True when the whole file writes files (or pushes content through git or the contents API). */
export function writesFiles(whole: FileFacts): boolean {
  return (
    whole.calls.some((call) => WRITE_CALL.test(call.callee) || REPO_CONTENTS.test(call.callee)) ||
    whole.strings.some((fact) => fact.value.length <= MAX_TEXT && WRITE_TEXT.test(fact.value))
  )
}
const REPO_CONTENTS = /\.createOrUpdateFileContents$/

function matchText(text: string, line: number, writes: boolean): PersistenceSignal[] {
  if (text.length > MAX_TEXT) return []
  const signals: PersistenceSignal[] = []
  for (const entry of PATTERNS) {
    if (entry.needsWrite && !writes) continue
    const match = entry.pattern.exec(text)
    if (!match) continue
    const needle = match[0].trim().replace(/^["'\\/~]/, '')
    signals.push({
      kind: entry.kind,
      name: entry.name,
      line,
      key: `${entry.kind}:${entry.name}`,
      needle
    })
  }
  return signals
}

/** `path.join(home, '.github', 'workflows', name)`: the constant parts as one path. */
function joinedPaths(facts: FileFacts): { value: string; line: number }[] {
  return facts.calls
    .filter((call) => /(?:^|\.)(?:join|resolve)$/.test(call.callee))
    .map((call) => ({
      value: call.args.filter((arg): arg is string => arg !== undefined).join('/'),
      line: call.line
    }))
    .filter((path) => path.value.includes('/'))
}

function repoCreation(facts: FileFacts, whole: FileFacts): PersistenceSignal[] {
  const lines = [
    ...facts.strings.filter((fact) => REPO_CREATE.test(fact.value)).map((fact) => fact.line),
    ...facts.calls.filter((call) => REPO_CREATE_CALL.test(call.callee)).map((call) => call.line)
  ]
  if (lines.length === 0) return []
  const exfil =
    whole.strings.some((fact) => fact.value.length <= 200 && EXFIL_MARKER.test(fact.value)) ||
    credentialSources(whole).length > 0
  if (!exfil) return []
  const line = lines[0] ?? 1
  return [
    {
      kind: 'repo-create',
      name: 'public repository for stolen data',
      line,
      key: 'repo-create',
      needle: 'repos'
    }
  ]
}

/** Persistence signals in `facts` (what a file introduces), `whole` being the whole file. */
export function persistenceSignals(
  facts: FileFacts,
  whole: FileFacts = facts
): PersistenceSignal[] {
  const writes = writesFiles(whole)
  const texts = [...facts.strings, ...joinedPaths(facts)]
  const signals = texts.flatMap((fact) => matchText(fact.value, fact.line, writes))
  return unique([...signals, ...repoCreation(facts, whole)])
}

const LINE_WRITE = />>?|\btee\b|\bcp\b|\bmv\b|\binstall\b|Out-File|Add-Content|Set-Content/

/** Persistence signals in one line of a shell, PowerShell or batch script. */
export function persistenceSignalsInLine(text: string, line: number): PersistenceSignal[] {
  const signals = matchText(text, line, LINE_WRITE.test(text))
  if (REPO_CREATE.test(text) && /shai[-_ ]?hulud|s1ngularity/i.test(text)) {
    signals.push({
      kind: 'repo-create',
      name: 'public repository for stolen data',
      line,
      key: 'repo-create',
      needle: 'repos'
    })
  }
  return signals
}

function unique(signals: PersistenceSignal[]): PersistenceSignal[] {
  const seen = new Set<string>()
  return signals.filter((signal) => {
    const id = `${signal.key}@${signal.line}`
    return !seen.has(id) && Boolean(seen.add(id))
  })
}
