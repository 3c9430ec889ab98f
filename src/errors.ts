// Errors that carry a stable code (pacote style), so callers and tests branch on the code,
// not on message text.

export type GateErrorCode =
  | 'ELOCKFILE' // a lockfile that cannot be parsed or whose format is not supported
  | 'EREFS' // base/head commits cannot be determined
  | 'EGIT' // git could not give the base lockfile
  | 'ECONFIG' // invalid input or configuration
  | 'EFEED' // an IOC feed that cannot be loaded
  | 'EREGISTRY' // the registry could not be reached or answered with an error

export class GateError extends Error {
  readonly code: GateErrorCode
  /** Repository-relative file the error is about, when there is one. */
  readonly file?: string
  /** 1-based line in that file, when known. */
  readonly line?: number

  constructor(code: GateErrorCode, message: string, where: { file?: string; line?: number } = {}) {
    super(message)
    this.name = 'GateError'
    this.code = code
    if (where.file !== undefined) this.file = where.file
    if (where.line !== undefined) this.line = where.line
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
