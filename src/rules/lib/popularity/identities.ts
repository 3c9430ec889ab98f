// Who stands behind a package, as far as its metadata says: maintainer and publisher names and
// e-mail addresses. Used to tell the official project's own spin-off (`postmark-cli` maintained by
// someone @postmarkapp.com) from a stranger's package named after it. A registry mirror may strip
// all of this: then nothing can be compared, and callers must say so rather than assume.
import type { Manifest, Packument } from '../../../types.js'
import { normaliseBare } from './names.js'

const MAX_IDENTITIES = 100
const MAX_IDENTITY_LENGTH = 254

/** Lower-case, separator-free names and e-mail addresses of maintainers and the publisher. */
export function publisherIdentities(packument?: Packument, manifest?: Manifest): string[] {
  const people: unknown[] = [
    ...asArray(packument?.maintainers),
    ...asArray(manifest?.maintainers),
    manifest?._npmUser
  ]
  const out = new Set<string>()
  for (const person of people.slice(0, MAX_IDENTITIES)) {
    for (const value of identityStrings(person)) out.add(value)
  }
  return [...out]
}

/** True when one identity spells `name` (`postmark` in `ops@postmarkapp.com`). */
export function identitiesMention(identities: string[], name: string): boolean {
  const wanted = normaliseBare(name)
  return identities.some((identity) => identity.includes(wanted))
}

function identityStrings(person: unknown): string[] {
  if (typeof person !== 'object' || person === null) return []
  const { name, email } = person as { name?: unknown; email?: unknown }
  return [name, email]
    .filter((value): value is string => typeof value === 'string' && value.length > 0)
    .map((value) =>
      value
        .slice(0, MAX_IDENTITY_LENGTH)
        .toLowerCase()
        .replace(/[-_.]+/g, '')
    )
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}
