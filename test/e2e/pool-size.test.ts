import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshotBothThemes, type AppUnderTest } from './harness'
import { appPerTest, signInWithSubscription } from './fixtures'

/*
 * Issue 12 as a user sees it: the badge, the scale-to-zero switch and the banner agree in every
 * scenario; a manual size is kept by autoscale and says by whom and until when; protected
 * instances are named before scaling to zero; a pool comes back with exactly what it had.
 * Sandbox time is pinned and moved forward by the test, never waited for.
 */

/** Tuesday 8 December 2026, 15:00 UTC: inside the demo's working hours (08:00–18:00 Eastern). */
const tuesday = Date.parse('2026-12-08T15:00:00Z')
/** Sunday 6 December 2026, 15:00 UTC: outside them. */
const sunday = Date.parse('2026-12-06T15:00:00Z')

const apps = appPerTest()

async function openPool(startAt: number, pool: string): Promise<AppUnderTest> {
  const running = await apps.start({
    sandbox: true,
    sandboxOptions: { seed: 'demo', startAt },
    pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
  })
  const { page } = running
  await signInWithSubscription(running, 'Ada Lovelace')
  await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()
  await page.getByRole('button', { name: pool, exact: true }).click()
  await page.getByRole('heading', { name: new RegExp(pool) }).waitFor()
  return running
}

const badge = (page: Page) => page.locator('#pool-title [data-state]')
const zeroSwitch = (page: Page) => page.getByRole('switch', { name: 'Scaled to zero' })
const banner = (page: Page) => page.getByRole('note', { name: 'Pool size' })

/** Moves sandbox time forward until `check` holds (the page shows what the poller read). */
async function advanceUntil(app: AppUnderTest, check: () => Promise<boolean>, stepMs = 30_000) {
  for (let i = 0; i < 40; i++) {
    if (await check()) return
    app.sandbox().clock.advance(stepMs)
    await app.page.waitForTimeout(300)
  }
  throw new Error('The page never showed the expected state')
}

/** An instance's row, and one of its actions from the row's menu (as a person picks it). */
const instanceRow = (page: Page, name: string) =>
  page.getByRole('rowgroup', { name: 'Instance rows' }).getByRole('row').filter({ hasText: name })
async function rowAction(page: Page, name: string, action: string) {
  await instanceRow(page, name)
    .getByRole('button', { name: `Actions for ${name}` })
    .click()
  await page
    .getByRole('menu', { name: `Actions for ${name}` })
    .getByRole('menuitem', { name: action, exact: true })
    .click()
}

/** The three places that show the pool's size, as words. */
async function shown(page: Page) {
  return {
    badge: await badge(page).textContent(),
    switchOn: await zeroSwitch(page).isChecked(),
    banner: (await banner(page).count()) ? await banner(page).textContent() : undefined,
  }
}

