import { openInSystemBrowser } from './system-browser'
import { startWebApp, webModeStorageWarning } from './web-app'
import { parseWebOptions, webUsage } from './web-options'

/*
 * `npm run start:web -- [--sandbox] [--seed demo|empty] [--port N] [--no-open] [--data-dir DIR]`
 * The app in your browser through the web host on 127.0.0.1; prints the address (with its
 * per-launch token) and opens it unless --no-open.
 */

function parseOptions() {
  try {
    const values = parseWebOptions(process.argv.slice(2))
    if (values.help) {
      console.log(webUsage)
      process.exit(0)
    }
    return values
  } catch (error) {
    fail((error as Error).message)
  }
}

function fail(message: string): never {
  console.error(`start:web: ${message}\n${webUsage}`)
  process.exit(2)
}

const options = parseOptions()
console.warn(webModeStorageWarning)
const app = await startWebApp({
  port: options.port,
  sandbox: options.sandbox,
  // "Explore with a sandbox" in the page uses the same seed.
  sandboxOptions: { seed: options.seed },
  ...(options.dataDir ? { dataDir: options.dataDir } : {}),
}).catch((error: unknown) => fail((error as Error).message))

if (options.sandbox) {
  const sandbox = app.services.sandbox.current
  console.log(
    `Sandbox Azure running at ${sandbox?.armEndpoint ?? '(not started)'}; cloud set to Sandbox.`,
  )
  console.log(
    'The sandbox uses a self-signed certificate: your browser will ask you to accept it on its sign-in page.',
  )
}
console.log(
  `DSVM Pool Manager is running at:\n  ${app.url}\n(Only this address, with its token, can use the app. Ctrl+C stops it.)`,
)
if (options.open) {
  openInSystemBrowser(app.url).catch(() =>
    console.warn('No browser could be opened from here: open the address above yourself.'),
  )
}

let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  void app.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
