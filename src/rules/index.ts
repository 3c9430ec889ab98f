// The rule registry. These correspond to the rule files under src/rules/<kind>/; keep sorted by id.
// A test fails when a rule file is missing here or its id does not match its path.
import { rule as installScriptChanged } from './content/install-script-changed.js'
import { rule as newEmailRecipient } from './content/new-email-recipient.js'
import { rule as newEndpoint } from './content/new-endpoint.js'
import { rule as indicatorInCode } from './ioc/indicator-in-code.js'
import { rule as knownFileHash } from './ioc/known-file-hash.js'
import { rule as knownMaliciousVersion } from './ioc/known-malicious-version.js'
import { rule as knownPublisher } from './ioc/known-publisher.js'
import { rule as integrityChanged } from './lockfile/integrity-changed.js'
import { rule as nonRegistrySource } from './lockfile/non-registry-source.js'
import { rule as fetchFailed } from './registry/fetch-failed.js'
import { rule as integrityMismatch } from './registry/integrity-mismatch.js'
import { rule as unpackLimit } from './registry/unpack-limit.js'
import { rule as versionUnavailable } from './registry/version-unavailable.js'
import type { Rule } from './types.js'

export const RULES: readonly Rule[] = [
  installScriptChanged,
  newEmailRecipient,
  newEndpoint,
  indicatorInCode,
  knownFileHash,
  knownMaliciousVersion,
  knownPublisher,
  integrityChanged,
  nonRegistrySource,
  fetchFailed,
  integrityMismatch,
  unpackLimit,
  versionUnavailable
]
