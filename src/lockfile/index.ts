// Entry point of the parse stage: picks the parser from the lockfile's file name. Anything that
// is not a lockfile we understand is a hard error (ELOCKFILE), never an empty package list.
import { GateError } from '../errors.js'
import type { LockfileFormat, ParsedLockfile } from '../types.js'
import { parsePackageLock } from './package-lock.js'

// Far above any real lockfile (the largest seen are a few MB); bounds memory on crafted input.
export const MAX_LOCKFILE_CHARS = 64 * 1024 * 1024

const FORMATS: Record<string, LockfileFormat> = {
  'package-lock.json': 'package-lock',
  'npm-shrinkwrap.json': 'npm-shrinkwrap'
}

export function isSupportedLockfile(path: string): boolean {
  return Object.hasOwn(FORMATS, basename(path))
}

export function parseLockfile(path: string, text: string): ParsedLockfile {
  const file = path.replaceAll('\\', '/')
  const name = basename(file)
  if (!Object.hasOwn(FORMATS, name)) {
    const supported = Object.keys(FORMATS).join(', ')
    throw new GateError(
      'ELOCKFILE',
      `${file} is not a supported lockfile (supported: ${supported})`,
      {
        file
      }
    )
  }
  if (text.length > MAX_LOCKFILE_CHARS) {
    throw new GateError('ELOCKFILE', `${file} is larger than ${MAX_LOCKFILE_CHARS} characters`, {
      file
    })
  }
  return parsePackageLock(file, text, FORMATS[name])
}

function basename(path: string): string {
  const normalized = path.replaceAll('\\', '/')
  return normalized.slice(normalized.lastIndexOf('/') + 1)
}
