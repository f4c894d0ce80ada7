import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Handlers } from '../../../electron/ipc/handlers'
import { createRouter } from '../../../electron/ipc/router'
import { startWebHost } from '../../../electron/web/web-host'

/*
 * A web host in a process of its own, so a test can tell whether something a client sends
 * takes the whole host down (an uncaught error ends this process) or only that client.
 * Prints one JSON line with its origin and token once it listens.
 */

const rendererDir = mkdtempSync(join(tmpdir(), 'dsvm-renderer-'))
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>DSVM Pool Manager</title>')

let calls = 0
const handlers = {
  'app.info': async () => ({
    version: `0.1.0+${++calls}`,
    platform: 'linux',
    shell: 'web',
    sandboxRunning: false,
  }),
} as unknown as Handlers

const host = await startWebHost({ rendererDir, router: createRouter(handlers) })
console.log(JSON.stringify({ origin: host.origin, token: host.token }))
process.on('SIGTERM', () => void host.close().then(() => process.exit(0)))
