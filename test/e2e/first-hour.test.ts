import { describe, expect, it } from 'vitest'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import { screenshotBothThemes, signInOnSandboxPage } from './harness'
import { appPerTest } from './fixtures'

/*
 * A newcomer's first minutes in the browser version: "Explore with a sandbox" starts with
 * something to try (the demo seed), and when the system browser or a terminal cannot reach
 * the person's screen the app says so and hands over the address or the command, instead of
 * claiming that something opened.
 */

const apps = appPerTest()

describe('a first hour in the browser version', () => {
  it('hands over the sign-in page, JupyterHub and the ssh command when nothing can open', async () => {
    const launcher = new RecordingLauncher(['xterm'])
    const running = await apps.start({
      // `{}`: the seed the app itself chooses for "Explore with a sandbox".
      sandboxOptions: {},
      pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
      connect: { launcher },
      screenReachable: false,
    })
    const app = running
    const { page } = app
    app.systemBrowser.failing = true

    await page.getByRole('button', { name: 'Explore with a sandbox' }).click()
    await page.getByRole('heading', { name: 'Open the sign-in page' }).waitFor()
    await page.getByText(/Your web browser could not be opened from here/).waitFor()
    expect(await page.getByText(/opened in your web browser/).count()).toBe(0)
    const link = page.getByRole('link', { name: 'Open the sign-in page' })
    const signInUrl = await link.getAttribute('href')
    expect(signInUrl).toMatch(/^https:\/\/localhost:\d+\/.+\/oauth2\/v2\.0\/authorize\?/)
    await page.getByRole('button', { name: 'Copy the address' }).waitFor()
    await screenshotBothThemes(page, 'first-hour-sign-in-handover')

    // The person opens the address themselves; the app carries on.
    await signInOnSandboxPage(app.context, signInUrl!, 'Ada Lovelace')
    await page.getByRole('button', { name: /Accounts: Ada Lovelace/ }).waitFor()
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
    await page.getByRole('button', { name: 'Save and continue' }).click()

    // The demo seed: a running pool and a pool at zero, without asking for it.
    const pools = page.getByRole('list', { name: 'Pools' })
    const team = pools.getByRole('article', { name: 'team-pool' })
    await team.getByText('3 of 3 running').waitFor()
    await pools.getByRole('article', { name: 'gpu-pool' }).waitFor()

    // JupyterHub: after the certificate note, no browser opens: its address instead.
    await team.getByRole('button', { name: 'JupyterHub', exact: true }).click()
    await page
      .getByRole('dialog', { name: 'Before JupyterHub opens' })
      .getByRole('button', { name: 'Continue to JupyterHub' })
      .click()
    const hub = team.getByRole('link', { name: 'Open JupyterHub' })
    await hub.waitFor()
    expect(await hub.getAttribute('href')).toMatch(/^https:\/\/team-pool-contoso\.[\w.-]+:8000\/$/)
    expect(app.systemBrowser.opened).toEqual([])

    // SSH: no terminal would reach the screen, so the command to run, and nothing started.
    await team.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('heading', { name: /^team-pool/ }).waitFor()
    await page.getByRole('button', { name: 'SSH', exact: true }).click()
    await page.getByText('No terminal could be opened on this screen.').waitFor()
    await expect
      .poll(() => page.locator('.connect-command').first().textContent())
      .toMatch(/^ssh .*-p 5000\d \S+@team-pool-contoso\./)
    await page.getByRole('button', { name: 'Copy the command' }).waitFor()
    expect(launcher.launched).toEqual([])
    expect(await page.getByText(/^Opened /).count()).toBe(0)
    await screenshotBothThemes(page, 'first-hour-ssh-handover')

    // The same from an instance's row: the command in a note the row does not clip.
    const row = page.getByRole('rowgroup', { name: 'Instance rows' }).getByRole('row').first()
    await row.getByRole('button', { name: /^SSH to / }).click()
    const note = page.getByRole('dialog', { name: /^SSH to team-pool_/ })
    await note.getByText(/^ssh .*-p 5000\d \S+@/).waitFor()
    const box = (await note.boundingBox())!
    const viewport = page.viewportSize()!
    expect(box.height).toBeGreaterThan(60)
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width)
    await screenshotBothThemes(page, 'first-hour-row-ssh-handover')
    await note.getByRole('button', { name: 'Close' }).click()
    expect(launcher.launched).toEqual([])
  })
})
