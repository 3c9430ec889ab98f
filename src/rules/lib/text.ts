// Small text helpers for rules that read attacker-controlled lines: everything is bounded.

/** Text around `index` (at most `radius` characters each side), for evidence on minified lines. */
export function clipAround(text: string, index: number, radius = 80): string {
  if (text.length <= radius * 2) return text
  const start = Math.max(0, index - radius)
  const end = Math.min(text.length, index + radius)
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`
}

/** Up to `max` characters of `text` that end at `index`: the window a context regex sees. */
export function windowBefore(text: string, index: number, max: number): string {
  return text.slice(Math.max(0, index - max), index)
}

/** `a, b, c (+2 more)`. */
export function listSome(items: string[], max: number): string {
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown} (+${items.length - max} more)` : shown
}
