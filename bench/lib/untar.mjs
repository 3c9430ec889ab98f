// Plain gunzip + untar of a tarball held in memory: every entry's bytes are produced and counted,
// nothing is kept. This is the unpacking half of the floor.
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { Parser } from 'tar'

const gunzipAsync = promisify(gunzip)

/** Bytes of regular-file data in the tarball. */
export async function gunzipUntar(tgz) {
  const tar = await gunzipAsync(tgz)
  return untar(tar)
}

function untar(tar) {
  return new Promise((resolve, reject) => {
    let bytes = 0
    const parser = new Parser({
      strict: false,
      zstd: false,
      onReadEntry: (entry) => {
        entry.on('data', (chunk) => (bytes += chunk.length))
      }
    })
    parser.on('end', () => resolve(bytes))
    parser.on('error', reject)
    parser.end(tar)
  })
}
