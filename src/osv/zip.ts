// Reads the `*.json` entries of a zip held in memory with fflate (pure JS, no native code), a
// slice of entries at a time so that only one slice of decompressed records is alive at once.
import { strFromU8, unzipSync, type UnzipFileInfo } from 'fflate'
import { MAX_RECORD_BYTES, MAX_SNAPSHOT_FILES } from './limits.js'

const ENTRIES_PER_PASS = 5000

/**
 * Calls `onText` with each `*.json` entry's text (undefined for an entry over the size cap).
 * Returns false when the entry cap stopped it early. Throws on a zip that cannot be read.
 */
export function readZipTexts(zip: Uint8Array, onText: (text: string | undefined) => void): boolean {
  for (let first = 0; first < MAX_SNAPSHOT_FILES; first += ENTRIES_PER_PASS) {
    let index = -1
    let beyond = false
    const tooLarge: string[] = []
    const files = unzipSync(zip, {
      filter: (file: UnzipFileInfo) => {
        index += 1
        if (index < first || !file.name.endsWith('.json')) return false
        if (index >= first + ENTRIES_PER_PASS) {
          beyond = true
          return false
        }
        // the declared size bounds what fflate writes: it inflates into a buffer of that size
        if (file.originalSize > MAX_RECORD_BYTES) tooLarge.push(file.name)
        return file.originalSize <= MAX_RECORD_BYTES
      }
    })
    tooLarge.forEach(() => onText(undefined))
    for (const data of Object.values(files)) onText(strFromU8(data))
    if (!beyond) return true
  }
  return false
}
