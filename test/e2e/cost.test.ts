import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ed25519KeyPair } from '../../electron/azure/ssh-keys'
import { screenshotBothThemes, type AppUnderTest } from './harness'
import { appPerTest, signInWithSubscription } from './fixtures'

const apps = appPerTest()

/** Signed in as Ada with her first subscription (the demo seed's pools and month of spend). */
async function signedIn(seed?: 'demo'): Promise<AppUnderTest> {
  const running = await apps.start({
    sandbox: true,
    ...(seed ? { sandboxOptions: { seed } } : {}),
    pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
  })
  const { page } = running
  await signInWithSubscription(running, 'Ada Lovelace')
  await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()
  return running
}

/** Scrolls the app's content pane so that the element is at its top (the shell stays put). */
const scrollTo = (locator: Locator) =>
  locator.evaluate((element) => {
    const pane = element.closest('.content')
    if (!pane) return
    pane.scrollTop += element.getBoundingClientRect().top - pane.getBoundingClientRect().top - 16
  })

/** "$1,234.56" → 1234.56 */
const amountOf = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, ''))

describe('cost', () => {
  it("a pool's spend chart shows the month so far and its projection; a budget below the projection warns on the detail and the card", async () => {
    const app = await signedIn('demo')
    const { page } = app
    const team = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
    await team.getByRole('button', { name: 'Open' }).click()
    await page.getByRole('heading', { name: 'team-pool' }).waitFor()

    const panel = page.getByRole('region', { name: 'Spend this month' })
    const chart = panel.getByRole('img', { name: /^Spend by day this month/ })
    await chart.waitFor()
    await expect(chart.getAttribute('aria-label')).resolves.toMatch(
      /over \d+ days?; the most was \$[\d,.]+ on .*Projected for the whole month: \$[\d,.]+\.$/,
    )
    // Every day of the month so far has a bar; the demo pool costs money every day.
    const today = new Date(app.sandbox().clock.now()).getUTCDate()
    const figures = panel.getByRole('button', { name: 'Refresh' })
    await expect(figures.isEnabled()).resolves.toBe(true)
    await panel.getByText('Show the figures as a table').click()
    const rows = panel.getByRole('table').getByRole('row')
    await expect(rows.count()).resolves.toBe(today + 1)
    await expect(chart.locator('rect').count()).resolves.toBeGreaterThanOrEqual(today)
    for (const service of ['Storage', 'Load Balancer', 'Virtual Network'])
      await panel.getByRole('list', { name: 'Services' }).getByText(service).waitFor()
    const monthToDate = amountOf(await panel.locator('dt:text("Month to date") + dd').textContent())
    const projected = amountOf(
      await panel.locator('dt:text-matches("^Projected for") + dd').textContent(),
    )
    expect(monthToDate).toBeGreaterThan(0)
    expect(projected).toBeGreaterThanOrEqual(monthToDate)
    // The pool runs: the rest of the month is at its cost now, and the panel says so.
    const perHour = amountOf(await panel.locator('dt:text("Cost now") + dd').textContent())
    expect(perHour).toBeGreaterThan(0)
    await panel.getByText(/^Projected with the pool’s cost now: \$\d+\.\d{3} an hour/).waitFor()
    expect(projected).toBeGreaterThan(monthToDate)
    // The y axis reads without a repeated label.
    const ticks = await chart.locator('text.spend-axis').allTextContents()
    const money = ticks.filter((t) => t.startsWith('$'))
    expect(money.length).toBeGreaterThan(1)
    expect(new Set(money).size).toBe(money.length)
    await panel.getByText(/^Figures as of /).waitFor()
    await panel.getByText('Show the figures as a table').click()
    await scrollTo(page.getByRole('heading', { name: 'Spend this month' }))
    await screenshotBothThemes(page, 'cost-spend')

    // Refresh asks Cost Management again and shows the same month.
    await panel.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => panel.getByRole('button', { name: 'Refresh' }).isEnabled()).toBe(true)
    await chart.waitFor()

    // Cost Management throttles (429): the saved figures stay, with a note saying so and when
    // the app asks again.
    app
      .sandbox()
      .faults.throttle({ retryAfterSeconds: 120, count: 1, pathIncludes: 'CostManagement' })
    await panel.getByRole('button', { name: 'Refresh' }).click()
    await panel
      .getByText(
        /^Cost Management is busy \(too many requests\)\. These are the figures as of .*; the app asks again after /,
      )
      .waitFor()
    await chart.waitFor()
    await expect(panel.locator('dt:text("Month to date") + dd').textContent()).resolves.toMatch(
      /\$/,
    )

    // A budget above the spend so far but below the projection: the warning, here and on the
    // pool's card.
    // A budget that cannot be kept says why, in words.
    await panel.getByLabel(/^Budget per month/).fill('-20')
    await panel
      .getByText(
        'A budget cannot be negative. Enter the most the pool may cost in a month, such as 250.',
      )
      .waitFor()
    const budget = Math.round((monthToDate + projected) / 2)
    await panel.getByLabel(/^Budget per month/).fill(String(budget))
    await panel.getByRole('button', { name: 'Save budget' }).click()
    await panel.getByText(/^Budget saved: \$[\d,.]+ a month\. Teammates see it too\.$/).waitFor()
    const warning = panel.getByRole('alert').filter({ hasText: /budget/ })
    await warning.getByText('On course to go over budget').waitFor()
    await expect(warning.textContent()).resolves.toContain(
      `$${budget.toLocaleString('en-US')}.00 monthly budget`,
    )
    await panel.locator('dt:text("Budget used")').waitFor()
    await scrollTo(page.getByRole('heading', { name: 'Spend this month' }))
    await screenshotBothThemes(page, 'cost-budget-warning')

    // Teammates see it: the budget is a tag on the scale set.
    const scaleSet = app
      .sandbox()
      .context.resources.get(
        `/subscriptions/${app.sandbox().subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`,
      )
    expect(scaleSet?.tags?.['dsvm-pool-budget']).toBe(String(budget))

    await page.getByRole('button', { name: '← All pools' }).click()
    await team
      .getByRole('status')
      .filter({ hasText: /over budget/i })
      .waitFor()
    await screenshotBothThemes(page, 'cost-card-warning')
  })

  it("the wizard's estimate follows the size, the count and the working hours", async () => {
    const app = await signedIn()
    const { page } = app
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Create pool' })
      .click()
    await page.getByRole('heading', { name: 'Create a pool' }).waitFor()
    await answerUpToReview(page)

    const figure = (label: string) =>
      page
        .locator('.figure')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('.figure-value')
    const read = async () => ({
      perHour: amountOf(await figure('Per hour, all instances running').textContent()),
      onSchedule: amountOf(await figure('Per month on your schedule').textContent()),
    })
    await figure('Per month on your schedule').waitFor()
    const first = await read()
    expect(first.perHour).toBeGreaterThan(0)
    await scrollTo(page.getByRole('heading', { name: 'Estimated cost' }))
    await screenshotBothThemes(page, 'cost-wizard-estimate')

    const step = (name: string) =>
      page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name })
    const changed = async (from: { perHour: number; onSchedule: number }) => {
      await step('Review').click()
      await figure('Per month on your schedule').waitFor()
      await expect.poll(async () => (await read()).onSchedule).not.toBe(from.onSchedule)
      return read()
    }

    // Twice the instances in working hours: the compute part doubles.
    await step('Scaling').click()
    await page.getByLabel('Default').fill('4')
    const more = await changed(first)
    expect(more.perHour).toBeGreaterThan(first.perHour)
    expect(more.onSchedule).toBeGreaterThan(first.onSchedule)

    // A larger size costs more per hour.
    await step('Machines').click()
    const larger = page.getByRole('row').filter({ hasText: 'Standard_D8s_v5' })
    await larger.getByRole('radio').check()
    const bigger = await changed(more)
    expect(bigger.perHour).toBeGreaterThan(more.perHour)

    // Saturday as a working day: more hours on the schedule, the same rate per hour.
    await step('Scaling').click()
    await page.getByRole('checkbox', { name: 'Sat', exact: true }).check()
    const longer = await changed(bigger)
    expect(longer.perHour).toBe(bigger.perHour)
    expect(longer.onSchedule).toBeGreaterThan(bigger.onSchedule)
  })
})

/** Basics to Review with a Linux pool of two D4s_v5 instances in West Europe. */
async function answerUpToReview(page: Page) {
  const next = (label: string) => page.getByRole('button', { name: `Next: ${label}` }).click()
  await page.getByLabel('Pool name').fill('cost-pool')
  await page.getByLabel('Region').selectOption('westeurope')
  await next('Machines')
  const row = page.getByRole('row').filter({ hasText: 'Standard_D4s_v5' })
  await row.getByRole('radio').check()
  await page.getByLabel('Instances to start with').fill('2')
  await next('Scaling')
  await page.getByLabel('Default').fill('2')
  await page.getByLabel('Maximum').fill('4')
  await next('Access')
  await page.getByLabel('Public key file').setInputFiles({
    name: 'id_ed25519.pub',
    mimeType: 'text/plain',
    buffer: Buffer.from(`${ed25519KeyPair('ada@laptop').publicKey}\n`),
  })
  await page.getByText('Public key from id_ed25519.pub.').waitFor()
  await page.getByLabel('Who may connect (JupyterHub, SSH/RDP)').fill('203.0.113.0/24')
  await page.getByRole('button', { name: 'Add range' }).click()
  await next('Storage')
  await next('Review')
}
