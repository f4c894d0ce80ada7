import { describe, expect, it } from 'vitest'
import { requireMultiFactorAuthentication } from '../../sandbox/identity/index'
import { exploreSandboxAs, screenshotBothThemes, signInOnSandboxPage } from './harness'
import { appPerTest } from './fixtures'

const apps = appPerTest()

describe('when Azure misbehaves', () => {
  it('a failing subscription list says so with Retry, and Retry recovers once Azure does', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    // Resource Manager answers 503 to every tenant listing until the fault is cleared.
    running.sandbox().faults.serverErrors({ status: 503, service: 'arm', pathIncludes: '/tenants' })

    await exploreSandboxAs(running, 'Ada Lovelace')
    const alert = page.getByRole('alert').filter({ hasText: 'Couldn’t load your subscriptions' })
    await alert.waitFor({ timeout: 60_000 })
    await expect(alert.getByRole('button', { name: 'Retry' }).isVisible()).resolves.toBe(true)
    await expect(page.getByRole('checkbox').count()).resolves.toBe(0)
    await screenshotBothThemes(page, '08-subscriptions-failed')

    running.sandbox().faults.clear()
    await alert.getByRole('button', { name: 'Retry' }).click()
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()
    await expect(page.getByRole('alert').count()).resolves.toBe(0)
  })

  it('when Azure cannot be reached the list says so and what to check, and Retry recovers', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    // Every connection to Resource Manager's tenant list is dropped without an answer.
    running.sandbox().faults.resetConnections({ service: 'arm', pathIncludes: '/tenants' })

    await exploreSandboxAs(running, 'Ada Lovelace')
    const alert = page.getByRole('alert').filter({ hasText: 'Couldn’t load your subscriptions' })
    await alert.waitFor({ timeout: 60_000 })
    await alert
      .getByText(/network connection/)
      .first()
      .waitFor()
    await screenshotBothThemes(page, '08b-subscriptions-offline')

    running.sandbox().faults.clear()
    await alert.getByRole('button', { name: 'Retry' }).click()
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()
  })

  it('directories whose subscriptions cannot be read are named inline, with what to do when nothing is left', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    running
      .sandbox()
      .faults.serverErrors({ status: 503, service: 'arm', pathIncludes: '/subscriptions' })

    await exploreSandboxAs(running, 'Ada Lovelace')
    const none = page.getByRole('alert').filter({ hasText: 'No subscriptions could be read' })
    await none.waitFor({ timeout: 60_000 })
    const notes = page.getByRole('note')
    await expect(notes.filter({ hasText: 'Contoso Research' }).isVisible()).resolves.toBe(true)
    await expect(notes.filter({ hasText: 'Fabrikam Labs' }).isVisible()).resolves.toBe(true)
    await screenshotBothThemes(page, '09-directories-unreadable')

    running.sandbox().faults.clear()
    await none.getByRole('button', { name: 'Refresh' }).click()
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()
    await expect(page.getByRole('note').count()).resolves.toBe(0)
  })

  it('a sandbox user without any subscription is told so and offered another user', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    // Alan has a role on no subscription at all in this run.
    const alan = running
      .sandbox()
      .directory.users.find((u) => u.username === 'alan@contoso.example')!
    const roles = alan.roles
    alan.roles = {}
    try {
      await exploreSandboxAs(running, 'Alan Turing')
      const none = page.getByRole('alert').filter({ hasText: 'No subscriptions found' })
      await none.waitFor()
      await expect(none.getByText(/no role on any subscription/).isVisible()).resolves.toBe(true)
      await expect(page.getByRole('note').count()).resolves.toBe(0)
      await screenshotBothThemes(page, '10-no-subscriptions')

      // A second account: its subscriptions join the list, both accounts are in the menu.
      const opened = running.systemBrowser.next()
      await none.getByRole('button', { name: 'Sign in as another user' }).click()
      await signInOnSandboxPage(running.context, await opened, 'Ada Lovelace')
      await page.getByRole('checkbox', { name: 'Contoso Data Science' }).waitFor()
      await page
        .getByRole('button', { name: /Accounts: Alan Turing \(read only\) and 1 more/ })
        .click()
      const menu = page.getByRole('dialog', { name: 'Accounts' })
      await expect(menu.getByRole('listitem').count()).resolves.toBe(2)
      await menu.getByRole('button', { name: 'Sign out alan@contoso.example' }).click()
      await page.getByRole('button', { name: /^Accounts: Ada Lovelace$/ }).waitFor()
    } finally {
      alan.roles = roles
    }
  })

  it('a directory that asks for multi-factor authentication is flagged inline; the others stay usable', async () => {
    const running = await apps.start({ sandbox: true })
    const { page } = running
    const sandbox = running.sandbox()
    const fabrikam = sandbox.directory.tenants.find((t) => t.displayName === 'Fabrikam Labs')!
    requireMultiFactorAuthentication(sandbox.context, fabrikam.id)

    await exploreSandboxAs(running, 'Ada Lovelace')
    const group = page.getByRole('group', { name: 'Fabrikam Labs' })
    const problem = group.getByRole('note')
    await problem.waitFor()
    await expect(problem.textContent()).resolves.toMatch(/multi-factor authentication/)
    await expect(group.getByRole('checkbox').count()).resolves.toBe(0)
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
    await expect(page.getByRole('button', { name: 'Save and continue' }).isEnabled()).resolves.toBe(
      true,
    )
    await screenshotBothThemes(page, '12-directory-needs-mfa')

    // Signing in through that directory satisfies it; its subscriptions appear.
    const opened = running.systemBrowser.next()
    await group.getByRole('button', { name: 'Sign in to Fabrikam Labs' }).click()
    const url = await opened
    expect(new URL(url).pathname).toContain(fabrikam.id)
    await signInOnSandboxPage(running.context, url, 'Ada Lovelace')
    await page
      .getByRole('group', { name: 'Fabrikam Labs' })
      .getByRole('checkbox', { name: 'Fabrikam Analytics' })
      .waitFor()
  })
})
