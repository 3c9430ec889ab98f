// A bounded accumulator of facts for one file. A package is attacker-controlled: a file with a
// million string literals must cost a bounded amount of memory, so every kind of fact is capped.
import type { CallFact, FileFacts, MemberFact, PropertyFact, StringFact } from './types.js'
import { MAX_FOLDED_LENGTH } from './decode.js'

export interface FactLimits {
  /** Facts kept per kind (strings, calls, ...) per file. */
  maxPerKind: number
  /** Distinct identifier names kept per file. */
  maxIdentifiers: number
}

export const DEFAULT_FACT_LIMITS: FactLimits = { maxPerKind: 20_000, maxIdentifiers: 5_000 }

/** Longest identifier name kept: obfuscators use short names, minifiers even shorter. */
const MAX_IDENTIFIER_LENGTH = 256

export class FactCollector {
  readonly strings: StringFact[] = []
  readonly calls: CallFact[] = []
  readonly members: MemberFact[] = []
  readonly properties: PropertyFact[] = []
  readonly imports: FileFacts['imports'] = []
  private readonly identifierNames = new Set<string>()

  constructor(private readonly limits: FactLimits = DEFAULT_FACT_LIMITS) {}

  addString(value: string, line: number, decodedFrom?: StringFact['decodedFrom']): void {
    if (this.strings.length >= this.limits.maxPerKind) return
    const kept = value.length > MAX_FOLDED_LENGTH ? value.slice(0, MAX_FOLDED_LENGTH) : value
    this.strings.push(decodedFrom ? { value: kept, line, decodedFrom } : { value: kept, line })
  }

  addCall(callee: string, args: (string | undefined)[], line: number): void {
    if (this.calls.length < this.limits.maxPerKind) this.calls.push({ callee, args, line })
  }

  addMember(path: string, assigned: boolean, line: number): void {
    if (this.members.length < this.limits.maxPerKind) this.members.push({ path, assigned, line })
  }

  addProperty(key: string, value: string | undefined, line: number): void {
    if (this.properties.length >= this.limits.maxPerKind) return
    this.properties.push(value === undefined ? { key, line } : { key, value, line })
  }

  addImport(specifier: string, line: number): void {
    if (this.imports.length < this.limits.maxPerKind) this.imports.push({ specifier, line })
  }

  addIdentifier(name: string): void {
    if (this.identifierNames.size >= this.limits.maxIdentifiers) return
    if (name.length <= MAX_IDENTIFIER_LENGTH) this.identifierNames.add(name)
  }

  /**
   * Adds another set of facts: those found inside decoded code (an `eval`'d base64 payload) are
   * placed at `line`, the line of the literal they came from; with no line they keep their own.
   */
  addNested(facts: FileFacts, line: number | undefined): void {
    for (const f of facts.strings) this.addString(f.value, line ?? f.line, f.decodedFrom)
    for (const f of facts.calls) this.addCall(f.callee, f.args, line ?? f.line)
    for (const f of facts.members) this.addMember(f.path, f.assigned, line ?? f.line)
    for (const f of facts.properties) this.addProperty(f.key, f.value, line ?? f.line)
    for (const f of facts.imports) this.addImport(f.specifier, line ?? f.line)
    for (const name of facts.identifiers) this.addIdentifier(name)
  }

  finish(parsed: boolean): FileFacts {
    return {
      parsed,
      strings: this.strings,
      calls: this.calls,
      members: this.members,
      properties: this.properties,
      imports: this.imports,
      identifiers: [...this.identifierNames]
    }
  }
}

/**
 * The facts of `primary` plus those of `extra` that `primary` lacks at the same line (same kind
 * and value): used to complete acorn-loose's partial tree with the lexical scanner's findings.
 */
export function mergeFacts(primary: FileFacts, extra: FileFacts): FileFacts {
  const merged = new FactCollector()
  merged.addNested(primary, undefined)
  const seen = (kind: string, line: number, ...parts: (string | undefined)[]) =>
    [kind, String(line), ...parts.map((part) => part ?? '\u0001')].join('\0')
  const known = new Set<string>([
    ...primary.strings.map((s) => seen('s', s.line, s.value)),
    ...primary.calls.map((c) => seen('c', c.line, c.callee)),
    ...primary.members.map((m) => seen('m', m.line, m.path)),
    ...primary.properties.map((p) => seen('p', p.line, p.key)),
    ...primary.imports.map((i) => seen('i', i.line, i.specifier))
  ])
  const fresh = (key: string) => !known.has(key)
  for (const s of extra.strings) {
    if (fresh(seen('s', s.line, s.value))) merged.addString(s.value, s.line, s.decodedFrom)
  }
  for (const c of extra.calls) {
    if (fresh(seen('c', c.line, c.callee))) merged.addCall(c.callee, c.args, c.line)
  }
  for (const m of extra.members) {
    if (fresh(seen('m', m.line, m.path))) merged.addMember(m.path, m.assigned, m.line)
  }
  for (const p of extra.properties) {
    if (fresh(seen('p', p.line, p.key))) merged.addProperty(p.key, p.value, p.line)
  }
  for (const i of extra.imports) {
    if (fresh(seen('i', i.line, i.specifier))) merged.addImport(i.specifier, i.line)
  }
  for (const name of extra.identifiers) merged.addIdentifier(name)
  return merged.finish(false)
}
