// Which binary files of a package are native code that can run (a Windows PE, an ELF or Mach-O
// executable or library, a Node.js addon), as opposed to images, fonts, archives or data.
//
// The unpacker keeps no bytes of binary files, so the kind comes from an optional `magic` field
// (set from the first bytes, when the unpacker provides it) and otherwise from the file name.
// A file whose magic says PE/ELF/Mach-O is native code whatever its name (a `logo.png` that is a
// DLL is exactly what an attacker would ship).
import type { PackageFile, PackageFiles } from '../../../types.js'
import { extensionOf } from '../code-files.js'

export type NativeKind = 'windows' | 'addon' | 'library' | 'unknown'

export type Magic = 'pe' | 'elf' | 'macho'

/** Windows payloads: nothing in an npm package needs them except Windows-only prebuilds. */
const WINDOWS_EXTENSIONS = new Set(['dll', 'exe', 'scr', 'sys', 'com', 'msi', 'cpl', 'ocx'])
const LIBRARY_EXTENSIONS = new Set(['so', 'dylib', 'a', 'o'])
/** `bin`, or no extension at all (`bin/esbuild`, `vendor/payload`). */
const UNKNOWN_EXTENSIONS = new Set(['bin', ''])
/** `libvips.so.42`, `libfoo.so.1.2.3`: the version follows the extension. */
const VERSIONED_SHARED_OBJECT = /\.so(?:\.\d{1,6}){1,4}$/

export interface NativeBinary {
  file: PackageFile
  kind: NativeKind
  /** What the first bytes said, when known. */
  magic?: Magic
}

/** The magic the unpacker may have recorded; tolerant of an unpacker that does not. */
export function magicOf(file: PackageFile): Magic | undefined {
  const magic = (file as { magic?: unknown }).magic
  return magic === 'pe' || magic === 'elf' || magic === 'macho' ? magic : undefined
}

/** The native kind of a file, or undefined for text, media, fonts, archives and data. */
export function nativeKindOf(file: PackageFile): NativeKind | undefined {
  const magic = magicOf(file)
  if (magic) return magic === 'pe' ? 'windows' : 'library'
  if (!file.binary) return undefined
  const name = file.path.slice(file.path.lastIndexOf('/') + 1).toLowerCase()
  if (VERSIONED_SHARED_OBJECT.test(name)) return 'library'
  const extension = extensionOf(name)
  if (WINDOWS_EXTENSIONS.has(extension)) return 'windows'
  if (extension === 'node') return 'addon'
  if (LIBRARY_EXTENSIONS.has(extension)) return 'library'
  // a dot file (`.DS_Store`) has no extension either, and is not code
  if (UNKNOWN_EXTENSIONS.has(extension) && !name.startsWith('.')) return 'unknown'
  return undefined
}

/** Every native binary of a version, sorted by path so that findings are stable. */
export function nativeBinaries(files: PackageFiles | undefined): NativeBinary[] {
  if (!files) return []
  const found: NativeBinary[] = []
  for (const file of files.files.values()) {
    const kind = nativeKindOf(file)
    if (!kind) continue
    const magic = magicOf(file)
    found.push({ file, kind, ...(magic ? { magic } : {}) })
  }
  return found.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0))
}
