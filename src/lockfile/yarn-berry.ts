// One yarn berry (2+) entry -> LockedPackage. The package is what `resolution` names
// (`string-width@npm:4.2.3`); the key's descriptors only say which ranges it satisfies. Berry's
// `checksum` hashes Yarn's own zip archive, not the npm tarball, so it is never an integrity.
import type { LockedPackage, SourceKind } from '../types.js'
import { quote } from './json-tree.js'
import { isGitSpec, isHttpUrl, readDescriptor, splitIdent } from './yarn-descriptor.js'
import {
  checkRegistryVersion,
  optionalString,
  requiredString,
  yarnEntryError,
  type YarnEntry
} from './yarn-fields.js'

/** Protocols of the repository's own folders: nothing to fetch, skipped like npm's links. */
const LOCAL_PROTOCOLS = ['workspace:', 'portal:', 'link:']
const MAX_PATCH_DEPTH = 3

type Target =
  { kind: 'local' } | { kind: 'package'; source: SourceKind; version?: string; resolved?: string }

export function readBerryEntry(entry: YarnEntry, descriptors: string[]): LockedPackage | undefined {
  const resolution = requiredString(entry, 'resolution')
  const locator = splitIdent(resolution)
  if (!locator) throw yarnEntryError(entry, `has an invalid resolution ${quote(resolution)}`)
  const target = resolveReference(entry, locator.name, locator.range, 0)
  const linkType = readLinkType(entry)
  if (target.kind === 'local') return undefined
  if (linkType === 'soft')
    throw yarnEntryError(entry, 'is a soft link to a package that is not local')
  optionalString(entry, 'checksum') // checked for shape only: it is not an npm integrity
  const alias = checkDescriptors(entry, descriptors, locator.name)
  const version = requiredString(entry, 'version')
  if (target.source === 'registry') checkRegistryVersion(entry, version)
  if (target.version !== undefined && target.version !== version) {
    throw yarnEntryError(
      entry,
      `has version ${quote(version)} but resolves to ${quote(resolution)}`
    )
  }
  return {
    name: locator.name,
    version,
    path: entry.key,
    ...(alias !== undefined ? { alias } : {}),
    ...(target.resolved !== undefined ? { resolved: target.resolved } : {}),
    line: entry.line,
    source: target.source
  }
}

function readLinkType(entry: YarnEntry): string | undefined {
  const linkType = optionalString(entry, 'linkType')
  if (linkType !== undefined && linkType !== 'hard' && linkType !== 'soft') {
    throw yarnEntryError(entry, `has an unknown linkType ${quote(linkType)}`)
  }
  return linkType
}

/**
 * What a locator's reference points at. `npm:1.2.3` is the registry, possibly with an
 * `::__archiveUrl=` parameter when the tarball lives at a non-standard URL; `patch:` wraps another
 * locator (URL-encoded) and a local patch file: the package is still the wrapped one.
 */
function resolveReference(
  entry: YarnEntry,
  name: string,
  reference: string,
  depth: number
): Target {
  const [main, params = ''] = splitOnce(reference, '::')
  if (main.startsWith('npm:')) {
    const archiveUrl = new URLSearchParams(params).get('__archiveUrl') ?? undefined
    const resolved = archiveUrl !== undefined ? { resolved: archiveUrl } : {}
    return { kind: 'package', source: 'registry', version: main.slice(4), ...resolved }
  }
  if (main.startsWith('patch:')) return resolvePatch(entry, name, main, depth)
  if (LOCAL_PROTOCOLS.some((protocol) => main.startsWith(protocol))) return { kind: 'local' }
  if (main.startsWith('file:') || main.startsWith('exec:')) {
    return { kind: 'package', source: 'file', resolved: reference }
  }
  if (isGitSpec(main)) return { kind: 'package', source: 'git', resolved: reference }
  if (isHttpUrl(main)) return { kind: 'package', source: 'remote', resolved: reference }
  // Yarn 2 patches wrapped a bare version (`patch:a@1.0.0#…`): that is the registry too.
  if (depth > 0 && checkBareVersion(main))
    return { kind: 'package', source: 'registry', version: main }
  throw yarnEntryError(entry, `resolves with a protocol we do not support: ${quote(reference)}`)
}

function resolvePatch(entry: YarnEntry, name: string, main: string, depth: number): Target {
  if (depth >= MAX_PATCH_DEPTH) throw yarnEntryError(entry, 'nests patches too deeply')
  const [wrapped] = splitOnce(main.slice('patch:'.length), '#')
  const inner = splitIdent(decodeComponent(entry, wrapped))
  if (!inner || inner.name !== name) {
    throw yarnEntryError(entry, `patches another package than ${quote(name)}: ${quote(wrapped)}`)
  }
  return resolveReference(entry, name, inner.range, depth + 1)
}

function decodeComponent(entry: YarnEntry, text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw yarnEntryError(entry, `has a badly encoded patch source ${quote(text)}`)
  }
}

function checkBareVersion(text: string): boolean {
  return /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(text)
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator)
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)]
}

/**
 * Every descriptor must lead to the resolved package (through an `npm:` alias, or a `patch:` of
 * it); returns the alias the package is installed under, if any.
 */
function checkDescriptors(
  entry: YarnEntry,
  descriptors: string[],
  name: string
): string | undefined {
  let alias: string | undefined
  for (const descriptor of descriptors) {
    const read = readDescriptor(descriptor)
    if (!read) throw yarnEntryError(entry, `has an invalid descriptor ${quote(descriptor)}`)
    const patched = read.range.startsWith('patch:')
    if (!patched && read.realName !== name) {
      throw yarnEntryError(entry, `has a descriptor ${quote(descriptor)} for another package`)
    }
    if (read.installName !== name) alias ??= read.installName
  }
  return alias
}
