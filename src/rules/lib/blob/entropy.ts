// Shannon entropy of a text's characters, in bits per character: how unpredictable it is.
// Prose and readable code sit around 4–5 bits; minified code a little above 5; base64 and
// encrypted or packed payloads near 6. Used to tell a line of payload from a line of code.

/** Characters looked at by default: enough for a stable estimate, bounded for huge lines. */
export const ENTROPY_SAMPLE_CHARS = 64 * 1024

/** Bits per character over the first `maxChars` characters (UTF-16 code units) of `text`. */
export function shannonEntropy(text: string, maxChars = ENTROPY_SAMPLE_CHARS): number {
  const length = Math.min(text.length, maxChars)
  if (length === 0) return 0
  const counts = new Map<number, number>()
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index)
    counts.set(code, (counts.get(code) ?? 0) + 1)
  }
  let bits = 0
  for (const count of counts.values()) {
    const p = count / length
    bits -= p * Math.log2(p)
  }
  return bits
}
