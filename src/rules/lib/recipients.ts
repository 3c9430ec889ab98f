// Tells whether an e-mail literal flows into a recipient of an outgoing message: an object key or
// assignment (`Bcc: 'x@y'`, `mailOptions.bcc = 'x@y'`), a header call (`addHeader('Bcc', 'x@y')`),
// an index (`headers['Bcc'] = 'x@y'`), a builder method (`.bcc('x@y')`), a raw header or SMTP
// command (`'Bcc: x@y'`, `RCPT TO:<x@y>`), or one step of indirection (`const A = 'x@y'` used as
// `bcc: A`). Every regex is end-anchored on a bounded window before the address, with bounded
// quantifiers, so the cost per address is constant.
import { findEmails, isPlaceholderEmailDomain } from './emails.js'
import { isCommentLine } from './code-files.js'
import { windowBefore } from './text.js'
import type { FileFacts } from './code/types.js'

export interface RecipientLiteral {
  /** Lower-cased address. */
  address: string
  /** Lower-cased field it is sent to: `bcc`, `cc`, `to`, `recipient`, `rcpt to`. */
  field: string
  file: string
  /** 1-based line and the line's text. */
  line: number
  text: string
  /** Offset of the address in the line. */
  column: number
}

const WINDOW = 400
const LONG_LINE = 4096
const CONTEXT_LINES = 3
const MAX_ADDRESSES_PER_LINE = 20
/** Bounds per file: how many addresses are judged, how many constants are followed. */
const MAX_ADDRESSES_PER_FILE = 2000
const MAX_NAMES_FOLLOWED = 20
const Q = '["\'`]'
const STRING = `${Q}[^"'\`\\n]{0,200}${Q}`
/** What may sit between the field and the address: earlier array items, `||`, a ternary. */
const TAIL = `\\s*\\[?(?:\\s*(?:${STRING}|[\\w$.]{1,64})\\s*,){0,20}[\\w$.\\s|&?!(]{0,120}${Q}[^"'\`\\n]{0,200}$`
const FIELD = '(?<field>bcc|cc|to|recipients?)'

const CONTEXTS: RegExp[] = [
  // { Bcc: 'x@y' }, "bcc": "x@y", mailOptions.bcc = 'x@y', to: ['a@b', 'x@y'], to=x (Python)
  new RegExp(`(?<![\\w$])(${Q}?)${FIELD}\\1\\s*(?::|=(?![=>]))${TAIL}`, 'i'),
  // addHeader('Bcc', 'x@y'), headers.set('Cc', 'x@y')
  new RegExp(`\\(\\s*(${Q})(?<field>bcc|cc|to)\\1\\s*,${TAIL}`, 'i'),
  // headers['Bcc'] = 'x@y', msg["To"] = "x@y"
  new RegExp(`\\[\\s*(${Q})${FIELD}\\1\\s*\\]\\s*=(?![=>])${TAIL}`, 'i'),
  // .bcc('x@y'), .addBcc('x@y'), .addRecipient('x@y')
  new RegExp(`\\.(?:add|set)?${FIELD}\\s*\\(${TAIL}`, 'i'),
  // a raw header inside a string: 'Bcc: x@y', "...\r\nBcc: Name <x@y>"
  new RegExp(
    `(?:["'\`\\n]|\\\\[rn])\\s*(?<field>bcc|cc|to)\\s*:\\s*(?:[^"'\`<>\\n]{0,120}<)?$`,
    'i'
  ),
  // an SMTP envelope command
  /(?<field>rcpt\s{1,8}to)\s*:\s*<?$/i
]

/**
 * `const ARCHIVE = 'x@y'`: a name the address may flow through. Object properties are not
 * followed (`{ email: 'x@y' }` would match every `user.email`): a known gap.
 */
