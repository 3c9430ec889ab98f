// Whether a version builds native code from source, and whether a binary sits in a per-platform
// prebuild folder. A native addon that moves from compiling on install (`binding.gyp`, node-gyp,
// node-pre-gyp) to shipping prebuilt binaries (`prebuilds/linux-x64/addon.node`) is routine
// (bcrypt 6, node-pty 1.1): it already ran native code on every install.
import type { Manifest, PackageFiles } from '../../../types.js'
import { installCommands, readPackageJson, type PackageJson } from './package-json.js'

/** Tools an install script runs to compile an addon or fetch its prebuilt binary. */
const NATIVE_BUILD_TOOLS = new Set([
  'node-gyp',
  'node-pre-gyp',
  'prebuild-install',
  'node-gyp-build',
  'node-gyp-build-optional-packages',
  'cmake-js',
  'prebuild'
])
/** Node's `process.platform` names, and the .NET-style ones (`win10-x64`, `osx-arm64`). */
const OPERATING_SYSTEMS = new Set([
  'win32',
  'windows',
  'win',
  'win10',
  'win11',
  'osx',
  'darwin',
  'macos',
  'linux',
  'linuxmusl',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'android'
])
const CPUS = new Set([
  'x64',
  'arm64',
  'ia32',
  'x86',
  'arm',
  'armv7',
  'ppc64',
  'ppc64le',
  's390x',
  'riscv64',
  'loong64',
  'mips64el',
  'universal'
])
/** Folders deeper than this are not searched for a per-platform folder name. */
const MAX_DEPTH = 8

/**
 * True when the version compiled or fetched native code on install: a `binding.gyp` (npm runs
 * `node-gyp rebuild` for it when there is no install script), `gypfile: true`, or an install
 * script that runs a native build tool.
 */
export function buildsNativeCode(
  files: PackageFiles | undefined,
  manifest: Manifest | undefined
): boolean {
  if (files && [...files.files.keys()].some(isBindingGyp)) return true
  const fromTarball = readPackageJson(files, undefined)
  const fromRegistry = readPackageJson(undefined, manifest)
  return [fromTarball, fromRegistry].some((pkg) => pkg?.value.gypfile === true || runsBuild(pkg))
}

function isBindingGyp(path: string): boolean {
  return path === 'binding.gyp' || path.endsWith('/binding.gyp')
}

function runsBuild(pkg: PackageJson | undefined): boolean {
  return installCommands(pkg).some((command) =>
    command
      .split(/[\s;&|()<>"'=]+/)
      .some((word) => NATIVE_BUILD_TOOLS.has(word.slice(word.lastIndexOf('/') + 1)))
  )
}

/**
 * True when a folder on the file's path names one platform: `<os>-<cpu>` with an optional libc
 * or toolchain word before or after the CPU (`prebuilds/win32-x64/`, `bin/linux-arm64-musl/`,
 * `linux-musl-x64/`, `third_party/conpty/1.23/win10-arm64/`).
 */
export function inPlatformFolder(path: string): boolean {
  const folders = path.split('/').slice(0, -1).slice(0, MAX_DEPTH)
  return folders.some((folder) => {
    const [os, ...rest] = folder.toLowerCase().split('-')
    return (
      os !== undefined && OPERATING_SYSTEMS.has(os) && rest.slice(0, 2).some((w) => CPUS.has(w))
    )
  })
}
