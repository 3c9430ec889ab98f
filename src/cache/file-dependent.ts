// Which rules judge the contents of a tarball. Their findings depend only on the bytes (pinned by
// the lockfile integrity), the rule's version and the file-content indicators of the feeds, so a
// verdict cache may replay them. Every other rule reads the packument, the lockfile, OSV or the
// package-version feed entries, which change under a package that does not: those run every time.
// A test fails when a registered rule is in neither group, so a new rule is classified on purpose.

/** Rules whose findings come from the tarball contents (or from reading the tarball at all). */
const FILE_DEPENDENT_PREFIXES: readonly string[] = ['content/']
const FILE_DEPENDENT_IDS: ReadonlySet<string> = new Set([
  'ioc/indicator-in-code',
  'ioc/known-file-hash',
  'registry/unpack-limit',
  'registry/integrity-mismatch'
])

/** Rules that read only names, versions, the packument, the lockfile, OSV or the policy. */
const ALWAYS_RUN_PREFIXES: readonly string[] = ['metadata/', 'lockfile/', 'policy/']
const ALWAYS_RUN_IDS: ReadonlySet<string> = new Set([
  'ioc/known-malicious-version',
  'ioc/osv-malicious',
  'ioc/known-publisher',
  'registry/version-unavailable',
  'registry/fetch-failed'
])

export type RuleGroup = 'file-dependent' | 'always-run'

/** The group a rule id belongs to, or undefined when nobody classified it yet. */
export function classifyRule(ruleId: string): RuleGroup | undefined {
  if (FILE_DEPENDENT_IDS.has(ruleId) || hasPrefix(ruleId, FILE_DEPENDENT_PREFIXES)) {
    return 'file-dependent'
  }
  if (ALWAYS_RUN_IDS.has(ruleId) || hasPrefix(ruleId, ALWAYS_RUN_PREFIXES)) return 'always-run'
  return undefined
}

/**
 * True when a rule's findings may be replayed from the verdict cache. An unclassified rule counts
 * as file-dependent: replaying what it found on the full evidence is safer than running it on a
 * cache hit without the tarball, where it would see nothing and report nothing.
 */
export function isFileDependent(ruleId: string): boolean {
  return classifyRule(ruleId) !== 'always-run'
}

function hasPrefix(ruleId: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => ruleId.startsWith(prefix))
}
