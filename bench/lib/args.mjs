// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util'

export const LOCKFILES = ['small', 'medium', 'large']
const DEFAULT_REPS = { small: 5, medium: 5, large: 3 }

export const USAGE = `Usage: npm run bench -- [options]

Measures lockgate against npm ci and the download + unpack floor on bench/{small,medium,large}.
It uses the configured registry (network) and takes a while: run it on a quiet machine.

Options:
  --only NAME      only this lockfile (small, medium or large; repeatable)
  --reps N         repetitions of each measurement (default: 5 for small/medium, 3 for large)
  --quick          smoke test: small only, 1 repetition, RESULTS.md left alone
  --results FILE   where to write the results (default: bench/RESULTS.md)
  --no-results     do not write the results file
  --note TEXT      a sentence written into the results (e.g. "busy machine")
  --cli PATH       the lockgate CLI to measure (default: dist/cli.js)
  --keep           keep the temporary folders (their path is printed)
  -h, --help       show this help`

export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      reps: { type: 'string' },
      quick: { type: 'boolean', default: false },
      results: { type: 'string' },
      'no-results': { type: 'boolean', default: false },
      note: { type: 'string' },
      cli: { type: 'string', default: 'dist/cli.js' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  const only = values.quick ? ['small'] : (values.only ?? LOCKFILES)
  for (const name of only) {
    if (!LOCKFILES.includes(name)) throw new Error(`--only must be one of ${LOCKFILES.join(', ')}`)
  }
  const reps = values.quick ? 1 : parseReps(values.reps)
  return {
    help: values.help,
    lockfiles: LOCKFILES.filter((name) => only.includes(name)),
    repsFor: (name) => reps ?? DEFAULT_REPS[name],
    quick: values.quick,
    resultsPath:
      values['no-results'] || (values.quick && !values.results)
        ? undefined
        : (values.results ?? 'bench/RESULTS.md'),
    note: values.note,
    cli: values.cli,
    keep: values.keep
  }
}

function parseReps(text) {
  if (text === undefined) return undefined
  const reps = Number(text)
  if (!Number.isInteger(reps) || reps < 1 || reps > 50) throw new Error('--reps must be 1 to 50')
  return reps
}
