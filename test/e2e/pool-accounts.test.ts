import { afterEach, describe, expect, it } from 'vitest'
import {
  endTest,
  exploreSandboxAs,
  screenshotBothThemes,
  startAppUnderTest,
  type AppUnderTest,
} from './harness'

/*
 * Pool accounts on a pool's page, as Ada sees them: what the section says, the checks on the
 * user name and password before anything is sent, and the plain reason when the pool cannot
 * take pool accounts (the demo pools were not made by the app's template, so their scale
 * sets have no extension to carry the accounts). The full path (model, instances) is covered
 * against the sandbox in test/integration/team/pool-accounts.test.ts.
 */

let app: AppUnderTest | undefined
afterEach(async (context) => {
  await endTest(context.task, app)
  app = undefined
})

describe('pool accounts', () => {
  it('checks the name and password, then says why this pool cannot take pool accounts', async () => {
    app = await startAppUnderTest({ sandbox: true, sandboxOptions: { seed: 'demo' } })
    const { page } = app
    await exploreSandboxAs(app, 'Ada Lovelace')
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
    await page.getByRole('button', { name: 'Save and continue' }).click()
    const card = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
    await card.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('heading', { name: /^team-pool/ }).waitFor()

    const section = page.getByRole('region', { name: 'Pool accounts' })
    await section.getByText('This pool has no pool accounts yet.').waitFor()

    // Nothing is sent while the name or the password is not right.
    await section.getByRole('textbox', { name: 'User name on the instances' }).fill('Ada L')
    await section.getByLabel('JupyterHub password').fill('short')
    await section.getByRole('button', { name: 'Make my account' }).click()
    await section
      .getByText('Use 1 to 32 lowercase letters, digits, - or _, starting with a letter.')
      .waitFor()
    await section.getByText('Use 12 or more characters.').waitFor()
    await section.getByRole('textbox', { name: 'User name on the instances' }).fill('ada')
    await section.getByLabel('JupyterHub password').fill('analytical engine 1843')
    await section.getByLabel('The same password again').fill('analytical engine 1834')
    await section.getByRole('button', { name: 'Make my account' }).click()
    await section.getByText('The two passwords differ.').waitFor()
    await expect(section.getByRole('alert').count()).resolves.toBe(0)

    await section.getByLabel('The same password again').fill('analytical engine 1843')
    await section.getByRole('button', { name: 'Make my account' }).click()
    const alert = section.getByRole('alert')
    await alert.getByText('The accounts were not changed').waitFor()
    await alert.getByText(/was not created with this app's pool template/).waitFor()
    await alert.getByText(/members can sign in with their Microsoft accounts instead/).waitFor()
    // The password stays only in the form, and no account appeared.
    await section.getByText('This pool has no pool accounts yet.').waitFor()
    await section.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'pool-accounts-refused')
  })

  it('a pool that has Microsoft sign-in already says so and offers no "Set up team access"', async () => {
    app = await startAppUnderTest({ sandbox: true, sandboxOptions: { seed: 'demo' } })
    const { page } = app
    await exploreSandboxAs(app, 'Ada Lovelace')
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
    await page.getByRole('button', { name: 'Save and continue' }).click()
    const card = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
    await card.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('heading', { name: /^team-pool/ }).waitFor()
    const section = page.getByRole('region', { name: 'Sign-in on the instances' })
    await section
      .getByText(
        'Already set up: members sign in with their Microsoft accounts over SSH, on every instance.',
      )
      .waitFor()
    // The demo pool was not made by the app's template: JupyterHub keeps its own sign-in, and why.
    await section.getByText(/not created with this app’s pool template/).waitFor()
    await expect(section.getByRole('button', { name: 'Set up team access' }).count()).resolves.toBe(
      0,
    )
    await section.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'team-access-set-up')
  })
})
