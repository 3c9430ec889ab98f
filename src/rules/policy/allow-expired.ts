// Detects: an `allow` entry of the configuration file whose `expires` day has passed. Such an
// entry no longer suppresses anything, so the findings it covered count again; this warning,
// located at the entry's line in the configuration file, says why.
// Why: exceptions are granted for a while ("until upstream ships a fix"); one that silently
// outlived its reason is how an accepted risk becomes a forgotten one.
// False positives: none; renew the date (with a reason that still holds) or remove the entry.
// It concerns the configuration, not a package: the policy stage (analyze/policy.ts) builds its
// findings once per run with `expiredAllowFinding`, so `check` finds nothing per package. It is
// still a rule so that its id, severity and description are listed and configurable like any other.
import type { AllowEntry } from '../../config.js'
import type { Finding } from '../../types.js'
import type { Rule, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'policy/allow-expired',
  title: 'Expired allow entry',
  description:
    'An allow entry of the configuration file is past its expires date: it no longer ' +
    'suppresses findings. Renew it with a new date, or remove it.',
  defaultSeverity: 'low',
  version: 1
}

function check(): Finding[] {
  return []
}

/** The warning for one expired entry; `covered` counts the findings it would have suppressed. */
export function expiredAllowFinding(entry: AllowEntry, file: string, covered: number): Finding {
  const reason = entry.reason.replace(/\s+/g, ' ').trim().slice(0, 200)
  const rules = entry.rules ? ` for ${entry.rules.join(', ')}` : ''
  return {
    ruleId: meta.id,
    severity: meta.defaultSeverity,
    message:
      `the allow entry for ${entry.package}@${entry.versions}${rules} ("${reason}") expired on ` +
      `${entry.expires}: it no longer suppresses findings (${covered} in this run); renew the ` +
      'date or remove the entry',
    package: { name: entry.package, version: entry.versions },
    location: { lockfile: file, line: entry.line },
    evidence: [{ file, line: entry.line, snippet: `expires: ${entry.expires}` }]
  }
}

export const rule: Rule = { meta, check }
