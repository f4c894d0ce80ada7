import { describe, expect, it } from 'vitest'
import { screenshotBothThemes, signInOnSandboxPage } from './harness'
import { appPerTest } from './fixtures'

const apps = appPerTest()

describe('sign in to the sandbox and choose a subscription', () => {
  it('goes from Welcome through the sandbox sign-in page to the pools of a chosen subscription, and back out', async () => {
    const running = await apps.start()
    const { page, context, systemBrowser } = running

    // Welcome
    await page.getByRole('heading', { name: 'DSVM Pool Manager' }).waitFor()
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor()
    await expect(page.getByLabel('Cloud').inputValue()).resolves.toBe('AzureCloud')
    await screenshotBothThemes(page, '01-welcome')

    // Explore with a sandbox: the app opens the sandbox's sign-in page in the system browser.
    const opened = systemBrowser.next()
    await page.getByRole('button', { name: 'Explore with a sandbox' }).click()
    const authorizeUrl = await opened
    expect(new URL(authorizeUrl).pathname).toMatch(/\/oauth2\/v2.0\/authorize$/)
    await page.getByRole('heading', { name: 'Continue in your browser' }).waitFor()
    await page.getByText('Waiting for the browser…').waitFor()
    await screenshotBothThemes(page, '02-waiting-for-browser')

    await signInOnSandboxPage(context, authorizeUrl, 'Ada Lovelace')

    // Signed in: the account shows and the subscription picker lists what Ada can see.
    await page.getByRole('button', { name: /Accounts: Ada Lovelace/ }).waitFor()
    await page.getByRole('heading', { name: 'Choose subscriptions' }).waitFor()
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()
    await expect(page.getByRole('group', { name: 'Contoso Research' }).isVisible()).resolves.toBe(
      true,
    )
    await expect(page.getByRole('group', { name: 'Fabrikam Labs' }).isVisible()).resolves.toBe(true)
    const names = await page
      .getByRole('checkbox')
      .evaluateAll((boxes) =>
        boxes.map(
          (box) => document.getElementById(box.getAttribute('aria-labelledby') ?? '')?.textContent,
        ),
      )
    expect(names).toEqual(['Contoso Data Science', 'Contoso Dev/Test', 'Fabrikam Analytics'])
    await expect(
      page.getByRole('button', { name: 'Save and continue' }).isDisabled(),
    ).resolves.toBe(true)
    await screenshotBothThemes(page, '03-subscriptions')

    // Search narrows the list; a search that matches nothing says so.
    const search = page.getByLabel('Search subscriptions')
    await search.fill('dev')
    await page
      .getByRole('checkbox', { name: 'Contoso Data Science' })
      .waitFor({ state: 'detached' })
    await expect(page.getByRole('checkbox').count()).resolves.toBe(1)
    await expect(
      page.getByRole('checkbox', { name: 'Contoso Dev/Test' }).isVisible(),
    ).resolves.toBe(true)
    await search.fill('northwind')
    await page.getByText('No subscription matches “northwind”.').waitFor()
    await search.fill('data science')
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()
    await screenshotBothThemes(page, '04-subscriptions-search')

    // Pick one and continue to the pools home.
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
    await page.getByText('1 of 3 subscriptions chosen').waitFor()
    await page.getByRole('button', { name: 'Save and continue' }).click()
    await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()
    await page.getByText('in your chosen subscription, found by their tag').waitFor()
    // The sandbox starts without pools: the empty state leads to the wizard.
    await page.getByRole('heading', { name: 'No pools yet' }).waitFor()
    await expect(page.getByRole('button', { name: 'Create a pool' }).isVisible()).resolves.toBe(
      true,
    )
    await expect(
      page.getByRole('button', { name: 'Pools' }).getAttribute('aria-current'),
    ).resolves.toBe('page')
    await expect(page.title()).resolves.toBe('Pools — DSVM Pool Manager')
    await screenshotBothThemes(page, '05-pools-home')

    // A reload keeps the choice (it is saved in settings) and the sign-in.
    await page.reload()
    await page.getByRole('heading', { name: 'Pools', exact: true }).waitFor()
    await page.getByText('in your chosen subscription, found by their tag').waitFor()

    // Going back to the picker shows the saved choice ticked.
    await page.getByRole('button', { name: 'Change subscriptions' }).click()
    await expect(
      page.getByRole('checkbox', { name: 'Contoso Data Science' }).isChecked(),
    ).resolves.toBe(true)
    await expect(
      page.getByRole('checkbox', { name: 'Contoso Dev/Test' }).isChecked(),
    ).resolves.toBe(false)

    // Account menu: the account, with sign out.
    await page.getByRole('button', { name: /Accounts: Ada Lovelace/ }).click()
    const menu = page.getByRole('dialog', { name: 'Accounts' })
    await menu.getByText('ada@contoso.example').waitFor()
    await expect(menu.getByText('Sandbox').isVisible()).resolves.toBe(true)
    await screenshotBothThemes(page, '06-account-menu')
    // Escape closes it and gives focus back to the button.
    await page.keyboard.press('Escape')
    await expect(menu.count()).resolves.toBe(0)
    await expect(
      page
        .getByRole('button', { name: /Accounts: Ada Lovelace/ })
        .evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true)
    await page.keyboard.press('Enter')
    await menu.getByRole('button', { name: 'Sign out ada@contoso.example' }).click()

    // Back to Welcome.
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor()
    await expect(
      page.getByRole('button', { name: 'Explore with a sandbox' }).isVisible(),
    ).resolves.toBe(true)
  })

  it('signs in with a device code typed into the sandbox page in another tab', async () => {
    const running = await apps.start({ sandbox: true })
    const { page, context, systemBrowser } = running

    const opened = systemBrowser.next()
    await page.getByRole('button', { name: 'Explore with a sandbox' }).click()
    await opened
    await page.getByRole('button', { name: 'Use a device code instead' }).click()

    await page.getByRole('heading', { name: 'Sign in with a code' }).waitFor()
    const codeBox = page.getByLabel('Device code')
    await codeBox.waitFor()
    const code = await codeBox.inputValue()
    expect(code).toMatch(/^[A-Z0-9-]{6,}$/)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: running.app.host.origin,
    })
    await page.getByRole('button', { name: 'Copy code' }).click()
    await page.getByRole('button', { name: 'Copied' }).waitFor()
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(code)
    await screenshotBothThemes(page, '07-device-code')

    // The person follows the link shown, enters the code and picks the user.
    const link = page.getByRole('link', { name: /^https:\/\/localhost:\d+\// })
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click()])
    await tab.getByRole('heading', { name: 'Enter code' }).waitFor()
    await tab.getByLabel('Code').fill(code)
    await tab.getByRole('button', { name: /Grace Hopper/ }).click()
    await tab.getByRole('status').waitFor()
    await tab.close()

    await page.getByRole('button', { name: /Accounts: Grace Hopper/ }).waitFor()
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()
    await expect(page.getByRole('checkbox').count()).resolves.toBe(1)
  })

  it('cancelling a sign-in returns to Welcome with nothing signed in', async () => {
    const running = await apps.start({ sandbox: true })
    const { page, systemBrowser } = running
    const opened = systemBrowser.next()
    await page.getByRole('button', { name: 'Explore with a sandbox' }).click()
    await opened
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).waitFor()
    await expect(page.getByRole('alert').count()).resolves.toBe(0)
  })
})
