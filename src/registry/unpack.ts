// Reads a package tarball in memory: gunzip, then tar's streaming Parser. Nothing is ever written
// to disk, so entry paths cannot escape anywhere; they are still normalised because rules and
// reports show them. Every read is bounded (see limits.ts): a limit that is hit stops the reading
// and becomes a sentence in `limitsHit`, reported later as incomplete analysis, never a crash.
import { createHash, type Hash } from 'node:crypto'
import { createGunzip, type Gunzip } from 'node:zlib'
import { Parser, type ReadEntry } from 'tar'
import type { PackageFile, PackageFiles } from '../types.js'
import { DEFAULT_LIMITS, formatBytes, type UnpackLimits } from './limits.js'

export { DEFAULT_LIMITS, type UnpackLimits } from './limits.js'

const BINARY_SAMPLE_BYTES = 8 * 1024
const MAX_PATH_LENGTH = 4096
const REGULAR_FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile'])

export async function unpackTarball(
  data: Buffer | NodeJS.ReadableStream,
  limits: UnpackLimits = DEFAULT_LIMITS
): Promise<PackageFiles> {
  return new TarballReader(limits).read(data)
}

/**
 * The path of an entry inside the package, without the tarball's top folder (usually `package/`,
 * but any first segment is stripped, as npm does). Undefined for the top folder itself and for
 * paths that try to leave the package with `..`: npm's extraction skips those too.
 */
export function normalizeEntryPath(raw: string): string | undefined {
  const parts = raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
  if (parts.includes('..')) return undefined
  const inner = parts.slice(1)
  return inner.length > 0 ? inner.join('/') : undefined
}

/** NUL in the first 8 KiB, or mostly invalid UTF-8: not worth decoding and searching as text. */
export function looksBinary(head: Buffer): boolean {
  const sample = head.subarray(0, BINARY_SAMPLE_BYTES)
  if (sample.includes(0)) return true
  if (sample.length === 0) return false
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(sample)
  let invalid = 0
  for (const char of decoded) if (char === '\uFFFD') invalid++
  // a few replacement characters are legitimate text (or a sequence cut at the sample's end)
  return invalid > 8 && invalid / decoded.length > 0.05
}

/** Cuts a buffer back to the last complete UTF-8 sequence so truncation adds no garbage. */
function cutAtCharBoundary(bytes: Buffer): Buffer {
  let start = bytes.length - 1
  while (start >= 0 && bytes.length - start <= 4 && (bytes[start] & 0xc0) === 0x80) start--
  if (start < 0) return bytes
  const lead = bytes[start]
  const width = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return start + width > bytes.length ? bytes.subarray(0, start) : bytes
}

/** Collects one file: its size, a streaming sha256, and the first bytes kept for text. */
class FileSink {
  private size = 0
  private readonly hash: Hash = createHash('sha256')
  private readonly head: Buffer[] = []
  private headBytes = 0

  constructor(
    private readonly path: string,
    private readonly limits: UnpackLimits
  ) {}

  write(chunk: Buffer): void {
    this.size += chunk.length
    if (this.size <= this.limits.maxHashBytes) this.hash.update(chunk)
    const room = this.limits.maxTextBytes - this.headBytes
    if (room > 0) {
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk
      this.head.push(kept)
      this.headBytes += kept.length
    }
  }

  get hashed(): boolean {
    return this.size <= this.limits.maxHashBytes
  }

  finish(): PackageFile {
    const head = Buffer.concat(this.head)
    const binary = looksBinary(head)
    const textCut = this.size > head.length
    const file: PackageFile = {
      path: this.path,
      size: this.size,
      truncated: (textCut && !binary) || !this.hashed,
      binary
    }
    const magic = binary ? executableMagic(head) : undefined
    if (magic) file.magic = magic
    if (this.hashed) file.sha256 = this.hash.digest('hex')
    if (!binary) file.text = new TextDecoder().decode(textCut ? cutAtCharBoundary(head) : head)
    return file
  }
}

/**
 * PE (Windows), ELF (Linux) or Mach-O (macOS) from the first bytes. `CA FE BA BE` is both a
 * Mach-O fat binary and a Java class file: a fat binary's next word is a small architecture count.
 */
export function executableMagic(head: Buffer): PackageFile['magic'] {
  if (head.length < 8) return undefined
  if (head[0] === 0x4d && head[1] === 0x5a) return 'pe'
  if (head.readUInt32BE(0) === 0x7f454c46) return 'elf'
  const word = head.readUInt32BE(0)
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(word)) return 'macho'
  if (word === 0xcafebabe && head.readUInt32BE(4) < 30) return 'macho'
  return undefined
}

class TarballReader {
  private readonly files = new Map<string, PackageFile>()
  private readonly limitsHit: string[] = []
  private totalBytes = 0
  private fileCount = 0
  private decompressedBytes = 0
  private skippedPaths = 0
  private sniffed = false
  private stopped = false
  private finish: () => void = () => {}
  private readonly gunzip: Gunzip = createGunzip()
  private readonly parser: Parser

