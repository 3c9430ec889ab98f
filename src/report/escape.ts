// Escaping for every output channel. Everything that comes from a package or a lockfile (names,
// versions, paths, snippets, messages) is attacker-controlled, so each reporter passes it through
// the function that matches where it lands:
// - escapeHtml: the job summary. `core.summary` interpolates text as it is, and the summary is
//   rendered as Markdown with HTML blocks, so a raw `<`, a newline or a `|` could inject markup.
// - escapeMarkdownInline / markdownCodeSpan: plain Markdown (e.g. a PR comment).
// - sanitizeText: terminal / log output, where ANSI sequences could repaint lines and a line that
//   starts with `::` or `##[` is executed by the Actions runner as a workflow command.
// All regexes below are single character classes or disjoint classes in sequence: linear time.

/** Default bound on one attacker-controlled string in any output. */
export const MAX_FIELD_LENGTH = 1000

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max = MAX_FIELD_LENGTH): string {
  if (text.length <= max) return text
  return `${text.slice(0, Math.max(0, max - 1))}…`
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // `|` would split a Markdown table cell, a backtick would open a code span.
  '|': '&#124;',
  '`': '&#96;',
  // An encoded newline keeps its meaning inside <pre> but can never form the blank line that
  // ends an HTML block and lets the rest of the text be parsed as Markdown.
  '\n': '&#10;',
  '\r': '&#13;'
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return stripInvisible(text).replace(/[&<>"'|`\n\r]/g, (char) => HTML_ENTITIES[char] ?? char)
}

// C0 (except tab, LF, CR), DEL and C1 controls, plus bidirectional overrides ("Trojan Source")
// that can make a snippet read differently from what it is.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the purpose
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** Replaces control and bidi characters with a visible `\u{…}` form. */
function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, visibleEscape)
}

function visibleEscape(char: string): string {
  return `\\u{${char.codePointAt(0)?.toString(16) ?? ''}}`
}

/** Escapes text for inline Markdown (one line; no link, emphasis, HTML or table syntax survives). */
export function escapeMarkdownInline(text: string): string {
  const oneLine = stripInvisible(text).replace(/[\r\n\u2028\u2029]+/g, ' ')
  return oneLine
    .replace(/[&<>]/g, (char) => HTML_ENTITIES[char] ?? char)
    .replace(/[\\`*_{}[\]()#+\-.!|~"']/g, (char) => `\\${char}`)
}

/**
 * Wraps text in a Markdown code span whose fence is longer than any backtick run inside, so the
 * text cannot close it. `|` is escaped because GFM splits table cells even inside code spans.
 */
export function markdownCodeSpan(text: string): string {
  const oneLine = stripInvisible(text)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const padded = oneLine.startsWith('`') || oneLine.endsWith('`') ? ` ${oneLine} ` : oneLine
  return `${fence}${padded}${fence}`
}

// ESC-introduced sequences: CSI (`ESC [ params intermediates final`), OSC (`ESC ] … BEL|ST`),
// and two-byte escapes; plus the 8-bit CSI. Parameter, intermediate and final byte classes are
// disjoint, so matching is linear.
const ANSI_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the purpose
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g

const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the purpose
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g

const NAMED_CONTROLS: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': ' ' }

// The runner trims leading whitespace, then treats `::cmd …` and the legacy `##[cmd]` as commands.
const COMMAND_START = /^(\s*)(::|##\[)/

/**
 * Makes an attacker-controlled string safe for a terminal or an Actions log, on one line:
 * ANSI sequences are removed, control characters (CR and LF included) become visible escapes,
 * and a leading `::` or `##[` is prefixed with a backslash so it cannot be read as a command.
 */
export function sanitizeText(text: string, max = MAX_FIELD_LENGTH): string {
  const bounded = clip(String(text), max * 4)
  const visible = bounded
    .replace(ANSI_SEQUENCE, '')
    .replace(CONTROL, (char) => NAMED_CONTROLS[char] ?? visibleEscape(char))
  return neutralizeCommandStart(clip(visible, max))
}

function neutralizeCommandStart(line: string): string {
  return line.replace(COMMAND_START, '$1\\$2')
}

/**
 * Applies the workflow-command guard to every line of an already rendered text: two safe pieces
 * (e.g. a lockfile named `:` followed by `:12`) can still join into a line that starts with `::`.
 */
export function neutralizeCommandLines(text: string): string {
  return text.split('\n').map(neutralizeCommandStart).join('\n')
}
