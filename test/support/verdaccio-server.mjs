// A real npm registry (Verdaccio) on 127.0.0.1 for the demo and the end-to-end tests.
// It never proxies anywhere (no uplinks). Prints one JSON line {url, storage} once listening.
// Verdaccio's CLI refuses Node 20, its programmatic runServer() does not.
import { runServer } from 'verdaccio'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'lockgate-registry-'))
const storage = join(dir, 'storage')
const app = await runServer({
  self_path: dir,
  storage,
  auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 100 } },
  uplinks: {},
  packages: {
    '@*/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
    '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' }
  },
  web: { enable: false },
  log: { type: 'file', path: join(dir, 'verdaccio.log'), level: 'warn' },
  security: { api: { legacy: true } },
  max_body_size: '50mb'
})

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}/`, storage }) + '\n')
})

function stop() {
  server.close()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
// Die with the parent: a registry left running would keep CI from finishing.
process.stdin.on('end', stop)
process.stdin.resume()
