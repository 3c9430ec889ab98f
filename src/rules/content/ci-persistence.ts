// content/ci-persistence
//
// Detects: code this version introduces that makes itself persist on a developer machine or in
// CI: writing `.github/workflows/*.yml`, registering a self-hosted GitHub Actions runner
// (`/actions/runners/registration-token`, `config.sh --url … --token …`, `--name SHA1HULUD`),
// appending to shell start-up files (`.bashrc`, `.zshrc`, `.profile`…), scheduled tasks and
// services (`crontab -`, `/etc/cron.d`, `schtasks /create`, `launchctl load`, `LaunchAgents`,
// `systemctl enable`, the Windows `Run` key), and creating a public repository through the GitHub
// API (`/user/repos`) next to stolen-data names or credential reads.
//
// Why: Shai-Hulud pushed `.github/workflows/shai-hulud-workflow.yml` and, in 2.0, registered a
// self-hosted runner named SHA1HULUD; Nx "s1ngularity" appended `sudo shutdown -h 0` to shell rc
// files and uploaded secrets to a new public repository. A library has no business doing any of
// this, least of all while npm installs it.
//
// Severity: high; critical in a file that runs at install time (named by preinstall/install/
// postinstall, or required directly by such a file) and for a `shutdown` written into an rc file.
// For an added package (calibrated): low in runtime code, high at install time. A runtime rc write
// in a file that talks about shell completion is low (a completion installer the user runs).
// Paths (`.bashrc`, `.github/workflows`, `LaunchAgents`) only count in files that write files.
//
// Known false positives: CI tooling or process managers that start to manage workflows or
// services in a new version (their old versions already doing it is not reported: only what this
// version introduces counts). READMEs and docs are never read.
import type { Finding, Severity } from '../../types.js'
import { severityRank } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import { factsOf } from '../lib/code/index.js'
import { hasBaseline } from '../lib/introduced.js'
import { listSome } from '../lib/text.js'
import { evidenceAt, uniqueEvidence } from '../lib/secrets/evidence.js'
import { installTimeFiles } from '../lib/secrets/install-time.js'
import {
  persistenceSignals,
  persistenceSignalsInLine,
  type PersistenceSignal
} from '../lib/secrets/persistence.js'
import { introducedSignals, type Detector, type FileSignals } from '../lib/secrets/signals.js'

const meta: RuleMeta = {
  id: 'content/ci-persistence',
  title: 'CI or host persistence',
  description:
    'This version adds code that writes GitHub workflow files, registers a self-hosted runner, ' +
    'modifies shell start-up files or creates scheduled tasks: ways to keep running after install.',
  defaultSeverity: 'high',
  version: 1
}

const MAX_EVIDENCE = 8
const COMPLETION = /completion/i

const detector: Detector<PersistenceSignal> = {
  fromFacts: (facts, whole) => persistenceSignals(facts, whole),
  fromLine: (text, line) => persistenceSignalsInLine(text, line)
}

interface FileVerdict {
  file: string
  signals: PersistenceSignal[]
  severity: Severity
  installTime: boolean
}

function check(ctx: RuleContext): Finding[] {
  const changed = hasBaseline(ctx)
  const installTime = installTimeFiles(ctx)
  const verdicts = introducedSignals(ctx, detector)
    .map((entry) => verdictOf(ctx, entry, installTime.has(entry.file), changed))
    .filter((verdict): verdict is FileVerdict => verdict !== undefined)
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
  const worst = verdicts[0]
  if (!worst) return []
  const evidence = uniqueEvidence(
    worst.signals.map((signal) => evidenceAt(ctx.files, worst.file, signal.line, signal.needle)),
    MAX_EVIDENCE
  )
  return [makeFinding(ctx, meta, describe(worst, changed), evidence, worst.severity)]
}

function verdictOf(
  ctx: RuleContext,
  entry: FileSignals<PersistenceSignal>,
  installTime: boolean,
  changed: boolean
): FileVerdict | undefined {
  // `shutdown` is not persistence by itself; it makes an rc write destructive
  if (!entry.signals.some((signal) => signal.kind !== 'shutdown')) return undefined
  const kinds = new Set(entry.signals.map((signal) => signal.kind))
  const destructive = kinds.has('shell-rc') && kinds.has('shutdown')
  const completionOnly =
    !installTime &&
    [...kinds].every((kind) => kind === 'shell-rc') &&
    talksAboutCompletion(ctx, entry.file)
  const severity = severityOf({ changed, installTime, destructive, completionOnly })
  return { file: entry.file, signals: entry.signals, severity, installTime }
}

function talksAboutCompletion(ctx: RuleContext, path: string): boolean {
  const file = ctx.files?.files.get(path)
  const facts = file ? factsOf(file) : undefined
  if (facts) return facts.strings.some((fact) => COMPLETION.test(fact.value.slice(0, 500)))
  return COMPLETION.test(file?.text?.slice(0, 100_000) ?? '')
}

interface Situation {
  changed: boolean
  installTime: boolean
  destructive: boolean
  completionOnly: boolean
}

function severityOf(situation: Situation): Severity {
  const { changed, installTime, destructive, completionOnly } = situation
  if (changed) {
    if (installTime || destructive) return 'critical'
    return completionOnly ? 'low' : 'high'
  }
  if (installTime || destructive) return 'high'
  return completionOnly ? 'info' : 'low'
}

function describe(verdict: FileVerdict, changed: boolean): string {
  const names = [...new Set(verdict.signals.map((signal) => signal.name))]
  const subject = changed
    ? 'This version adds code that persists'
    : 'The package has code that persists'
  const when = verdict.installTime ? ', in a file npm runs at install time' : ''
  return `${subject} through ${listSome(names, 5)} in ${verdict.file}${when}.`
}

export const rule: Rule = { meta, check }
