import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startSandbox } from './index'

/*
 * npm run sandbox -- --port 0 [--state DIR] [--time-scale N] [--seed demo]
 * Prints one JSON line with the endpoints, then serves until interrupted.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    state: { type: 'string' },
    'time-scale': { type: 'string', default: '1' },
    seed: { type: 'string', default: 'empty' },
  },
})

const port = Number(values.port)
const timeScale = Number(values['time-scale'])
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be 0..65535, not '${values.port}'`)
if (!(timeScale > 0)) fail(`--time-scale must be a positive number, not '${values['time-scale']}'`)
if (values.seed !== 'empty' && values.seed !== 'demo')
  fail(`--seed must be 'empty' or 'demo', not '${values.seed}'`)

const sandbox = await startSandbox({
  port,
  timeScale,
  seed: values.seed as 'empty' | 'demo',
  ...(values.state ? { stateDir: values.state } : {}),
})
const caCertPath = join(mkdtempSync(join(tmpdir(), 'dsvm-sandbox-')), 'sandbox-ca.pem')
writeFileSync(caCertPath, sandbox.caCert, { mode: 0o644 })
process.stdout.write(
  JSON.stringify({
    armEndpoint: sandbox.armEndpoint,
    authority: sandbox.authority,
    filesEndpoint: sandbox.filesEndpoint,
    pricesEndpoint: sandbox.pricesEndpoint,
    identityEndpoint: sandbox.identityEndpoint,
    caCertPath,
    tenantId: sandbox.tenantId,
    subscriptionId: sandbox.subscriptionId,
    clientId: sandbox.clientId,
  }) + '\n',
)

let closing = false
const stop = () => {
  if (closing) return
  closing = true
  void sandbox.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n`)
  process.exit(2)
}
