// One yarn classic (v1) entry -> LockedPackage. An entry lists the descriptors it satisfies
// (`ms@2.1.3, ms@^2.1.2:`), its `version`, the `resolved` tarball URL (with a `#sha1` fragment)
// and, since yarn 1.10, an npm `integrity`. Classic does not write workspaces into the
// lockfile; `link:` entries are local folders and are skipped like npm's links.
import type { LockedPackage, SourceKind } from '../types.js'
import { quote } from './json-tree.js'
import { classifySource } from './source-kind.js'
import { isGitSpec, isHttpUrl, readDescriptor, type ResolvedDescriptor } from './yarn-descriptor.js'
import {
  checkRegistryVersion,
  optionalString,
  requiredString,
  yarnEntryError,
  type YarnEntry
} from './yarn-fields.js'

export function readClassicEntry(
  entry: YarnEntry,
  descriptors: string[]
): LockedPackage | undefined {
  const parsed = readDescriptors(entry, descriptors)
  if (parsed.every((descriptor) => descriptor.range.startsWith('link:'))) return undefined
  const name = parsed[0].realName
  const version = requiredString(entry, 'version')
  const resolved = optionalString(entry, 'resolved')
  const integrity = optionalString(entry, 'integrity')
  const source = classicSource(parsed, name, version, resolved)
  if (source === 'link') throw yarnEntryError(entry, 'mixes `link:` with other descriptors')
  const alias = parsed.find((descriptor) => descriptor.installName !== name)?.installName
  return {
    name,
    version: source === 'registry' ? checkRegistryVersion(entry, version) : version,
    path: entry.key,
    ...(alias !== undefined ? { alias } : {}),
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
    line: entry.line,
    source
  }
}

/** Every descriptor must name the same package (an alias names it after `npm:`). */
function readDescriptors(entry: YarnEntry, descriptors: string[]): ResolvedDescriptor[] {
  const parsed = descriptors.map((descriptor) => {
    const read = readDescriptor(descriptor)
    if (!read) throw yarnEntryError(entry, `has an invalid descriptor ${quote(descriptor)}`)
    return read
  })
  const other = parsed.find((descriptor) => descriptor.realName !== parsed[0].realName)
  if (other) {
    const names = `${quote(parsed[0].realName)} and ${quote(other.realName)}`
    throw yarnEntryError(entry, `lists descriptors of different packages: ${names}`)
  }
  return parsed
}

/**
 * The descriptors say what was asked for (`github:`, `file:`, a tarball URL), which classic does
 * not always repeat in `resolved` (a `file:` folder has none); otherwise `resolved` decides.
 */
function classicSource(
  parsed: ResolvedDescriptor[],
  name: string,
  version: string,
  resolved: string | undefined
): SourceKind {
  for (const { range } of parsed) {
    const kind = rangeSource(range)
    if (kind) return kind
  }
  return classifySource(name, version, resolved)
}

function rangeSource(range: string): SourceKind | undefined {
  if (range.startsWith('file:')) return 'file'
  if (range.startsWith('link:')) return 'link'
  if (isGitSpec(range)) return 'git'
  if (isHttpUrl(range)) return 'remote'
  return undefined
}
