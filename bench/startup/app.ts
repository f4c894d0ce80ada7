import { startWebApp } from '../../electron/web/web-app'

/*
 * The app as the start-up bench runs it: the app services behind the web host (what the
 * Electron main process runs, without the window), on a free port, with a fresh data folder.
 * `--sandbox` starts the embedded sandbox at once ("Explore with a sandbox" chosen before).
 * Prints `URL <address>` when it listens.
 */
const app = await startWebApp({
  port: 0,
  sandbox: process.argv.includes('--sandbox'),
  rendererDir: process.env.BENCH_RENDERER_DIR!,
  dataDir: process.env.BENCH_DATA_DIR!,
  openExternal: async () => undefined,
})
console.log(`URL ${app.url}`)
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
