import { describe, expect, it } from 'vitest'
import { exploreSandboxAs, screenshotBothThemes } from './harness'
import { appPerTest } from './fixtures'

const apps = appPerTest()

describe('settings', () => {
  it('changes theme, client id and tray behaviour, and keeps them across a reload', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    await exploreSandboxAs(running, 'Ada Lovelace')

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Settings' })
      .click()
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor()
    await expect(page.getByRole('radio', { name: 'Sandbox' }).isChecked()).resolves.toBe(true)
    await expect(page.getByRole('radio', { name: 'System' }).isChecked()).resolves.toBe(true)
    await screenshotBothThemes(page, '11-settings')

    // Theme: Dark wins over a light system preference.
    await page.getByRole('radio', { name: 'Dark' }).check()
    await page.getByRole('status').filter({ hasText: 'Theme saved' }).waitFor()
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark')
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await expect(background()).resolves.toBe('rgb(20, 22, 25)')

    // Client id: a malformed id is explained and not saved; a GUID is saved.
    const clientId = page.getByLabel('Client ID (optional)')
    await clientId.fill('my-app')
    await clientId.blur()
    await page.getByText('A client ID looks like').waitFor()
    await expect(clientId.getAttribute('aria-invalid')).resolves.toBe('true')
    await page.getByRole('button', { name: 'Save client ID' }).click()
    await expect(
      page.getByRole('status').filter({ hasText: 'Client ID saved' }).count(),
    ).resolves.toBe(0)
    await clientId.fill('11111111-2222-4333-8444-555555555555')
    await page.getByRole('button', { name: 'Save client ID' }).click()
    await page.getByRole('status').filter({ hasText: 'Client ID saved' }).waitFor()

    const tray = page.getByRole('checkbox', { name: /Keep running in the tray/ })
    await expect(tray.isChecked()).resolves.toBe(true)
    await tray.uncheck()
    await page.getByRole('status').filter({ hasText: 'Window setting saved' }).waitFor()

    await page.reload()
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Settings' })
      .click()
    await expect(page.getByRole('radio', { name: 'Dark' }).isChecked()).resolves.toBe(true)
    await expect(page.getByLabel('Client ID (optional)').inputValue()).resolves.toBe(
      '11111111-2222-4333-8444-555555555555',
    )
    await expect(
      page.getByRole('checkbox', { name: /Keep running in the tray/ }).isChecked(),
    ).resolves.toBe(false)
    await expect(background()).resolves.toBe('rgb(20, 22, 25)')

    // Back to the built-in app registration: the saved id is gone, also after a reload.
    await page.getByRole('button', { name: 'Use the built-in registration' }).click()
    await page.getByRole('status').filter({ hasText: 'Built-in app registration saved' }).waitFor()
    await expect(page.getByLabel('Client ID (optional)').inputValue()).resolves.toBe('')
    await page.reload()
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Settings' })
      .click()
    await expect(page.getByLabel('Client ID (optional)').inputValue()).resolves.toBe('')
    await expect(
      page.getByRole('button', { name: 'Use the built-in registration' }).count(),
    ).resolves.toBe(0)

    // Back to following the system.
    await page.getByRole('radio', { name: 'System' }).check()
    await page.getByRole('status').filter({ hasText: 'Theme saved' }).waitFor()
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(null)
    await expect(background()).resolves.toBe('rgb(244, 245, 247)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect(background()).resolves.toBe('rgb(20, 22, 25)')
  })

  it('can be reached and used with the keyboard alone', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    await exploreSandboxAs(running, 'Ada Lovelace')
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()

    // Tab from the top of the page: first the skip link, then the account menu (its name
    // holds the label it shows), then the main navigation.
    await page.locator('body').focus()
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement
        return el ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() : ''
      })
    await page.keyboard.press('Tab')
    await expect(focused()).resolves.toBe('Skip to content')
    await screenshotBothThemes(page, 'settings-skip-link')
    await page.keyboard.press('Tab')
    await expect(focused()).resolves.toMatch(/Accounts: Ada Lovelace$/)
    await page.getByRole('button', { name: 'Accounts: Ada Lovelace', exact: true }).waitFor()
    for (const name of ['Pools', 'Create pool', 'Subscriptions', 'Settings']) {
      await page.keyboard.press('Tab')
      await expect(focused()).resolves.toBe(name)
    }
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor()
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement!).outlineStyle,
    )
    expect(outline).toBe('solid')

    // The skip link jumps past the top bar and the navigation to the screen itself.
    await page.getByRole('link', { name: 'Skip to content' }).focus()
    await page.keyboard.press('Enter')
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('content')
    await page.keyboard.press('Tab')
    await expect(
      page.evaluate(() => document.activeElement?.closest('.content') !== null),
    ).resolves.toBe(true)

    // Arrow keys move between the theme radios and choose.
    await page.getByRole('radio', { name: 'System' }).focus()
    await page.keyboard.press('ArrowRight')
    await page.getByRole('status').filter({ hasText: 'Theme saved' }).waitFor()
    await expect(page.getByRole('radio', { name: 'Light' }).isChecked()).resolves.toBe(true)
  })
})
