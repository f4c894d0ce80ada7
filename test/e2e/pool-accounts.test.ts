import { afterEach, describe, expect, it } from 'vitest'
import {
  endTest,
  exploreSandboxAs,
  screenshotBothThemes,
  startAppUnderTest,
  type AppUnderTest,
} from './harness'

/*
 * Pool accounts on a pool's page, as Ada sees them: the plain reason, at once, when the pool
 * cannot take pool accounts (the demo pools were not made by the app's template, so their
 * scale sets have no extension to carry the accounts). The full path (model, instances, SSH
 * with the member's account) is covered against the sandbox in
 * test/integration/team/pool-accounts.test.ts and pool-account-ssh.test.ts.
 */

let app: AppUnderTest | undefined
afterEach(async (context) => {
  await endTest(context.task, app)
  app = undefined
})

describe('pool accounts', () => {
  it('says at once why a demo pool cannot take pool accounts, and what to do instead', async () => {
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
    const why = section.getByRole('note', { name: 'Why this pool has no pool accounts' })
    await why
      .getByText(/^The pool 'team-pool' was not created with this app's pool template/)
      .waitFor()
    await why
      .getByText(
        'Its members sign in with their Microsoft accounts instead: add them under Team. For pool accounts, create a new pool with this app (Create pool), which makes pools that take them.',
      )
      .waitFor()
    // No form to fill in for nothing, no alarm, and not the general "Correct the value".
    await expect(section.getByRole('button', { name: 'Make my account' }).count()).resolves.toBe(0)
    await expect(section.getByRole('alert').count()).resolves.toBe(0)
    await expect(section.getByText('Correct the value and try again.').count()).resolves.toBe(0)
    await section.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'pool-accounts-refused')
  })

  it('"Set up team access" on a pool that has Microsoft sign-in already says so and changes nothing', async () => {
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
    await section.getByRole('button', { name: 'Set up team access' }).click()
    await section
      .getByRole('status')
      .getByText('Already set up: members sign in with their Microsoft accounts over SSH.')
      .waitFor()
    await section.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'team-access-set-up')
  })
})
