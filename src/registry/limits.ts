// Bounds on what is read from one tarball. A package is attacker-controlled: without these, a
// gzip bomb or a tarball with millions of entries would exhaust the runner's memory or time.
// Hitting a limit never crashes the scan: it is recorded and reported as incomplete analysis.

export interface UnpackLimits {
  /** Bytes of each file kept as text for the content rules; the rest is hashed, not kept. */
  maxTextBytes: number
  /** Files larger than this are not hashed either (their size is still counted). */
  maxHashBytes: number
  /** Unpacked file bytes per package; reading stops beyond. */
  maxTotalBytes: number
  /** Regular files per package; reading stops beyond. */
  maxFiles: number
  /** Decompressed tar stream bytes (headers and padding included): the gzip bomb guard. */
  maxDecompressedBytes: number
  /** Compressed tarball bytes downloaded per package. */
  maxTarballBytes: number
}

const MiB = 1024 * 1024

export const DEFAULT_LIMITS: Readonly<UnpackLimits> = Object.freeze({
  maxTextBytes: 1 * MiB,
  maxHashBytes: 256 * MiB,
  maxTotalBytes: 256 * MiB,
  maxFiles: 20_000,
  // room for a 512-byte header plus padding per file on top of the file bytes
  maxDecompressedBytes: 256 * MiB + 20_000 * 1024 + MiB,
  maxTarballBytes: 256 * MiB
})

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1).replace(/\.0$/, '')} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`
  return `${bytes} bytes`
}
