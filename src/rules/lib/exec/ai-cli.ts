// Local AI assistant CLIs and the flags that switch off their permission prompts, and the prompts
// that ask them to go looking for secrets. Lexical and bounded: every pattern is anchored on a
// literal and has no nested repetition.
import type { CallFact, FileFacts } from '../code/types.js'
import { methodOf } from './facts.js'

/** Permission-bypass flags, with the assistant each one belongs to when only one has it. */
const FLAG = /--(dangerously-skip-permissions|yolo|trust-all-tools|allow-all-tools)(?![\w-])/i
const FLAG_OWNER: Record<string, string | undefined> = {
  'dangerously-skip-permissions': 'claude',
  'trust-all-tools': 'q'
}
const CLI_NAMES = ['claude', 'gemini', 'codex', 'aider', 'copilot', 'q']
/** An assistant named as a command: `claude -p`, `"gemini"`, `/usr/bin/codex`, `q chat`. */
const CLI_WORD =
  /(?:^|[\s/"'`(])(claude|gemini|codex|aider|copilot|q(?=\s{1,5}chat\b))(?=$|[\s"'`),;])/i
const SECRET_NOUN =
  /\b(?:secrets?|wallets?|private[\s_-]?keys?|seed[\s_-]?phrases?|mnemonics?|credentials?|api[\s_-]?keys?|tokens?|keystores?|id_rsa|\.env)\b/i
const SEARCH_VERB =
  /\b(?:find|search|scan|look\s{1,3}for|collect|list|enumerate|inventory|locate|extract|gather|harvest)\b/i
/** Calls that declare or parse a flag rather than pass it on. */
const DEFINITION_METHODS = new Set([
  'option',
  'options',
  'addOption',
  'requiredOption',
  'Option',
  'flag',
  'boolean',
  'alias',
  'describe',
  'includes',
  'indexOf',
  'has',
  'startsWith',
  'endsWith',
  'parseArgs',
  'getOptionValue'
])
/** `case '--yolo':`, `arg === '--yolo'`, `'--yolo' === arg`: a CLI reading its own arguments. */
const COMPARISON =
  /(?:\bcase\s{0,3}|[=!]==?\s{0,3})["'`]--[\w-]{1,40}["'`]|["'`]--[\w-]{1,40}["'`]\s{0,3}[=!]==?/

const MAX_TEXT = 4096

export interface FlagUse {
  flag: string
  /** The assistant this flag belongs to, when only one has it. */
  owner?: string
}

export function findFlag(text: string): FlagUse | undefined {
  if (!text.includes('--')) return undefined
  const match = FLAG.exec(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text)
  if (!match?.[1]) return undefined
  const name = match[1].toLowerCase()
  const owner = FLAG_OWNER[name]
  return owner ? { flag: `--${name}`, owner } : { flag: `--${name}` }
}

/** The assistant a text names as a command, if any. */
export function cliNamedIn(text: string): string | undefined {
  return CLI_WORD.exec(text.slice(0, MAX_TEXT))?.[1]?.toLowerCase()
}

/** The assistant a file runs or names: a command string, or a call whose first argument is one. */
export function cliInFacts(facts: FileFacts): string | undefined {
  for (const call of facts.calls) {
    const first = call.args[0]?.trim().toLowerCase()
    if (first && CLI_NAMES.includes(first)) return first
  }
  for (const fact of facts.strings) {
    const value = fact.value.trim().toLowerCase()
    if (CLI_NAMES.includes(value) && value !== 'q') return value
    const named = cliNamedIn(fact.value)
    if (named) return named
  }
  return undefined
}

/** True for a prompt that asks to look for secrets, keys or wallets. */
export function isSecretPrompt(text: string): boolean {
  if (text.length < 20) return false
  const head = text.slice(0, MAX_TEXT)
  return SECRET_NOUN.test(head) && SEARCH_VERB.test(head)
}

/** True when the flag on this line is declared or compared, not passed to a program. */
export function isFlagDefinition(calls: CallFact[], lineText: string, flag: string): boolean {
  if (COMPARISON.test(lineText.slice(0, MAX_TEXT))) return true
  return calls.some(
    (call) =>
      DEFINITION_METHODS.has(methodOf(call.callee)) &&
      call.args.some((arg) => arg !== undefined && arg.toLowerCase().includes(flag))
  )
}
