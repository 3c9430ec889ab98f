// Pure detectors over code facts, shared by the credential, wallet, persistence and correlation
// rules: where code reads secrets, where it can send data, wallet literals and hooks, persistence.
export {
  credentialSources,
  credentialSourcesInLine,
  credentialPath,
  secretEnvGroup,
  isOwnVariable,
  type CredentialSource,
  type SourceGroup,
  type SourceOptions
} from './credential-sources.js'
export {
  networkSinks,
  networkSinksInLine,
  type NetworkSink,
  type SinkKind
} from './network-sinks.js'
export { walletAddresses, type WalletAddress, type Chain } from './wallet-addresses.js'
export { walletHooks, walletHooksInLine, type WalletHook, type HookTarget } from './wallet-hooks.js'
export {
  persistenceSignals,
  persistenceSignalsInLine,
  writesFiles,
  type PersistenceSignal,
  type PersistenceKind
} from './persistence.js'
export { installTimeFiles } from './install-time.js'
export {
  introducedSignals,
  previousKeys,
  signalsOfWholeFile,
  readsAsJavaScript,
  type Detector,
  type FileSignals,
  type Signal
} from './signals.js'
export { evidenceAt, lineAt, uniqueEvidence } from './evidence.js'
export { DENSE_LINE_CHARS, isDenseAt, isLongLine, isMinifiedFile } from './dense.js'
