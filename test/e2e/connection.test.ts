import { afterEach, describe, expect, it } from 'vitest'
import { startWebHost, type WebHost } from '../../electron/web/web-host'
import { rendererOutDir } from './build-renderer'
import { endTest, startAppUnderTest, type AppUnderTest } from './harness'
import { signInWithSubscription } from './fixtures'

let running: AppUnderTest | undefined
let restarted: WebHost | undefined
afterEach(async (context) => {
  const app = running
  running = undefined
  await restarted?.close()
  restarted = undefined
  // Refused reconnection attempts while the host was down are expected in the log.
  await endTest(context.task, app, [/WebSocket connection to .* failed/])
})

describe('connection to the app', () => {
  it('says when the connection drops, reconnects by itself and carries on', async () => {
    running = await startAppUnderTest({ sandbox: true })
    const { page, app } = running
    await signInWithSubscription(running, 'Ada Lovelace')
    await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()

    // The web host goes away (as when the app restarts) ...
    const port = Number(new URL(app.host.origin).port)
    await app.host.close()
    const banner = page.getByRole('status').filter({ hasText: 'Lost the connection to the app' })
    await banner.waitFor()

    // ... and comes back on the same address with the same key: the page reconnects.
    restarted = await startWebHost({
      port,
      token: app.host.token,
      rendererDir: rendererOutDir,
      router: app.services.router,
      events: app.services.events,
    })
    await banner.waitFor({ state: 'detached', timeout: 30_000 })
    await page.getByRole('button', { name: 'Change subscriptions' }).click()
    await expect(
      page.getByRole('checkbox', { name: 'Contoso Data Science' }).isChecked(),
    ).resolves.toBe(true)
  })
})
