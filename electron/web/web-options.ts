import { parseArgs } from 'node:util'
import type { SeedName } from '../../sandbox/index'

/*
 * The command line of `npm run start:web`. The sandbox starts with the demo seed (a running
 * pool, a pool at zero, a month of spend) so there is something to try at once;
 * `--seed empty` gives a blank one.
 */

export const webUsage =
  'Usage: npm run start:web -- [--sandbox] [--seed demo|empty] [--port N] [--no-open] [--data-dir DIR]'

export interface WebOptions {
  help: boolean
  sandbox: boolean
  seed: SeedName
  port: number
  open: boolean
  dataDir?: string
}

/** Throws an Error whose message says what is wrong with the arguments. */
export function parseWebOptions(args: string[]): WebOptions {
  const { values } = parseArgs({
    args,
    options: {
      sandbox: { type: 'boolean', default: false },
      seed: { type: 'string', default: 'demo' },
      port: { type: 'string', default: '0' },
      'no-open': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  const port = Number(values.port)
  if (!/^\d+$/.test(values.port) || port > 65535)
    throw new Error(`--port must be a number from 0 to 65535, not '${values.port}'`)
  if (values.seed !== 'demo' && values.seed !== 'empty')
    throw new Error(`--seed must be 'demo' or 'empty', not '${values.seed}'`)
  return {
    help: values.help,
    sandbox: values.sandbox,
    seed: values.seed,
    port,
    open: !values['no-open'],
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  }
}
