export default async function globalTeardown() {
  globalThis.__LOCKGATE_REGISTRY__?.stop()
}
