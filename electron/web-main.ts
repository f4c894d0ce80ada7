import { parseArgs } from 'node:util'
import { openInSystemBrowser } from './system-browser'
import { startWebApp, webModeStorageWarning } from './web-app'

/*
 * `npm run start:web -- [--sandbox] [--port N] [--no-open] [--data-dir DIR]`
 * The app in your browser through the web host on 127.0.0.1; prints the address (with its
 * per-launch token) and opens it unless --no-open.
 */

const usage = 'Usage: npm run start:web -- [--sandbox] [--port N] [--no-open] [--data-dir DIR]'

function parseOptions() {
  try {
    const { values } = parseArgs({
      options: {
        sandbox: { type: 'boolean', default: false },
        port: { type: 'string', default: '0' },
        'no-open': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    })
    if (values.help) {
      console.log(usage)
      process.exit(0)
    }
    const port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      fail(`--port must be 0..65535, not '${values.port}'`)
    return { sandbox: values.sandbox, port, open: !values['no-open'], dataDir: values['data-dir'] }
  } catch (error) {
    fail((error as Error).message)
  }
}

function fail(message: string): never {
  console.error(`start:web: ${message}\n${usage}`)
  process.exit(2)
}

const options = parseOptions()
console.warn(webModeStorageWarning)
const app = await startWebApp({
  port: options.port,
  sandbox: options.sandbox,
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
    console.warn('Could not open a browser: open the address above yourself.'),
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
