import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ed25519KeyPair } from '../../electron/azure/ssh-keys'
import { screenshotBothThemes, type AppUnderTest } from './harness'
import { appPerTest, signInWithSubscription } from './fixtures'

const apps = appPerTest()

const microsoftParameters = resolve(
  import.meta.dirname,
  '../fixtures/dsvm-vmss-cluster.parameters.json',
)

async function openWizard(app: AppUnderTest, who = 'Ada Lovelace'): Promise<Page> {
  const { page } = app
  await signInWithSubscription(app, who)
  await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Create pool' })
    .click()
  await page.getByRole('heading', { name: 'Create a pool' }).waitFor()
  return page
}

const next = (page: Page, label: string) =>
  page.getByRole('button', { name: `Next: ${label}` }).click()

/** Basics to Storage with a Linux pool of `count` D4s_v5 instances in West Europe. */
async function answerUpToReview(page: Page, poolName: string, count: number, shots = false) {
  await page.getByLabel('Pool name').fill(poolName)
  await page.getByLabel('Region').selectOption('westeurope')
  if (shots) await screenshotBothThemes(page, 'wizard-1-basics')
  await next(page, 'Machines')

  const row = page.getByRole('row').filter({ hasText: 'Standard_D4s_v5' })
  await row.getByRole('radio').check()
  // The hourly price of each size comes from the price list (one query per size: with the
  // full size catalogue that takes a while on a loaded machine, so wait for the state).
  await expect
    .poll(() => row.getByRole('cell').nth(4).textContent(), { timeout: 60_000 })
    .toMatch(/\$0\.\d+/)
  await page.getByLabel('Instances to start with').fill(String(count))
  if (shots) {
    await scrollTo(page.getByRole('heading', { name: 'Create a pool' }))
    await screenshotBothThemes(page, 'wizard-2-machines')
  }
  await next(page, 'Scaling')

  await page.getByLabel('Default').fill(String(Math.min(count, 4)))
  await page.getByLabel('Maximum').fill(String(Math.max(count, 4)))
  if (shots) await screenshotBothThemes(page, 'wizard-3-scaling')
  await next(page, 'Access')

  await page.getByLabel('Public key file').setInputFiles({
    name: 'id_ed25519.pub',
    mimeType: 'text/plain',
    buffer: Buffer.from(`${ed25519KeyPair('ada@laptop').publicKey}\n`),
  })
  await page.getByText('Public key from id_ed25519.pub.').waitFor()
  await page.getByLabel('Who may connect (JupyterHub, SSH/RDP)').fill('203.0.113.0/24')
  await page.getByRole('button', { name: 'Add range' }).click()
  if (shots) await screenshotBothThemes(page, 'wizard-4-access')
  await next(page, 'Storage')

  if (shots) await screenshotBothThemes(page, 'wizard-5-storage')
  await next(page, 'Review')
}

/** Scrolls the app's content pane so that the element is at its top (the shell stays put). */
const scrollTo = (locator: ReturnType<Page['getByRole']>) =>
  locator.evaluate((element) => {
    const pane = element.closest('.content')
    if (!pane) return
    pane.scrollTop += element.getBoundingClientRect().top - pane.getBoundingClientRect().top - 16
  })

/** Sandbox time runs on while the deployment is watched; waits for `text`. */
async function advanceUntil(app: AppUnderTest, text: RegExp): Promise<void> {
  const target = app.page.getByText(text)
  for (let i = 0; i < 120; i++) {
    if ((await target.count()) > 0) return
    app.sandbox().clock.advance(20_000)
    await app.page.waitForTimeout(500)
  }
  await target.first().waitFor({ timeout: 1 })
}

