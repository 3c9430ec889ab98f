// Detects: a file in the package whose sha256 is listed in an IOC feed (e.g. Shai-Hulud's
// `bundle.js` and `setup_bun.js`).
// Why: a known payload, byte for byte, whatever the package or version that carries it.
// False positives: practically none for a full hash. Files over the per-file read limit have no
// hash and are not checked here (the size-limit finding covers them).
import { describeIncident, uniqueEntries } from '../../ioc/describe.js'
import type { Finding } from '../../types.js'
import { makeFinding } from '../finding.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'ioc/known-file-hash',
  title: 'Known malicious file',
  description:
    'A file in the package has the sha256 of a known malicious payload listed in an ' +
    'indicator-of-compromise feed.',
  defaultSeverity: 'critical',
  version: 1
}

function check(ctx: RuleContext): Finding[] {
  const findings: Finding[] = []
  const files = [...(ctx.files?.files.values() ?? [])].sort((a, b) => a.path.localeCompare(b.path))
  for (const file of files) {
    if (file.sha256 === undefined) continue
    for (const entry of uniqueEntries(ctx.iocs.matchHash(file.sha256))) {
      const message =
        `${ctx.change.name}@${ctx.change.version} ships ${file.path}, a known malicious file ` +
        `(sha256 ${entry.value}; ${describeIncident(entry)})`
      findings.push(
        makeFinding(ctx, meta, message, [{ file: file.path, snippet: `sha256 ${file.sha256}` }])
      )
    }
  }
  return findings
}

export const rule: Rule = { meta, check }