const NAMED = /(?:const|let|var)\s+([A-Za-z_$][\w$]{0,63})\s*=\s*["'`][^"'`\n]{0,200}$/
/** A recipient field used before a name on the same line, with no other key in between. */
const RECIPIENT_USE = new RegExp(
  `(?<![\\w$])${Q}?${FIELD}${Q}?\\s*(?::|=(?![=>])|,|\\()[^;{}:=]{0,160}$`,
  'i'
)

export function recipientField(before: string): string | undefined {
  for (const context of CONTEXTS) {
    const field = context.exec(before)?.groups?.field
    if (field) return normaliseField(field)
  }
  return undefined
}

function normaliseField(field: string): string {
  const lower = field.toLowerCase().replace(/\s+/g, ' ')
  return lower.startsWith('recipient') ? 'recipient' : lower
}

/** Recipient literals on the given 1-based lines of one file (all of `fileLines` is context). */
export function recipientLiterals(
  file: string,
  fileLines: string[],
  lineNumbers: Iterable<number>
): RecipientLiteral[] {
  const found: RecipientLiteral[] = []
  const fieldThroughName = nameFollower(fileLines)
  let budget = MAX_ADDRESSES_PER_FILE
  for (const line of lineNumbers) {
    const text = fileLines[line - 1] ?? ''
    if (!text.includes('@') || isCommentLine(file, text)) continue
    for (const email of findEmails(text, MAX_ADDRESSES_PER_LINE)) {
      if (budget-- <= 0) return found
      if (isPlaceholderEmailDomain(email.domain)) continue
      const before = contextBefore(fileLines, line - 1, email.start)
      const field = recipientField(before) ?? fieldThroughName(before)
      if (field) {
        found.push({ address: email.address, field, file, line, text, column: email.start })
      }
    }
  }
  return found
}

/** The window before an address: up to three earlier lines too, for multi-line arrays. */
function contextBefore(fileLines: string[], index: number, column: number): string {
  const current = fileLines[index] ?? ''
  if (current.length > LONG_LINE) return windowBefore(current, column, WINDOW)
  const earlier = fileLines
    .slice(Math.max(0, index - CONTEXT_LINES), index)
    .filter((line) => line.length <= LONG_LINE)
  const joined = [...earlier, current.slice(0, column)].join('\n')
  return windowBefore(joined, joined.length, WINDOW)
}

/**
 * Follows `const NAME = 'x@y'` to a recipient use of NAME elsewhere in the file. Each name is
 * looked up once, and only a bounded number of names per file (each lookup reads the file).
 */
function nameFollower(fileLines: string[]): (before: string) => string | undefined {
  const seen = new Map<string, string | undefined>()
  return (before) => {
    const name = NAMED.exec(before.slice(before.lastIndexOf('\n') + 1))?.[1]
    if (!name) return undefined
    if (!seen.has(name)) {
      const followed = seen.size < MAX_NAMES_FOLLOWED
      seen.set(name, followed ? recipientUseOf(name, fileLines) : undefined)
    }
    return seen.get(name)
  }
}

/** The field a name is sent to somewhere in the file (`bcc: ARCHIVE`, `.bcc(config.archive)`). */
function recipientUseOf(name: string, fileLines: string[]): string | undefined {
  for (const line of fileLines) {
    if (line.length > LONG_LINE) continue
    let at = line.indexOf(name)
    while (at !== -1) {
      if (isWholeWord(line, at, name.length)) {
        const field = RECIPIENT_USE.exec(windowBefore(line, at, 200))?.groups?.field
        if (field) return normaliseField(field)
      }
      at = line.indexOf(name, at + name.length)
    }
  }
  return undefined
}

function isWholeWord(line: string, at: number, length: number): boolean {
  const word = /[\w$]/
  return !word.test(line[at - 1] ?? '') && !word.test(line[at + length] ?? '')
}

// ---- on the parser's facts ----
//
// The same behaviour read from what the parser saw, so that spellings the lexical contexts cannot
// see still count: a key built by concatenation (`['B' + 'cc']: …`), an address decoded from base64
// or char codes (the facts hold the decoded value), a header set through `headers.set(…)`.

export interface ParsedRecipient {
  address: string
  field: string
  line: number
}

const RECIPIENT_KEYS = new Map([
  ['bcc', 'bcc'],
  ['cc', 'cc'],
  ['to', 'to'],
  ['recipient', 'recipient'],
  ['recipients', 'recipient'],
  ['rcpt', 'rcpt to']
])
const HEADER_SETTERS = new Set(['addheader', 'setheader', 'set', 'append', 'header', 'addheaders'])
const RECIPIENT_METHODS = new Map([
  ['bcc', 'bcc'],
  ['cc', 'cc'],
  ['addbcc', 'bcc'],
  ['addcc', 'cc'],
  ['setbcc', 'bcc'],
  ['setcc', 'cc'],
  ['addrecipient', 'recipient'],
  ['addrecipients', 'recipient']
])
const MAX_VALUE = 1000
/** What may surround addresses in a recipient value: names, separators, angle brackets. */
const ADDRESS_LIST_REST = /^[\w\s.,;<>"'()-]{0,120}$/

/** The addresses a constant value holds when it is an address list (`a@b, Name <c@d>`). */
export function addressesIn(value: string | undefined): string[] {
  if (value === undefined || value.length > MAX_VALUE || !value.includes('@')) return []
  const emails = findEmails(value, 20).filter((email) => !isPlaceholderEmailDomain(email.domain))
  if (emails.length === 0) return []
  let rest = ''
  let from = 0
  for (const email of emails) {
    rest += value.slice(from, email.start)
    from = email.end
  }
  rest += value.slice(from)
  return ADDRESS_LIST_REST.test(rest) ? emails.map((email) => email.address) : []
}

/** Recipients the parser's facts show: keys, assignments, header calls, raw headers, RCPT TO. */
export function recipientsInFacts(facts: FileFacts): ParsedRecipient[] {
  return [
    ...fromProperties(facts),
    ...fromAssignments(facts),
    ...fromCalls(facts),
    ...fromRawStrings(facts)
  ]
}

function recipientKey(key: string | undefined): string | undefined {
  return key === undefined ? undefined : RECIPIENT_KEYS.get(key.toLowerCase())
}

/** `{ Bcc: 'x@y' }`, `{ to: ['a@b', decoded] }` (array items are strings on the key's line). */
function fromProperties(facts: FileFacts): ParsedRecipient[] {
  const found: ParsedRecipient[] = []
  for (const property of facts.properties) {
    const field = recipientKey(property.key)
    if (!field) continue
    const values =
      property.value !== undefined ? [property.value] : unclaimedStrings(facts, property.line)
    for (const value of values) {
      for (const address of addressesIn(value)) found.push({ address, field, line: property.line })
    }
  }
  return found
}

/** `mail.bcc = 'x@y'`, `headers['B' + 'cc'] = atob('…')`. */
function fromAssignments(facts: FileFacts): ParsedRecipient[] {
  const found: ParsedRecipient[] = []
  for (const member of facts.members) {
    if (!member.assigned) continue
    const field = recipientKey(member.path.slice(member.path.lastIndexOf('.') + 1))
    if (!field) continue
    for (const value of unclaimedStrings(facts, member.line)) {
      for (const address of addressesIn(value)) found.push({ address, field, line: member.line })
    }
  }
  return found
}

/** `addHeader('Bcc', 'x@y')`, `headers.set('cc', …)`, `.bcc('x@y')`, `.addRecipient('x@y')`. */
function fromCalls(facts: FileFacts): ParsedRecipient[] {
  const found: ParsedRecipient[] = []
  for (const call of facts.calls) {
    const method = call.callee.slice(call.callee.lastIndexOf('.') + 1).toLowerCase()
    const headerField = HEADER_SETTERS.has(method) ? recipientKey(call.args[0]) : undefined
    const field = headerField ?? RECIPIENT_METHODS.get(method)
    if (!field) continue
    const args = headerField ? call.args.slice(1) : call.args
    for (const arg of args) {
      for (const address of addressesIn(arg)) found.push({ address, field, line: call.line })
    }
  }
  return found
}

/** A raw header or SMTP command inside a (decoded) string: `'…\r\nBcc: x@y'`, `RCPT TO:<x@y>`. */
function fromRawStrings(facts: FileFacts): ParsedRecipient[] {
  const found: ParsedRecipient[] = []
  for (const fact of facts.strings) {
    if (fact.value.length > LONG_LINE || !fact.value.includes('@')) continue
    for (const email of findEmails(fact.value, MAX_ADDRESSES_PER_LINE)) {
      if (isPlaceholderEmailDomain(email.domain)) continue
      // a leading quote stands for the start of the string, as in the source
      const field = recipientField(`"${windowBefore(fact.value, email.start, WINDOW)}`)
      if (field === 'rcpt to' || (field && RAW_HEADER_FIELDS.has(field))) {
        found.push({ address: email.address, field, line: fact.line })
      }
    }
  }
  return found
}

const RAW_HEADER_FIELDS = new Set(['bcc', 'cc', 'to'])

/**
 * Strings on a line that may be the value of a recipient key or assignment whose value is not a
 * plain constant: the items of an array, or a decoded value. Strings that are the value of another
 * key (`{ from: 'a@b', to: x }`) or a call's own argument (`send({ to: x }, 'a@b')`) are not.
 */
function unclaimedStrings(facts: FileFacts, line: number): string[] {
  const claimed = new Set<string | undefined>()
  for (const property of facts.properties) {
    if (property.line === line && !recipientKey(property.key)) claimed.add(property.value)
  }
  for (const call of facts.calls) {
    if (call.line === line) for (const arg of call.args) claimed.add(arg)
  }
  return facts.strings
    .filter((fact) => fact.line === line && !claimed.has(fact.value))
    .map((fact) => fact.value)
}
