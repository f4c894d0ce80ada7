import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { setInstanceCpu } from '../../sandbox/arm/compute/cpu'
import { screenshotBothThemes, type AppUnderTest } from './harness'
import { appPerTest, signInWithSubscription } from './fixtures'

const apps = appPerTest()

/** The app with the demo pools, a fast poller, signed in as Ada with her first subscription. */
async function openDemoPools(): Promise<AppUnderTest> {
  const running = await apps.start({
    sandbox: true,
    sandboxOptions: { seed: 'demo' },
    pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
  })
  const { page } = running
  await signInWithSubscription(running, 'Ada Lovelace')
  await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()
  return running
}

const rows = (page: Page) => page.getByRole('rowgroup', { name: 'Instance rows' }).getByRole('row')

async function rowTexts(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((all) => all.map((row) => (row.textContent ?? '').trim()))
}

/** Moves sandbox time forward a minute at a time until `check` holds (the poller shows it). */
async function advanceUntil(app: AppUnderTest, check: () => Promise<boolean>, stepMs = 60_000) {
  for (let i = 0; i < 30; i++) {
    if (await check()) return
    app.sandbox().clock.advance(stepMs)
    await app.page.waitForTimeout(400)
  }
  throw new Error('The page never showed the expected state')
}

const teamPoolId = (app: AppUnderTest) =>
  `/subscriptions/${app.sandbox().subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`

