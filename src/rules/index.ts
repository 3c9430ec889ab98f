// The rule registry. These correspond to the rule files under src/rules/<kind>/; keep sorted by id.
// A test fails when a rule file is missing here or its id does not match its path.
import { rule as aiCliAbuse } from './content/ai-cli-abuse.js'
import { rule as binaryAdded } from './content/binary-added.js'
import { rule as ciPersistence } from './content/ci-persistence.js'
import { rule as credentialHarvesting } from './content/credential-harvesting.js'
import { rule as dependencyAdded } from './content/dependency-added.js'
import { rule as dynamicCodeExecution } from './content/dynamic-code-execution.js'
import { rule as exfiltrationChain } from './content/exfiltration-chain.js'
import { rule as installScriptChanged } from './content/install-script-changed.js'
import { rule as minifiedBlobAdded } from './content/minified-blob-added.js'
import { rule as newEmailRecipient } from './content/new-email-recipient.js'
import { rule as newEndpoint } from './content/new-endpoint.js'
import { rule as obfuscationIntroduced } from './content/obfuscation-introduced.js'
import { rule as processSpawn } from './content/process-spawn.js'
import { rule as walletTampering } from './content/wallet-tampering.js'
import { rule as indicatorInCode } from './ioc/indicator-in-code.js'
import { rule as knownFileHash } from './ioc/known-file-hash.js'
import { rule as knownMaliciousVersion } from './ioc/known-malicious-version.js'
import { rule as knownPublisher } from './ioc/known-publisher.js'
import { rule as osvMalicious } from './ioc/osv-malicious.js'
import { rule as insecureProtocol } from './lockfile/insecure-protocol.js'
import { rule as integrityChanged } from './lockfile/integrity-changed.js'
import { rule as nonRegistrySource } from './lockfile/non-registry-source.js'
import { rule as resolvedHost } from './lockfile/resolved-host.js'
import { rule as tarballNameMismatch } from './lockfile/tarball-name-mismatch.js'
import { rule as weakIntegrity } from './lockfile/weak-integrity.js'
import { rule as deprecated } from './metadata/deprecated.js'
import { rule as maintainersChanged } from './metadata/maintainers-changed.js'
import { rule as newPackage } from './metadata/new-package.js'
import { rule as outOfPattern } from './metadata/out-of-pattern.js'
import { rule as provenanceLost } from './metadata/provenance-lost.js'
import { rule as publisherChanged } from './metadata/publisher-changed.js'
import { rule as releaseBurst } from './metadata/release-burst.js'
import { rule as repositoryChanged } from './metadata/repository-changed.js'
import { rule as tooNew } from './metadata/too-new.js'
import { rule as typosquat } from './metadata/typosquat.js'
import { rule as allowExpired } from './policy/allow-expired.js'
import { rule as denied } from './policy/denied.js'
import { rule as fetchFailed } from './registry/fetch-failed.js'
import { rule as integrityMismatch } from './registry/integrity-mismatch.js'
import { rule as unpackLimit } from './registry/unpack-limit.js'
import { rule as versionUnavailable } from './registry/version-unavailable.js'
import type { Rule } from './types.js'

export const RULES: readonly Rule[] = [
  aiCliAbuse,
  binaryAdded,
  ciPersistence,
  credentialHarvesting,
  dependencyAdded,
  dynamicCodeExecution,
  exfiltrationChain,
  installScriptChanged,
  minifiedBlobAdded,
  newEmailRecipient,
  newEndpoint,
  obfuscationIntroduced,
  processSpawn,
  walletTampering,
  indicatorInCode,
  knownFileHash,
  knownMaliciousVersion,
  knownPublisher,
  osvMalicious,
  insecureProtocol,
  integrityChanged,
  nonRegistrySource,
  resolvedHost,
  tarballNameMismatch,
  weakIntegrity,
  deprecated,
  maintainersChanged,
  newPackage,
  outOfPattern,
  provenanceLost,
  publisherChanged,
  releaseBurst,
  repositoryChanged,
  tooNew,
  typosquat,
  allowExpired,
  denied,
  fetchFailed,
  integrityMismatch,
  unpackLimit,
  versionUnavailable
]
