// Shared helpers for the code-layer tests: facts of one source text, as a package file.
import { factsOf, type FileFacts } from '../../../../src/rules/lib/code/index.js'
import { makeFiles } from '../../../helpers/factories.js'

export function factsOfSource(source: string, path = 'index.js'): FileFacts {
  const file = makeFiles({ [path]: source }).files.get(path)
  const facts = file ? factsOf(file) : undefined
  if (!facts) throw new Error(`no facts for ${path}`)
  return facts
}

export function stringValues(facts: FileFacts, decodedFrom?: string): string[] {
  return facts.strings
    .filter((fact) => decodedFrom === undefined || fact.decodedFrom === decodedFrom)
    .map((fact) => fact.value)
}

export function callees(facts: FileFacts): string[] {
  return facts.calls.map((call) => call.callee)
}

export function specifiers(facts: FileFacts): string[] {
  return facts.imports.map((entry) => entry.specifier)
}
