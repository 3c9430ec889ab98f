// Starts one real npm registry (Verdaccio on 127.0.0.1) for the whole jest run. Workers inherit
// its address through the environment; each test publishes what it needs.
import { startLocalRegistry } from './support/local-registry.mjs'

export default async function globalSetup() {
  const registry = await startLocalRegistry()
  globalThis.__LOCKGATE_REGISTRY__ = registry
  process.env.TEST_REGISTRY_URL = registry.url
  process.env.TEST_REGISTRY_NPMRC = registry.npmrc
  process.env.TEST_REGISTRY_STORAGE = registry.storage
}
