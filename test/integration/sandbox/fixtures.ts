import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import type { SandboxOptions } from '../../../sandbox'
import { startTestSandbox, type TestSandbox } from './harness'

/**
 * The sandbox the tests of a file share, started before the first and closed after the
 * last: `const env = sandboxForFile({ seed: 'demo' })` at the top of the file.
 */
export function sandboxForFile(options: SandboxOptions = {}): TestSandbox {
  return sandboxFixture(options, beforeAll, afterAll)
}

/** A fresh sandbox for every test of the file (a test that changes the world it shares). */
export function sandboxForEachTest(options: SandboxOptions = {}): TestSandbox {
  return sandboxFixture(options, beforeEach, afterEach)
}

function sandboxFixture(
  options: SandboxOptions,
  before: (hook: () => Promise<void>) => void,
  after: (hook: () => Promise<void>) => void,
): TestSandbox {
  let current: TestSandbox | undefined
  before(async () => {
    current = await startTestSandbox(options)
  })
  after(async () => {
    await current?.close()
    current = undefined
  })
  const live = (): TestSandbox => {
    if (!current) throw new Error('The test sandbox runs only while the tests of its file run.')
    return current
  }
  return {
    get sandbox() {
      return live().sandbox
    },
    credential: (username) => live().credential(username),
    msalClient: () => live().msalClient(),
    close: () => live().close(),
  }
}
