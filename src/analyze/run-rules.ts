// Runs every rule on every fetched package. Each rule runs isolated: a rule that throws becomes a
// recorded error (which fails the gate as incomplete analysis), never a lost run or a silent pass.
import { errorMessage } from '../errors.js'
import type { IocIndex, Rule, RuleContext, RuleOptions } from '../rules/types.js'
import type { Finding, RunError } from '../types.js'

/** What the fetch stage knows about one change: RuleContext without the run-wide parts. */
export type PackageEvidence = Omit<RuleContext, 'iocs' | 'options' | 'now'>

export interface RuleRunInput {
  rules: readonly Rule[]
  packages: readonly PackageEvidence[]
  iocs: IocIndex
  now: Date
  optionsFor?: (ruleId: string) => RuleOptions
}

export interface RuleRunResult {
  findings: Finding[]
  errors: RunError[]
}

export async function runRules(input: RuleRunInput): Promise<RuleRunResult> {
  const findings: Finding[] = []
  const errors: RunError[] = []
  for (const evidence of input.packages) {
    for (const rule of input.rules) {
      const ctx: RuleContext = {
        ...evidence,
        iocs: input.iocs,
        options: input.optionsFor?.(rule.meta.id) ?? {},
        now: input.now
      }
      try {
        // copied: a finding's snippet is often a slice of a file's text, and a slice keeps the
        // whole text (megabytes) alive for as long as the finding lives, i.e. the whole run
        findings.push(...structuredClone(await rule.check(ctx)))
      } catch (error) {
        errors.push(ruleError(rule, ctx, error))
      }
    }
  }
  return { findings, errors }
}

function ruleError(rule: Rule, ctx: RuleContext, error: unknown): RunError {
  const { change } = ctx
  return {
    code: 'ERULE',
    message: `rule ${rule.meta.id} failed on ${change.name}@${change.version}: ${errorMessage(error)}`,
    lockfile: change.lockfile,
    line: change.line,
    package: `${change.name}@${change.version}`,
    ruleId: rule.meta.id
  }
}
