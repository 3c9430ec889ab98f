// Does a configuration entry (a package name glob and a semver range) cover a package version?
// Shared by the `allow` list (analyze/policy.ts) and the `deny` rule (rules/policy/denied.ts).
import picomatch from 'picomatch'
import semver from 'semver'

/**
 * Name glob (`@acme/*`: `*` stays inside a scope, `**` crosses it) and semver range, prereleases
 * included: an entry for `*` or `<2` must also cover `1.0.0-beta.1`.
 */
export function packageMatches(
  glob: string,
  range: string,
  pkg: { name: string; version: string }
): boolean {
  if (!picomatch.isMatch(pkg.name, glob, { dot: true })) return false
  return semver.satisfies(pkg.version, range, { includePrerelease: true, loose: true })
}
