// Bounds on what an OSV snapshot or answer may make lockgate read.

/** A real record is a few kilobytes; anything this large is not one. */
export const MAX_RECORD_BYTES = 1024 * 1024
/** Files looked at, at most (the npm part of OSV holds a few hundred thousand records). */
export const MAX_SNAPSHOT_FILES = 2_000_000
/** Zip files larger than this are refused rather than read into memory. */
export const MAX_ZIP_BYTES = 1024 * 1024 * 1024
/** An answer of the batch API (1,000 results of ids) stays far below this. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024
