// The OSV fixtures in both layouts: the folder (ossf/malicious-packages) is committed, the zip
// (OSV's per-ecosystem export: flat `<ID>.json` files) is built from it at test time.
import { zipSync } from 'fflate'
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'

export const FIXTURE_FOLDER = resolve('__tests__/fixtures/osv/malicious-packages')

export async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Writes `all.zip` with every fixture record at the top level and returns its path. */
export async function buildExportZip(extra: Record<string, string> = {}): Promise<string> {
  const entries: Record<string, Uint8Array> = {}
  for (const path of await jsonFilesUnder(FIXTURE_FOLDER)) {
    entries[basename(path)] = new Uint8Array(await readFile(path))
  }
  for (const [name, text] of Object.entries(extra)) entries[name] = Buffer.from(text)
  const zipPath = join(await mkdtemp(join(tmpdir(), 'lockgate-osv-')), 'all.zip')
  await writeFile(zipPath, zipSync(entries))
  return zipPath
}
