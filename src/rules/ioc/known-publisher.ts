// Detects: a package published or maintained by an npm account listed in an IOC feed (for
// example `phanpak`, who published the postmark-mcp backdoor and about 30 other packages).
// Why: an attacker's other packages are suspect even before each one is reported.
// False positives: an account that was hijacked and later recovered by its owner (such accounts
// should not be listed as publishers). Needs registry metadata: behind mirrors that strip
// `_npmUser` and `maintainers` this rule sees nothing (other rules report missing metadata).
import { describeIncident, uniqueEntries } from '../../ioc/describe.js'
import type { Evidence, Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { IocEntry, Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'ioc/known-publisher',
  title: 'Published by a known malicious account',
  description:
    'The version was published, or the package is maintained, by an npm account listed in an ' +
    'indicator-of-compromise feed.',
  defaultSeverity: 'critical',
  version: 1
}

interface Account {
  name: string
  /** Where the name was read, for the evidence. */
  role: string
}

function accountsOf(ctx: RuleContext): Account[] {
  const accounts: Account[] = []
  const publisher = ctx.manifest?._npmUser?.name
  if (typeof publisher === 'string')
    accounts.push({ name: publisher, role: 'publisher (_npmUser)' })
  for (const [list, role] of [
    [ctx.manifest?.maintainers, 'version maintainer'],
    [ctx.packument?.maintainers, 'package maintainer']
  ] as const) {
    if (!Array.isArray(list)) continue
    for (const person of list) {
      if (typeof person?.name === 'string') accounts.push({ name: person.name, role })
    }
  }
  return accounts
}

function check(ctx: RuleContext): Finding[] {
  const hits = new Map<IocEntry, Evidence[]>()
  for (const account of accountsOf(ctx)) {
    for (const entry of ctx.iocs.matchPublisher(account.name)) {
      const evidence = hits.get(entry) ?? []
      evidence.push({ snippet: `registry metadata, ${account.role}: ${account.name}` })
      hits.set(entry, evidence)
    }
  }
  return uniqueEntries([...hits.keys()]).map((entry) =>
    makeFinding(
      ctx,
      meta,
      `${ctx.change.name}@${ctx.change.version} is published or maintained by the known ` +
        `malicious npm account ${entry.value} (${describeIncident(entry)})`,
      hits.get(entry)
    )
  )
}

export const rule: Rule = { meta, check }
