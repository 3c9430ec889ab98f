// content/new-email-recipient
//
// Detects: a hard-coded e-mail address that this version introduces into a recipient of an
// outgoing message (`Bcc: 'x@y'` in the object given to a mail client, `mailOptions.bcc = ...`,
// `addHeader('Bcc', ...)`, `.bcc(...)`, `to: [...]`, a raw `Bcc:` header, `RCPT TO:<...>`, or a
// constant holding the address that is then used as a recipient).
//
// Why: postmark-mcp 1.0.16 changed one line, adding `Bcc: 'phan@giftshop.club'` to every e-mail
// its users sent; no new host, no install script, nothing obfuscated. A fixed address silently
// copied on every message is the behaviour, whatever the spelling.
//
// Two readings, deduplicated per line: the lexical contexts in recipients.ts (robust on files that
// do not parse), and the parser's facts (keys, assignments, header calls and raw headers whose key
// or address is spelled indirectly: `['B' + 'cc']`, an address decoded from base64 or char codes).
//
// Severity: critical when the previous version is known and did not send to that address (an
// address it already used in a recipient field, even in another file, is not new). For a package
// with no previous version to compare (added, or the old tarball could not be read) there is no
// history: high for bcc/cc/RCPT (a hidden copy is malicious whatever the history), medium for a
// fixed `to` (a contact form that writes to its author exists).
//
// Known false positives: a library that adds a default support or feedback address on purpose.
// Ignored: comments, README/docs/tests, package.json, documentation domains (example.com, .test).
import type { Finding, PackageFiles, Severity } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'
import {
  codeFiles,
  collectIntroduced,
  hasBaseline,
  splitLines,
  type SourceLine
} from '../lib/introduced.js'
import {
  recipientLiterals,
  recipientsInFacts,
  type ParsedRecipient,
  type RecipientLiteral
} from '../lib/recipients.js'
import { factsOf, introducedFacts } from '../lib/code/index.js'
import { isCodeFile } from '../lib/code-files.js'
import { clipAround, listSome } from '../lib/text.js'

const meta: RuleMeta = {
  id: 'content/new-email-recipient',
  title: 'New hard-coded e-mail recipient',
  description:
    'This version adds a fixed e-mail address to a recipient field (To, Cc, Bcc, RCPT TO) of the ' +
    'messages it sends: every message would be copied to that address, as in postmark-mcp 1.0.16.',
  defaultSeverity: 'critical',
  version: 1
}

const MAX_EVIDENCE = 10
const HIDDEN_COPY_FIELDS = new Set(['bcc', 'cc', 'rcpt to'])

function check(ctx: RuleContext): Finding[] {
  const introduced = collectIntroduced(ctx)
  const candidates = uniqueByLine([
    ...literalsOnLines(ctx.files, introduced.lines),
    ...parsedLiterals(ctx)
  ])
  if (candidates.length === 0) return []
  const known = hasBaseline(ctx) ? knownRecipients(ctx.previousFiles) : new Set<string>()
  const fresh = candidates.filter((literal) => !known.has(literal.address))
  if (fresh.length === 0) return []
  const addresses = [...new Set(fresh.map((literal) => `${literal.address} (${literal.field})`))]
  const capped = introduced.capped ? ' (only part of the new code was read)' : ''
  const message = `${hasBaseline(ctx) ? 'This version adds' : 'The package has'} a hard-coded e-mail recipient: ${listSome(addresses, 3)}${capped}.`
  const evidence = fresh.slice(0, MAX_EVIDENCE).map((literal) => ({
    file: literal.file,
    line: literal.line,
    snippet: clipAround(literal.text, literal.column)
  }))
  return [makeFinding(ctx, meta, message, evidence, severityFor(ctx, fresh))]
}

function severityFor(ctx: RuleContext, literals: RecipientLiteral[]): Severity {
  if (hasBaseline(ctx)) return 'critical'
  return literals.some((literal) => HIDDEN_COPY_FIELDS.has(literal.field)) ? 'high' : 'medium'
}

/**
 * One literal per (file, line, address), in file and line order: the lexical and the parser
 * readings of the same line are one piece of evidence. The lexical one comes first, so it wins.
 */
function uniqueByLine(literals: RecipientLiteral[]): RecipientLiteral[] {
  const seen = new Set<string>()
  const unique = literals.filter((literal) => {
    const key = `${literal.file}:${literal.line}:${literal.address}`
    return !seen.has(key) && Boolean(seen.add(key))
  })
  return unique.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
}

/** Recipients the parser finds in what this version introduces (decoded spellings included). */
function parsedLiterals(ctx: RuleContext): RecipientLiteral[] {
  const found: RecipientLiteral[] = []
  for (const entry of introducedFacts(ctx)) {
    // a file that did not parse is read by the lexical contexts only (its facts are guesses)
    if (!isCodeFile(entry.file) || !entry.facts.parsed) continue
    const lines = splitLines(ctx.files?.files.get(entry.file)?.text ?? '')
    for (const recipient of recipientsInFacts(entry.facts)) {
      found.push(asLiteral(entry.file, lines, recipient))
    }
  }
  return found
}

function asLiteral(file: string, lines: string[], recipient: ParsedRecipient): RecipientLiteral {
  const text = lines[recipient.line - 1] ?? ''
  const column = Math.max(0, text.toLowerCase().indexOf(recipient.address))
  return { ...recipient, file, text, column }
}

/** Recipient literals on the introduced lines, file by file (each file's text is the context). */
function literalsOnLines(files: PackageFiles | undefined, lines: SourceLine[]): RecipientLiteral[] {
  const byFile = new Map<string, number[]>()
  for (const line of lines) {
    if (!line.text.includes('@')) continue
    const numbers = byFile.get(line.file) ?? []
    numbers.push(line.line)
    byFile.set(line.file, numbers)
  }
  const found: RecipientLiteral[] = []
  for (const [file, numbers] of byFile) {
    const text = files?.files.get(file)?.text ?? ''
    found.push(...recipientLiterals(file, splitLines(text), numbers))
  }
  return found
}

/** Addresses the previous version already sent to, in any of its code files. */
function knownRecipients(previous: PackageFiles | undefined): Set<string> {
  const known = new Set<string>()
  for (const file of codeFiles(previous)) {
    const fileLines = splitLines(file.text ?? '')
    const withAt = fileLines.flatMap((text, index) => (text.includes('@') ? [index + 1] : []))
    for (const literal of recipientLiterals(file.path, fileLines, withAt))
      known.add(literal.address)
    const facts = factsOf(file)
    for (const recipient of facts ? recipientsInFacts(facts) : []) known.add(recipient.address)
  }
  return known
}

export const rule: Rule = { meta, check }