  constructor(private readonly limits: UnpackLimits) {
    this.parser = new Parser({
      strict: false,
      // the parser would otherwise unwrap a second, unbounded compression layer itself
      zstd: false,
      onReadEntry: (entry) => this.onEntry(entry),
      onwarn: (code, message) => this.onTarWarning(code, message)
    })
  }

  read(data: Buffer | NodeJS.ReadableStream): Promise<PackageFiles> {
    return new Promise<PackageFiles>((resolve, reject) => {
      let done = false
      this.finish = () => {
        if (done) return
        done = true
        resolve(this.result())
      }
      this.parser.on('end', () => this.finish())
      this.parser.on('error', (error: Error) =>
        this.fail(`the tar archive is invalid: ${error.message}`)
      )
      this.wireGunzip()
      this.feed(data, reject)
    })
  }

  private feed(data: Buffer | NodeJS.ReadableStream, reject: (error: Error) => void): void {
    if (Buffer.isBuffer(data)) {
      if (isGzip(data)) this.gunzip.end(data)
      else this.endParser(data)
      return
    }
    let first = true
    data.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      if (first && !isGzip(bytes)) this.fail('the tarball is not gzip-compressed')
      first = false
      // after a stop the rest is drained and discarded, so a producer (such as an integrity
      // check) can still finish, but nothing more is decompressed
      if (!this.stopped) this.gunzip.write(bytes)
    })
    data.on('end', () => this.gunzip.end())
    data.on('error', (error: Error) => reject(error))
  }

  private wireGunzip(): void {
    this.gunzip.on('data', (chunk: Buffer) => {
      if (this.stopped) return
      this.decompressedBytes += chunk.length
      if (this.decompressedBytes > this.limits.maxDecompressedBytes) {
        this.stop(
          `the tarball decompresses to more than ${formatBytes(this.limits.maxDecompressedBytes)}; reading stopped there`
        )
        return
      }
      this.toParser(chunk)
    })
    this.gunzip.on('end', () => this.endParser())
    this.gunzip.on('error', (error: Error) =>
      this.fail(`the tarball could not be decompressed: ${error.message}`)
    )
  }

  /** The parser sniffs and unwraps gzip by itself: refuse a nested layer it would not bound. */
  private toParser(chunk: Buffer): void {
    if (!this.sniffed) {
      this.sniffed = true
      if (isGzip(chunk)) return this.fail('the tarball is compressed twice')
    }
    this.parser.write(chunk)
  }

  private endParser(data?: Buffer): void {
    if (this.stopped) return
    if (data) this.toParser(data)
    if (!this.stopped) this.parser.end()
  }

  private onEntry(entry: ReadEntry): void {
    if (this.stopped || !REGULAR_FILE_TYPES.has(entry.type)) return void entry.resume()
    const path = entry.path.length <= MAX_PATH_LENGTH ? normalizeEntryPath(entry.path) : undefined
    if (path === undefined) {
      if (entry.path.includes('..') || entry.path.length > MAX_PATH_LENGTH) this.skippedPaths++
      return void entry.resume()
    }
    if (this.fileCount >= this.limits.maxFiles) {
      this.stop(`the package has more than ${this.limits.maxFiles} files; reading stopped there`)
      return void entry.resume()
    }
    this.fileCount++
    this.readFile(entry, new FileSink(path, this.limits), path)
  }

  private readFile(entry: ReadEntry, sink: FileSink, path: string): void {
    entry.on('data', (chunk: Buffer) => {
      if (this.stopped) return
      if (this.totalBytes + chunk.length > this.limits.maxTotalBytes) {
        this.stop(
          `the package unpacks to more than ${formatBytes(this.limits.maxTotalBytes)}; reading stopped at ${path}`
        )
        return
      }
      this.totalBytes += chunk.length
      sink.write(chunk)
    })
    entry.on('end', () => {
      if (this.stopped) return
      if (!sink.hashed) {
        this.limitsHit.push(
          `${path} is larger than ${formatBytes(this.limits.maxHashBytes)}: it was not hashed`
        )
      }
      this.files.set(path, sink.finish())
    })
  }

  private onTarWarning(code: string, message: string): void {
    // entry-level oddities are skipped by the parser; a bad archive means nothing more is read
    if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT') {
      this.fail(`the tar archive is invalid: ${message}`)
    }
  }

  /** A limit was hit: keep what was read, stop decompressing, resolve now. */
  private stop(sentence: string): void {
    if (this.stopped) return
    this.limitsHit.push(sentence)
    this.stopped = true
    this.gunzip.removeAllListeners('data')
    this.gunzip.on('error', () => {})
    this.gunzip.destroy()
    this.finish()
  }

  /** The archive itself is broken: report what could be read. */
  private fail(sentence: string): void {
    this.stop(`${sentence}; the package could not be read completely`)
  }

  private result(): PackageFiles {
    if (this.skippedPaths > 0) {
      this.limitsHit.push(
        `${this.skippedPaths} tar entries with a path that leaves the package folder (..) or is too long were skipped`
      )
    }
    return { files: this.files, totalBytes: this.totalBytes, limitsHit: this.limitsHit }
  }
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}
