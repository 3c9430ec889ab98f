#!/usr/bin/env node
// The floor: download every packument and tarball a lockfile names (through pacote, with the same
// npm configuration lockgate reads, at most 8 at a time) and gunzip + untar each tarball in memory,
// doing nothing else. No scanner that reads every byte can be faster than this on the same network.
//
//   node bench/floor.mjs <folder with package-lock.json> [--cache DIR] [--concurrency N]
//
// Without --cache a fresh temporary cache is used and removed (a cold run); pass the same --cache
// twice for a warm run. Prints one JSON line: counts, bytes and the wall time inside the script.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_CONCURRENCY, fetchAll } from './lib/fetch-all.mjs'
import { readLockedPackages } from './lib/lockfile.mjs'
import { npmOptionsFor } from './lib/npm-options.mjs'
import { gunzipUntar } from './lib/untar.mjs'

const started = performance.now()
const { values, positionals } = parseArgs({
  options: { cache: { type: 'string' }, concurrency: { type: 'string' } },
  allowPositionals: true
})
if (positionals.length !== 1) {
  console.error('usage: node bench/floor.mjs <dir> [--cache DIR] [--concurrency N]')
  process.exit(2)
}
const dir = resolve(positionals[0])
const cacheDir = values.cache ?? mkdtempSync(join(tmpdir(), 'lockgate-floor-'))
try {
  const locked = readLockedPackages(dir)
  const stats = await fetchAll(locked, {
    npmOptions: npmOptionsFor(dir),
    cacheDir,
    concurrency: Number(values.concurrency ?? DEFAULT_CONCURRENCY),
    onTarball: (_target, tgz) => gunzipUntar(tgz)
  })
  const ms = Math.round(performance.now() - started)
  console.log(JSON.stringify({ locked: locked.length, ...stats, ms }))
} finally {
  if (!values.cache) rmSync(cacheDir, { recursive: true, force: true })
}