describe('running a pool', () => {
  it('lists the pools found by tag with their state, instances and cost', async () => {
    const app = await openDemoPools()
    const { page } = app
    const pools = page.getByRole('list', { name: 'Pools' })
    const team = pools.getByRole('article', { name: 'team-pool' })
    const gpu = pools.getByRole('article', { name: 'gpu-pool' })
    await team.getByText('3 of 3 running').waitFor()
    await expect(team.locator('[data-state]').textContent()).resolves.toBe('Running')
    await expect(team.getByText('eastus · Linux · Standard_D4s_v5').count()).resolves.toBe(1)
    await team.getByText(/\$\d+\.\d+\/h/).waitFor()
    await expect(gpu.locator('[data-state]').textContent()).resolves.toBe('Scaled to zero')
    await expect(gpu.getByText('0 of 0 running').count()).resolves.toBe(1)
    await expect(gpu.getByRole('button', { name: 'JupyterHub' }).isDisabled()).resolves.toBe(true)
    await screenshotBothThemes(page, 'pools-list')

    // JupyterHub opens in the system browser: the pool's address is on the allow-list.
    const opened = app.systemBrowser.next()
    await team.getByRole('button', { name: 'JupyterHub', exact: true }).click()
    // The first time, a note on the self-signed certificate comes first.
    await team.getByRole('button', { name: 'Continue to JupyterHub' }).click()
    await expect(opened).resolves.toMatch(/^https:\/\/team-pool-contoso\..*:8000\/$/)
  })

  it('with no pools, says so and leads to the wizard', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    await signInWithSubscription(running, 'Ada Lovelace')
    await page.getByRole('heading', { name: 'No pools yet' }).waitFor()
    await screenshotBothThemes(page, 'pools-empty')
    await page.getByRole('button', { name: 'Create a pool' }).click()
    await page.getByRole('heading', { name: 'Create a pool', exact: true }).waitFor()
  })

  it('shows instances change live while autoscale scales the pool, and scales to zero and back', async () => {
    const app = await openDemoPools()
    const { page } = app
    await page.getByRole('button', { name: 'team-pool' }).click()
    await page.getByRole('heading', { name: /team-pool/ }).waitFor()
    await expect.poll(() => rowTexts(page)).toHaveLength(3)
    const first = (await rowTexts(page))[0]!
    expect(first).toContain('team-pool_0')
    expect(first).toContain('running')
    expect(first).toContain('50000')
    await screenshotBothThemes(page, 'pools-detail')

    // The team gets busy: autoscale adds an instance; the table shows it being created.
    setInstanceCpu(app.sandbox().context, teamPoolId(app), 95)
    await advanceUntil(app, async () => (await rowTexts(page)).length === 4)
    await expect.poll(async () => (await rowTexts(page))[3]).toContain('Creating')
    await advanceUntil(app, async () =>
      (await rowTexts(page)).every((row) => row.includes('running')),
    )
    setInstanceCpu(app.sandbox().context, teamPoolId(app), 40)

    // Scale to zero: confirm, the instances go, the switch shows Azure's truth.
    // The switch shows Azure's truth: clicking asks first and changes nothing by itself.
    await page.getByRole('switch', { name: 'Scaled to zero' }).click()
    await page.getByRole('alertdialog', { name: /Scale team-pool to zero/ }).waitFor()
    await page.getByRole('button', { name: 'Scale to zero' }).click()
    await page.getByRole('status').filter({ hasText: 'Scaling to zero' }).waitFor()
    await advanceUntil(
      app,
      async () => (await page.getByText('The pool has no instances.').count()) === 1,
    )
    await expect
      .poll(() => page.getByRole('switch', { name: 'Scaled to zero' }).isChecked())
      .toBe(true)
    await page.locator('.pool-figures dt:text-is("Autoscale") + dd', { hasText: 'Off' }).waitFor()
    // Autoscale cannot bring it back: time passes, still zero.
    app.sandbox().clock.advance(30 * 60_000)
    await page.waitForTimeout(800)
    await expect(rows(page).count()).resolves.toBe(0)
    await screenshotBothThemes(page, 'pools-scaled-to-zero')

    // And back: the four instances return and autoscale is on again.
    await page.getByRole('switch', { name: 'Scaled to zero' }).click()
    await advanceUntil(app, async () => (await rowTexts(page)).length === 4)
    await advanceUntil(app, async () =>
      (await rowTexts(page)).every((row) => row.includes('running')),
    )
    await expect
      .poll(() => page.getByRole('switch', { name: 'Scaled to zero' }).isChecked())
      .toBe(false)
  })

  it('edits the schedule and the sandbox clock applies it', async () => {
    const app = await openDemoPools()
    const { page } = app
    await page.getByRole('button', { name: 'team-pool' }).click()
    await expect.poll(() => rowTexts(page)).toHaveLength(3)
    const editor = page.getByRole('region', { name: 'Autoscale' })
    await editor.getByLabel('Maximum').waitFor()
    await expect(editor.getByLabel('Maximum').inputValue()).resolves.toBe('5')

    // Working hours that exclude the sandbox's present time: outside them the pool has zero.
    const hour = new Date(app.sandbox().clock.now()).getUTCHours()
    const [start, end] = hour < 12 ? ['13:00', '14:00'] : ['01:00', '02:00']
    await editor.getByRole('checkbox', { name: /Only in working hours/ }).check()
    for (const day of ['Sat', 'Sun']) await editor.getByRole('checkbox', { name: day }).check()
    await editor.getByLabel('From', { exact: true }).fill(start)
    await editor.getByLabel('To', { exact: true }).fill(end)
    await editor.getByLabel('Time zone').selectOption('UTC')
    await editor.getByRole('button', { name: 'Save schedule' }).click()
    await editor.getByText('Saved and read back from Azure.').waitFor()
    await editor.getByLabel('Next scheduled change').filter({ hasText: `Scales up to 3` }).waitFor()
    await expect(editor.getByLabel('Next scheduled change').textContent()).resolves.toContain(start)
    await screenshotBothThemes(page, 'pools-autoscale')

    // The sandbox's autoscale applies the off-hours profile: the instances go.
    await advanceUntil(
      app,
      async () => (await page.getByText('The pool has no instances.').count()) === 1,
    )
    const card = page.getByRole('heading', { name: /team-pool/ })
    await card.locator('[data-state]').filter({ hasText: 'Scaled to zero' }).waitFor()
  })

  it('rotates the storage key of a pool with a managed identity, and says why one without cannot', async () => {
    const app = await openDemoPools()
    const { page } = app
    const context = app.sandbox().context
    const sub = app.sandbox().subscriptionId
    const accountId = `/subscriptions/${sub}/resourceGroups/rg-team-pool/providers/Microsoft.Storage/storageAccounts/stteampoolfiles`
    const keys = () =>
      (
        context.resources.get(accountId)!.sandbox as {
          keys: Array<{ keyName: string; value: string }>
        }
      ).keys.map((k) => ({ ...k }))

    // The demo's team-pool has no managed identity: the app says why it cannot rotate.
    const before = keys()
    await page.getByRole('button', { name: 'team-pool' }).click()
    await page.getByRole('heading', { name: /team-pool/ }).waitFor()
    await page.getByRole('button', { name: 'Rotate storage key…' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate storage key' }).click()
    const keySection = page.getByRole('region', { name: 'Storage key' })
    await keySection
      .getByRole('status')
      .getByText(/would not pick up a new key/)
      .waitFor()
    expect(keys()).toEqual(before)

    // With the share's managed identity (as the template makes it), the key rotates.
    context.resources.put({
      id: `/subscriptions/${sub}/resourceGroups/rg-team-pool/providers/Microsoft.ManagedIdentity/userAssignedIdentities/team-pool-identity`,
      name: 'team-pool-identity',
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      location: 'eastus',
      tags: { 'dsvm-pool': 'team-pool' },
      properties: { principalId: context.newId(), clientId: context.newId(), tenantId: 'x' },
    })
    await keySection.getByRole('button', { name: 'Dismiss' }).click()
    await page.getByRole('button', { name: 'Rotate storage key…' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate storage key' }).click()
    await keySection
      .getByRole('status')
      .getByText(/The storage key was rotated: key2 is new and now in use/)
      .waitFor()
    const after = keys()
    expect(after.find((k) => k.keyName === 'key1')!.value).toBe(
      before.find((k) => k.keyName === 'key1')!.value,
    )
    expect(after.find((k) => k.keyName === 'key2')!.value).not.toBe(
      before.find((k) => k.keyName === 'key2')!.value,
    )
    await keySection.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'pools-storage-key-rotated')
  })
})
