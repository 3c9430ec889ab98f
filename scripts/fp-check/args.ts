// Command-line options of `npm run fp-check`.

export interface FpCheckArgs {
  /** Check only the first N names of the list. */
  limit?: number
  /** Check only these names (they need not be in the list). */
  only?: string[]
  /** Write the results as JSON to this file. */
  json?: string
  /** Packages checked at the same time. */
  concurrency: number
  /** Package list file. */
  list: string
  /** Also print info findings (context, never a warn or a fail). */
  verbose: boolean
  /** Run every rule file under src/rules/, registered or not (the runner bundles them). */
  allRuleFiles: boolean
}

export const DEFAULT_CONCURRENCY = 6
export const DEFAULT_LIST = 'scripts/fp-check/packages.txt'

export const USAGE = [
  'usage: npm run fp-check -- [--limit N] [--only a,b] [--json FILE] [--concurrency N]',
  '                           [--list FILE] [--verbose] [--all-rule-files]'
].join('\n')

export function parseArgs(argv: readonly string[]): FpCheckArgs {
  const args: FpCheckArgs = {
    concurrency: DEFAULT_CONCURRENCY,
    list: DEFAULT_LIST,
    verbose: false,
    allRuleFiles: false
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i])
    const value = (): string => {
      const next = inline ?? argv[++i]
      if (next === undefined || next === '') throw new Error(`${flag} needs a value\n${USAGE}`)
      return next
    }
    if (flag === '--limit') args.limit = positiveInteger(flag, value())
    else if (flag === '--concurrency') args.concurrency = positiveInteger(flag, value())
    else if (flag === '--only') args.only = splitNames(value())
    else if (flag === '--json') args.json = value()
    else if (flag === '--list') args.list = value()
    else if (flag === '--verbose') args.verbose = true
    else if (flag === '--all-rule-files') args.allRuleFiles = true
    else throw new Error(`unknown option ${flag}\n${USAGE}`)
  }
  return args
}

/** `--limit=5` and `--limit 5` both work. */
function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=')
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined]
}

function positiveInteger(flag: string, value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1) throw new Error(`${flag} needs a positive integer`)
  return number
}

function splitNames(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
}

/** The names to check: `--only` wins over the list, `--limit` keeps the first N. */
export function selectNames(list: readonly string[], args: FpCheckArgs): string[] {
  const names = args.only ?? [...list]
  return args.limit === undefined ? names : names.slice(0, args.limit)
}
