// content/ai-cli-abuse
//
// Detects: code, shell scripts or install scripts that this version introduces and that run a
// local AI assistant CLI with its permission checks switched off: `--dangerously-skip-permissions`
// (Claude Code), `--yolo` (Gemini CLI, Codex), `--trust-all-tools` (Amazon Q), `--allow-all-tools`
// (Copilot CLI), together with the assistant's name or a prompt asking it to find secrets or
// wallets.
//
// Why: Nx "s1ngularity" (2025-08) ran the developer's own AI assistants with these flags and a
// prompt to inventory wallets and secrets, turning a trusted local tool into the data collector.
// A dependency has no business driving the user's assistant without its permission prompts.
//
// Severity: critical when a changed package introduces it, high in an added package. A flag that
// is declared or compared (`.option('--yolo', …)`, `case '--yolo':`), i.e. a CLI's own option, is
// low; a bypass flag with no assistant and no secret prompt in sight is low too.
//
// Known false positives: an agent-orchestration tool that newly learns to launch Claude Code in
// unattended mode. Documentation (README) is not code and is not read.
import type { Severity } from '../../types.js'
import type { FileFacts } from '../lib/code/types.js'
import { hasBaseline } from '../lib/introduced.js'
import {
  cliInFacts,
  cliNamedIn,
  findFlag,
  isFlagDefinition,
  isSecretPrompt,
  type FlagUse
} from '../lib/exec/ai-cli.js'
import { evidenceAt, lineText } from '../lib/exec/evidence.js'
import { callsOnLine, introducedByFile, wholeFileFacts } from '../lib/exec/facts.js'
import { findingsFromSignals, type Signal } from '../lib/exec/signals.js'
import { introducedTexts, type TextSite } from '../lib/exec/texts.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'content/ai-cli-abuse',
  title: 'AI assistant CLI run without permission checks',
  description:
    'This version runs a local AI assistant (claude, gemini, q, codex…) with a flag that skips ' +
    'its permission prompts: how Nx "s1ngularity" made assistants search for secrets.',
  defaultSeverity: 'critical',
  version: 1
}

type Kind = 'invocation' | 'bypass-flag' | 'definition'

const SUMMARY: Record<Kind, string> = {
  invocation: 'runs an AI assistant CLI with its permission checks switched off',
  'bypass-flag': 'passes an AI assistant permission-bypass flag',
  definition: 'declares an AI assistant permission-bypass option'
}

interface FileClues {
  cli?: string
  secretPrompt: boolean
}

function check(ctx: RuleContext) {
  const changed = hasBaseline(ctx)
  const introduced = introducedByFile(ctx)
  const clues = new Map<string, FileClues>()
  const seen = new Set<string>()
  const signals: Signal<Kind>[] = []
  for (const site of introducedTexts(ctx, introduced)) {
    const flag = findFlag(site.text)
    const key = `${site.file}\0${site.line}`
    if (!flag || seen.has(key)) continue
    seen.add(key)
    const facts = site.origin === 'js' ? wholeFileFacts(ctx.files, site.file) : undefined
    const line =
      site.origin === 'install-script' ? site.text : lineText(ctx.files, site.file, site.line)
    if (facts && isFlagDefinition(callsOnLine(facts, site.line), line, flag.flag)) {
      signals.push(
        signal(ctx, site, 'definition', 'low', `${flag.flag} declared as an option`, flag)
      )
      continue
    }
    const fileClues = cluesFor(ctx, site, facts, clues)
    const cli = cliNamedIn(site.text) ?? cliNamedIn(line) ?? flag.owner ?? fileClues.cli
    if (!cli && !fileClues.secretPrompt) {
      signals.push(
        signal(ctx, site, 'bypass-flag', 'low', `${flag.flag} with no assistant in sight`, flag)
      )
      continue
    }
    const what = cli ? `${cli} ${flag.flag}` : `${flag.flag} with a prompt to find secrets`
    const prompt = cli && fileClues.secretPrompt ? ' and a prompt to find secrets' : ''
    signals.push(
      signal(ctx, site, 'invocation', changed ? 'critical' : 'high', what + prompt, flag)
    )
  }
  return findingsFromSignals(ctx, meta, signals, (kind) => SUMMARY[kind], changed)
}

function signal(
  ctx: RuleContext,
  site: TextSite,
  kind: Kind,
  severity: Severity,
  detail: string,
  flag: FlagUse
): Signal<Kind> {
  const evidence =
    site.origin === 'install-script'
      ? { file: site.file, line: site.line, snippet: site.text }
      : evidenceAt(ctx.files, site.file, site.line, flag.flag)
  return { kind, severity, detail, evidence }
}

/** What the rest of the file says: which assistant it names, whether it asks for secrets. */
function cluesFor(
  ctx: RuleContext,
  site: TextSite,
  facts: FileFacts | undefined,
  cache: Map<string, FileClues>
): FileClues {
  const cached = cache.get(site.file)
  if (cached) return cached
  const texts = facts
    ? facts.strings.map((fact) => fact.value)
    : site.origin === 'install-script'
      ? [site.text]
      : (ctx.files?.files.get(site.file)?.text ?? '').split('\n')
  const cli = facts ? cliInFacts(facts) : texts.map(cliNamedIn).find((name) => name)
  const clues: FileClues = { secretPrompt: texts.some(isSecretPrompt), ...(cli ? { cli } : {}) }
  cache.set(site.file, clues)
  return clues
}

export const rule: Rule = { meta, check }
