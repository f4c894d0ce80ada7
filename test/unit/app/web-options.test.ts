import { describe, expect, it } from 'vitest'
import { parseWebOptions } from '../../../electron/web/web-options'

describe('start:web options', () => {
  it('starts the sandbox with the demo seed unless told otherwise', () => {
    expect(parseWebOptions(['--sandbox'])).toEqual({
      help: false,
      sandbox: true,
      seed: 'demo',
      port: 0,
      open: true,
    })
    expect(parseWebOptions(['--sandbox', '--seed', 'empty']).seed).toBe('empty')
  })

  it('reads the port, the data folder and --no-open', () => {
    expect(parseWebOptions(['--port', '8123', '--no-open', '--data-dir', '/tmp/x'])).toMatchObject({
      port: 8123,
      open: false,
      dataDir: '/tmp/x',
    })
  })

  it.each([
    [['--seed', 'full'], /--seed must be 'demo' or 'empty', not 'full'/],
    [['--port', '70000'], /--port must be a number from 0 to 65535/],
    [['--port', '-1'], /--port/],
    [['--colour'], /Unknown option '--colour'/],
  ])('refuses %j with a message that says what is wrong', (args, message) => {
    expect(() => parseWebOptions(args)).toThrow(message)
  })
})