describe('create a pool', () => {
  it('walks through the wizard, sees estimate, pre-flight and what-if, deploys and watches it succeed; a big pool hits quota and gets the fix', async () => {
    const running = await apps.start({ sandbox: true })
    const page = await openWizard(running)

    // Answers are checked: the Access step will not go on without a key and an address range.
    await page.getByLabel('Pool name').fill('My Pool!')
    await page
      .getByText(
        "A pool name may contain only lowercase letters, digits and hyphens (-): use lowercase letters; spaces and '!' are not allowed.",
      )
      .waitFor()
    // The group name follows the pool name; untouched, it shows no problem of its own.
    await expect(
      page.getByRole('region', { name: 'Basics' }).locator('.field-error').count(),
    ).resolves.toBe(1)
    await screenshotBothThemes(page, 'wizard-0-pool-name')
    await answerUpToReviewWithChecks(page)
    await answerUpToReview(page, 'ml-team', 2, true)

    await page.getByText('Per month on your schedule').waitFor()
    await page.getByText('Per month if always on').waitFor()
    const checks = page.getByRole('list', { name: 'Pre-flight results' })
    await checks.getByText('Quota: ok').waitFor()
    await expect(checks.getByText(/: problem/).count()).resolves.toBe(0)
    const whatIf = page.getByRole('table', { name: 'What-if' })
    await whatIf
      .getByRole('row')
      .filter({ hasText: 'virtualMachineScaleSets' })
      .getByText('Create')
      .waitFor()
    await scrollTo(page.getByRole('heading', { name: 'Create a pool' }))
    await screenshotBothThemes(page, 'wizard-6-review')
    await page.getByText('Parameter file (dsvm-pool.parameters.json)').click()
    await expect(
      page.getByLabel('Parameter file', { exact: true }).textContent(),
    ).resolves.toContain('"vmssName"')
    // Export: the parameter file to keep or share, with a note instead of secrets.
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export parameter file' }).click()
    const exported = await download
    expect(exported.suggestedFilename()).toBe('ml-team.parameters.json')
    const file = JSON.parse(readFileSync((await exported.path())!, 'utf8')) as {
      parameters: Record<string, { value: unknown }>
    }
    expect(file.parameters.vmssName).toEqual({ value: 'ml-team' })
    expect(file.parameters).not.toHaveProperty('adminPassword')
    await scrollTo(page.getByRole('heading', { name: 'What will change in Azure' }))
    await screenshotBothThemes(page, 'wizard-6b-review-what-if')

    await page.getByRole('button', { name: 'Deploy pool' }).click()
    await page.getByRole('heading', { name: 'Deploying a pool' }).waitFor()
    await advanceUntil(running, /virtualNetworks/)
    await page.getByRole('button', { name: 'Cancel deployment' }).waitFor()
    await screenshotBothThemes(page, 'wizard-7-progress')
    // The window reloads (as after a restart): the running deployment is offered again.
    await page.reload()
    const banner = page.getByRole('status').filter({ hasText: 'Deploying the pool ml-team' })
    await banner.waitFor()
    await banner.getByRole('button', { name: 'Show progress' }).click()
    await page.getByRole('heading', { name: 'Deploying a pool' }).waitFor()
    await advanceUntil(running, /The pool ml-team is ready/)
    // The page no longer says it is deploying.
    await page.getByRole('heading', { name: 'Pool created', level: 1 }).waitFor()
    await expect(page.getByRole('heading', { name: 'Deploying a pool' }).count()).resolves.toBe(0)
    const url = page.getByRole('link', { name: /^https:\/\/ml-team\..+:8000$/ })
    await url.waitFor()
    const progress = page.getByRole('table', { name: 'Deployment progress' })
    await expect(progress.getByText('Succeeded').count()).resolves.toBeGreaterThan(4)
    await screenshotBothThemes(page, 'wizard-8-success')

    // The pool opens in the pools list, with its JupyterHub button.
    await page.getByRole('button', { name: 'Go to the pool' }).click()
    await page.getByRole('heading', { name: /^ml-team/ }).waitFor()
    await page.getByRole('button', { name: 'Open JupyterHub' }).waitFor()
    await page.getByRole('button', { name: '← All pools' }).click()
    const card = page.getByRole('article', { name: 'ml-team' })
    await card.getByRole('button', { name: 'JupyterHub' }).waitFor()

    // A second, bigger pool: 30 × 4 vCPUs do not fit the 56 still free in the DSv5 family.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Create pool' })
      .click()
    await page.getByRole('button', { name: 'Create another pool' }).click()
    await page.getByLabel('Pool name').fill('big-pool')
    await page.getByLabel('Region').selectOption('westeurope')
    await next(page, 'Machines')
    await page.getByRole('row').filter({ hasText: 'Standard_D4s_v5' }).getByRole('radio').check()
    await page.getByLabel('Instances to start with').fill('30')
    const shortfall = page.getByRole('alert', { name: 'Not enough quota' })
    await shortfall
      .getByText(
        /^Not enough quota: 30 instances of Standard_D4s_v5 need 120 vCPUs, but only \d+ of/,
      )
      .waitFor()
    await shortfall.getByRole('link', { name: 'Request more quota in the Azure portal' }).waitFor()
    await scrollTo(page.getByRole('heading', { name: 'VM size' }))
    await shortfall.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'wizard-9-quota')
    // Next is blocked while the pool does not fit.
    await next(page, 'Scaling')
    await page.getByText('Correct the answers marked above to go on.').waitFor()
    await expect(page.getByRole('heading', { name: 'VM size' }).count()).resolves.toBe(1)
    await shortfall.getByRole('button', { name: /^Start with \d+ instances$/ }).click()
    await expect(shortfall.count()).resolves.toBe(0)
    await next(page, 'Scaling')
    await expect(page.getByLabel('Maximum').inputValue()).resolves.toBe(
      await page.getByLabel('Default').inputValue(),
    )
  })

  it('says every problem in words, on the fields the person touched, and offers their address', async () => {
    const running = await apps.start({ sandbox: true })
    const page = await openWizard(running)
    await next(page, 'Machines')
    // Numbers: what is wrong, in words.
    await page.getByLabel('Instances to start with').fill('-1')
    await page.getByText('The number of instances must be a whole number from 0 to 100.').waitFor()
    await page.getByLabel('Instances to start with').fill('2.5')
    await page
      .getByText('The number of instances must be a whole number from 0 to 100 (not 2.5).')
      .waitFor()
    await expect(page.getByText(/Too small|Invalid input|expected/).count()).resolves.toBe(0)
    await page.getByLabel('Instances to start with').fill('3')
    await expect(page.locator('.field-error').count()).resolves.toBe(0)
    await next(page, 'Scaling')
    // The maximum followed the count: 3, not 100 or 4.
    await expect(page.getByLabel('Maximum').inputValue()).resolves.toBe('3')
    await page.getByLabel('Minimum').fill('5')
    await page.getByText('The minimum (5) cannot be above the maximum (3).').waitFor()
    await expect(page.getByText(/The default .* between 5 and 3/).count()).resolves.toBe(0)
    await screenshotBothThemes(page, 'wizard-3b-scaling-problem')
    await page.getByLabel('Minimum').fill('0')
    await next(page, 'Access')

    // "Use my current address": asks first, then one look-up (the sandbox's stand-in).
    await expect(page.getByRole('button', { name: 'Allow any address' }).count()).resolves.toBe(0)
    await page.getByRole('button', { name: 'Use my current address' }).click()
    const consent = page.getByRole('group', { name: 'Look up my address' })
    await consent.getByText(/stand-in address/).waitFor()
    await screenshotBothThemes(page, 'wizard-4b-my-address')
    await consent.getByRole('button', { name: 'Look up my address' }).click()
    await page
      .getByRole('list', { name: 'Allowed address ranges' })
      .getByText('203.0.113.57/32')
      .waitFor()
    await expect(consent.count()).resolves.toBe(0)
  })

  it('cancels a deployment on request and says what is left', async () => {
    const running = await apps.start({ sandbox: true })
    const page = await openWizard(running)
    await answerUpToReview(page, 'short-lived', 1)
    await page.getByRole('list', { name: 'Pre-flight results' }).getByText('Quota: ok').waitFor()
    await page.getByRole('button', { name: 'Deploy pool' }).click()
    await page.getByRole('heading', { name: 'Deploying a pool' }).waitFor()
    await advanceUntil(running, /virtualNetworks/)
    await page.getByRole('button', { name: 'Cancel deployment' }).click()
    await page.getByRole('button', { name: 'Stop deployment' }).click()
    await advanceUntil(running, /The deployment of short-lived was cancelled/)
    await page.getByRole('heading', { name: 'Deployment cancelled', level: 1 }).waitFor()
    await page
      .getByText('What was created before the deployment stopped stays in short-lived-rg')
      .waitFor()
    await expect(
      page.getByRole('table', { name: 'Deployment progress' }).getByText('Succeeded').count(),
    ).resolves.toBeGreaterThan(0)
    await expect(page.getByRole('button', { name: 'Cancel deployment' }).count()).resolves.toBe(0)
    await screenshotBothThemes(page, 'wizard-11-cancelled')
    await page.getByRole('button', { name: 'Back to the answers' }).click()
    // Back on Review: the group now exists, and pre-flight offers to deploy into it.
    await page.getByText('short-lived in westeurope').waitFor()
    await page.getByRole('button', { name: "Deploy into the existing 'short-lived-rg'" }).click()
    await page
      .getByRole('list', { name: 'Pre-flight results' })
      .getByText(/Resource group: (ok|warning)/)
      .waitFor()
  })

  it('chooses how teammates sign in on Access, and Review says who the members are', async () => {
    const running = await apps.start({ sandbox: true })
    const page = await openWizard(running)
    await page.getByLabel('Pool name').fill('acct-lab')
    await next(page, 'Machines')
    await next(page, 'Scaling')
    await next(page, 'Access')
    const choice = page.getByRole('group', { name: 'How teammates sign in' })
    await expect(
      choice.getByRole('radio', { name: 'Their Microsoft accounts' }).isChecked(),
    ).resolves.toBe(true)
    await page.getByText(/Recommended\. You add teammates under Team/).waitFor()
    // Ada may assign roles and, as an Application Developer, register JupyterHub's application.
    await page
      .getByText(
        /^You may assign roles and register applications here, .* over SSH and to JupyterHub\.$/,
      )
      .waitFor()
    await choice.getByRole('radio', { name: 'Pool accounts' }).check()
    await page
      .getByText(/Each teammate makes their own user name and JupyterHub password/)
      .waitFor()
    await page.getByLabel('Public key file').setInputFiles({
      name: 'id_ed25519.pub',
      mimeType: 'text/plain',
      buffer: Buffer.from(`${ed25519KeyPair('ada@laptop').publicKey}\n`),
    })
    await page.getByText('Public key from id_ed25519.pub.').waitFor()
    await page.getByLabel('Who may connect (JupyterHub, SSH/RDP)').fill('203.0.113.0/24')
    await page.getByRole('button', { name: 'Add range' }).click()
    await scrollTo(choice)
    await screenshotBothThemes(page, 'wizard-access-team')
    await next(page, 'Storage')
    await next(page, 'Review')
    const summary = page.getByRole('region', { name: 'Summary' })
    await summary
      .getByText(
        'with pool accounts: each makes a user name and JupyterHub password on the pool’s page',
      )
      .waitFor()
    await summary
      .getByText('No pool accounts yet: teammates add their own once the pool exists')
      .waitFor()
    // The choice is in the parameter file: the accounts script, and no account list to export.
    await page.getByText('Parameter file (dsvm-pool.parameters.json)').click()
    const file = await page.getByLabel('Parameter file', { exact: true }).textContent()
    expect(file).toContain('"accountsScript": {')
    expect(file).toContain('pool-accounts:')
    await scrollTo(summary)
    await screenshotBothThemes(page, 'wizard-review-team')

    // Back to Microsoft accounts: Review says so.
    await page.getByRole('button', { name: 'Access' }).click()
    await page
      .getByRole('group', { name: 'How teammates sign in' })
      .getByRole('radio', { name: 'Their Microsoft accounts' })
      .check()
    await page.getByRole('button', { name: 'Review' }).click()
    await summary.getByText('with their own Microsoft accounts').waitFor()
    await summary.getByText(/^You, as the first Manager/).waitFor()
  })

  it('starts a Contributor, who may not assign roles, on pool accounts and says why', async () => {
    const running = await apps.start({ sandbox: true })
    const page = await openWizard(running, 'Grace Hopper')
    await page.getByLabel('Pool name').fill('grace-lab')
    await next(page, 'Machines')
    await next(page, 'Scaling')
    await next(page, 'Access')
    await page
      .getByText(/^You may not assign roles here \(that needs Owner or User Access Administrator\)/)
      .waitFor()
    await expect(
      page
        .getByRole('group', { name: 'How teammates sign in' })
        .getByRole('radio', { name: 'Pool accounts' })
        .isChecked(),
    ).resolves.toBe(true)
    await screenshotBothThemes(page, 'wizard-access-contributor')
  })

  it('checks a Windows password as it is typed and masks it on Review', async () => {
    const running = await apps.start({ sandbox: true })
    const page = await openWizard(running)
    await page.getByLabel('Pool name').fill('win-lab')
    await next(page, 'Machines')
    await page.getByRole('radio', { name: 'Windows Server 2022' }).check()
    await next(page, 'Scaling')
    await next(page, 'Access')
    const password = page.getByLabel('Administrator password')
    await password.fill('short')
    await page.getByText('The password must be at least 12 characters long.').waitFor()
    await password.fill('alllowercaseletters')
    await page.getByText('The password needs three of these').waitFor()
    await password.fill('Correct-Horse-42!')
    await expect(page.getByText('The password needs three of these').count()).resolves.toBe(0)
    await page.getByLabel('Who may connect (JupyterHub, SSH/RDP)').fill('198.51.100.0/24')
    await page.getByRole('button', { name: 'Add range' }).click()
    await next(page, 'Storage')
    await expect(page.getByLabel('Drive letter').inputValue()).resolves.toBe('Z:')
    await next(page, 'Review')
    await page.getByText('Parameter file (dsvm-pool.parameters.json)').click()
    const file = await page.getByLabel('Parameter file', { exact: true }).textContent()
    expect(file).toContain('"adminPassword": {\n      "value": "********"')
    expect(file).not.toContain('Correct-Horse-42!')
    await page.getByText('The same with the Azure CLI').click()
    await expect(page.getByLabel('Azure CLI commands').textContent()).resolves.toContain(
      "read -rsp 'Administrator password for the pool: ' DSVM_ADMIN_PASSWORD",
    )
  })

  it('tells a Reader on the pre-flight checks which role creating a pool needs', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    await signInWithSubscription(running, 'Alan Turing')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Create pool' })
      .click()
    await answerUpToReview(page, 'readers', 1)
    const permissions = page.getByRole('listitem').filter({ hasText: 'Permissions: problem' })
    await permissions.getByText(/needs the Contributor \(or Owner\) role/).waitFor()
    await expect(page.getByRole('button', { name: 'Deploy pool' }).isDisabled()).resolves.toBe(true)
    await scrollTo(page.getByRole('heading', { name: 'Pre-flight checks' }))
    await screenshotBothThemes(page, 'wizard-12-reader')
  })

  it("prefills the wizard from Microsoft's sample parameter file and says what it did not take", async () => {
    const running = await apps.start({ sandbox: true })
    const page = await openWizard(running)
    await page.getByLabel('Parameter file to import').setInputFiles(microsoftParameters)
    const notice = page
      .getByRole('note')
      .filter({ hasText: 'Answers imported from dsvm-vmss-cluster.parameters.json' })
    await notice.waitFor()
    await notice.getByText('Microsoft’s dsvm-vmss-cluster parameter file').waitFor()
    await notice
      .getByText(/'GEN-UNIQUE-8' asks for a unique name: the pool is called '[a-z][a-z0-9]{7}'/)
      .waitFor()
    // Nothing is asked for that a Linux pool does not use.
    await notice.getByText(/adminPassword.*Not used: Linux pools sign in with an SSH key/).waitFor()
    await notice.getByText(/storageAccountKey.*Not needed/).waitFor()
    await expect(notice.getByText(/enter a real value/).count()).resolves.toBe(0)
    await expect(page.getByLabel('Pool name').inputValue()).resolves.toMatch(/^[a-z][a-z0-9]{7}$/)
    await screenshotBothThemes(page, 'wizard-10-imported')

    await next(page, 'Machines')
    await expect(page.getByLabel('Instances to start with').inputValue()).resolves.toBe('2')
    // Microsoft's sample size is offered in the sandbox, as in Azure, and comes in chosen.
    await expect(
      page.getByRole('radio', { name: 'Standard_D2s_v3', exact: true }).isChecked(),
    ).resolves.toBe(true)
    await expect(page.getByText('Standard_D2s_v3 is not offered').count()).resolves.toBe(0)
    await page.getByRole('button', { name: 'Access' }).click()
    await expect(page.getByLabel('Administrator user name').inputValue()).resolves.toBe('dsvmuser')

    // A file that is not a parameter file changes nothing and says why.
    await page.getByLabel('Parameter file to import').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        readFileSync(microsoftParameters, 'utf8').replace('"parameters"', '"resources"'),
      ),
    })
    await page.getByText('That file was not imported; nothing changed').waitFor()
    await expect(page.getByLabel('Administrator user name').inputValue()).resolves.toBe('dsvmuser')
  })

  it('deployed on a Sunday: the finished screen says the pool is at zero and why, and starts it until a chosen time', async () => {
    // Sunday 6 December 2026, 15:00 UTC: outside the default working hours (weekdays).
    const running = await apps.start({
      sandbox: true,
      sandboxOptions: { startAt: Date.parse('2026-12-06T15:00:00Z') },
      pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
    })
    const page = await openWizard(running)
    await answerUpToReview(page, 'weekend', 2)
    await page.getByRole('button', { name: 'Deploy pool' }).click()
    await page.getByRole('heading', { name: 'Deploying a pool' }).waitFor()
    await advanceUntil(running, /The pool weekend is ready/)
    // Autoscale's next evaluation takes it to zero: the screen says so, and why.
    await advanceUntil(running, /weekend is at zero instances/)
    const notice = page.getByRole('note', { name: 'Pool size' })
    await notice
      .getByText(/At zero outside working hours: autoscale keeps it there until Mon/)
      .waitFor()
    await screenshotBothThemes(page, 'wizard-9-success-at-zero')
    await notice.getByRole('button', { name: 'Start now' }).click()
    await notice
      .getByRole('status')
      .getByText(/Keeping weekend at 2 until/)
      .waitFor()
    await advanceUntil(running, /^Kept at 2 until \d\d:\d\d by ada@contoso\.example\.$/)
    await screenshotBothThemes(page, 'wizard-10-started-until')
  })
})

/** Next on Access without a key or address range shows both problems and stays. */
async function answerUpToReviewWithChecks(page: Page) {
  await page.getByLabel('Pool name').fill('ml-team')
  await next(page, 'Machines')
  await next(page, 'Scaling')
  await next(page, 'Access')
  await next(page, 'Storage')
  await page.getByText('Linux pools sign in with an SSH key').waitFor()
  await page.getByText('Add at least one address range that may connect.').waitFor()
  await page.getByRole('button', { name: 'Basics' }).click()
}
