// Fixture packages for rule tests: readable source folders, packed into real tarballs at test time
// and read back through the same in-memory unpacker the scanner uses.
//
// Layout: `__tests__/fixtures/packages/<rule id>/{malicious,benign}/<case>/{old,new}/…`, where
// `old/` is optional (absent: an added package). Incident replays live under
// `__tests__/fixtures/packages/incidents/<case>/` with the same old/new folders.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { unpackTarball } from '../../src/registry/unpack.js'
import type { RuleContext } from '../../src/rules/types.js'
import type { Manifest, PackageFiles } from '../../src/types.js'
import { makeChange, makeContext } from './factories.js'
import { packDirectory } from './fake-registry.js'

export const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'packages')

export function listDirs(path: string): string[] {
  if (!existsSync(path)) return []
  return readdirSync(path)
    .filter((name) => statSync(join(path, name)).isDirectory())
    .sort()
}

interface Side {
  files: PackageFiles
  manifest: Manifest
}

async function readSide(caseDir: string, side: 'old' | 'new'): Promise<Side | undefined> {
  const dir = join(caseDir, side)
  if (!existsSync(dir)) return undefined
  const manifestPath = join(dir, 'package.json')
  if (!existsSync(manifestPath)) throw new Error(`${dir} has no package.json`)
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest
  return { files: await unpackTarball(await packDirectory(dir)), manifest }
}

/** The rule context for a fixture case: a change from old/ (if any) to new/. */
export async function contextFor(caseDir: string): Promise<RuleContext> {
  const next = await readSide(caseDir, 'new')
  if (!next) throw new Error(`${caseDir} has no new/ folder`)
  const previous = await readSide(caseDir, 'old')
  const change = makeChange({
    name: next.manifest.name,
    version: next.manifest.version,
    previousVersion: previous ? previous.manifest.version : null
  })
  return makeContext({
    change,
    files: next.files,
    manifest: next.manifest,
    ...(previous ? { previousFiles: previous.files, previousManifest: previous.manifest } : {})
  })
}