describe('one truth about a pool’s size', () => {
  it('a manual size on a pool with autoscale is kept until the chosen time, shown everywhere, and can be ended', async () => {
    const app = await openPool(tuesday, 'team-pool')
    const { page } = app
    await page.getByLabel('Scale to', { exact: true }).fill('4')
    await page.getByRole('button', { name: 'Scale', exact: true }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Scale team-pool to 4?' })
    await dialog.getByText(/Autoscale keeps this size until the time below/).waitFor()
    // The suggestion: the pool has no working hours, so two hours from now, on five minutes.
    await expect(dialog.getByLabel('Autoscale keeps it at 4 until').inputValue()).resolves.toMatch(
      /^2026-12-08T\d\d:\d[05]$/,
    )
    await screenshotBothThemes(page, 'pool-size-scale-until')
    await dialog.getByRole('button', { name: 'Scale to 4' }).click()
    await advanceUntil(app, async () => (await page.getByText('4 of 4 running').count()) === 1)
    await banner(page)
      .getByText(/^Kept at 4 until \d\d:\d\d by ada@contoso\.example/)
      .waitFor()
    expect(await shown(page)).toMatchObject({ badge: 'Running', switchOn: false })
    // The autoscale editor shows it too.
    await page
      .getByRole('note', { name: 'Kept size' })
      .getByText(/^Kept at 4 until/)
      .waitFor()
    await screenshotBothThemes(page, 'pool-size-kept')

    // Autoscale evaluates every minute; the kept size holds.
    app.sandbox().clock.advance(10 * 60_000)
    await page.waitForTimeout(600)
    await expect(page.getByText('4 of 4 running').count()).resolves.toBe(1)

    // Who changed it, in the pool's activity list.
    await page
      .getByRole('list', { name: 'Recent size changes' })
      .getByText('ada@contoso.example kept team-pool at 4 for a while')
      .waitFor()

    await banner(page).getByRole('button', { name: 'End now' }).click()
    await expect.poll(() => banner(page).count()).toBe(0)
    await expect(page.getByRole('note', { name: 'Kept size' }).count()).resolves.toBe(0)
  })

  it('before scaling to zero, names protected instances; kept, the pool says one still runs and what it costs', async () => {
    const app = await openPool(tuesday, 'team-pool')
    const { page } = app
    await rowAction(page, 'team-pool_0', 'Protect')
    await instanceRow(page, 'team-pool_0').getByRole('cell', { name: 'Protected' }).waitFor()
    await zeroSwitch(page).click()
    const dialog = page.getByRole('alertdialog', { name: 'Scale team-pool to zero?' })
    await dialog.getByText(/team-pool_0 is protected from scale-in/).waitFor()
    await dialog.getByRole('radio', { name: /Keep them running/ }).check()
    await screenshotBothThemes(page, 'pool-size-protected-choice')
    await dialog.getByRole('button', { name: 'Scale to zero' }).click()
    await advanceUntil(app, async () => (await badge(page).textContent()) === '1 protected running')
    const now = await shown(page)
    expect(now).toMatchObject({ badge: '1 protected running', switchOn: true })
    expect(now.banner).toMatch(
      /^Not scaled to zero: 1 protected instance still running, \$\d+\.\d\d\/h/,
    )
    await page
      .getByRole('status')
      .getByText(/except 1 protected instance/)
      .waitFor()
    await screenshotBothThemes(page, 'pool-size-protected-kept')

    // Back: exactly the 3 it had.
    await zeroSwitch(page).click()
    await advanceUntil(app, async () => (await page.getByText('3 of 3 running').count()) === 1)
    expect(await shown(page)).toMatchObject({ badge: 'Running', switchOn: false })
  })

  it('brought back outside working hours, the pool stays up until the chosen time and says so', async () => {
    const app = await openPool(sunday, 'gpu-pool')
    const { page } = app
    expect(await shown(page)).toMatchObject({ badge: 'Scaled to zero', switchOn: true })
    await expect(banner(page).textContent()).resolves.toMatch(/brings back 2 instances/)
    await zeroSwitch(page).click()
    const dialog = page.getByRole('alertdialog', { name: 'Bring gpu-pool back?' })
    await dialog.getByText(/Its schedule would keep it at zero now/).waitFor()
    await dialog.getByRole('button', { name: 'Bring it back' }).click()
    await advanceUntil(app, async () => (await page.getByText('2 of 2 running').count()) === 1)
    await banner(page)
      .getByText(/^Kept at 2 until \d\d:\d\d by ada@contoso\.example/)
      .waitFor()
    expect(await shown(page)).toMatchObject({ badge: 'Running', switchOn: false })
    await screenshotBothThemes(page, 'pool-size-back-outside-hours')
  })

  it('starts and stops one instance, and the Pools item leads back to the list', async () => {
    const app = await openPool(tuesday, 'team-pool')
    const { page } = app
    await rowAction(page, 'team-pool_2', 'Stop')
    await page.getByRole('alertdialog', { name: 'Stop team-pool_2?' }).waitFor()
    await page.getByRole('button', { name: 'Stop', exact: true }).click()
    const deallocated = instanceRow(page, 'team-pool_2').getByRole('cell', {
      name: 'deallocated',
      exact: true,
    })
    await advanceUntil(app, async () => (await deallocated.count()) === 1)
    await page.getByText('2 of 3 running').waitFor()
    expect(await shown(page)).toMatchObject({ badge: 'Running', switchOn: false })
    await screenshotBothThemes(page, 'pool-size-instance-stopped')
    await rowAction(page, 'team-pool_2', 'Start')
    await advanceUntil(app, async () => (await page.getByText('3 of 3 running').count()) === 1)

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Pools' })
      .click()
    await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()
    await page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
      .waitFor()
  })
})
