// Version history helpers shared by the metadata rules.
import semver, { type SemVer } from 'semver'

/**
 * The valid versions among `versions` that are lower than `version`, oldest first. Each is parsed
 * once: sorting the strings would parse both sides at every comparison (seconds on big packuments).
 */
export function versionsBelow(versions: Iterable<string>, version: string): SemVer[] {
  return [...versions]
    .flatMap((other) => semver.parse(other) ?? [])
    .filter((other) => other.compare(version) < 0)
    .sort(semver.compare)
}
