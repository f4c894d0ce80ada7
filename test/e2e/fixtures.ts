import { afterEach } from 'vitest'
import {
  endTest,
  exploreSandboxAs,
  startAppUnderTest,
  type AppUnderTest,
  type StartOptions,
} from './harness'

export interface AppPerTest {
  /** Starts this test's app; it is ended after the test. */
  start(options?: StartOptions): Promise<AppUnderTest>
}

/**
 * The app under test, one for each test of a file: `const apps = appPerTest()` at the top,
 * `const running = await apps.start({ sandbox: true })` in a test. After each test the app
 * is ended by endTest (a screenshot when the test failed, page errors other than
 * `allowedPageErrors` fail a passed one, the secret scan).
 */
export function appPerTest(allowedPageErrors: RegExp[] = []): AppPerTest {
  let running: AppUnderTest | undefined
  afterEach(async (context) => {
    const app = running
    running = undefined
    await endTest(context.task, app, allowedPageErrors)
  })
  return { start: async (options) => (running = await startAppUnderTest(options)) }
}

/** Signs in to the sandbox as `who` and chooses the Contoso Data Science subscription. */
export async function signInWithSubscription(app: AppUnderTest, who: string): Promise<void> {
  await exploreSandboxAs(app, who)
  await app.page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
  await app.page.getByRole('button', { name: 'Save and continue' }).click()
}
