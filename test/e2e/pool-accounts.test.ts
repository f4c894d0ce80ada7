import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import { deployPool, poolSpec } from '../integration/pool-template/deploy'
import { SandboxUserCredential, type TestSandbox } from '../integration/sandbox/harness'
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
let sshDir: string | undefined
afterEach(async (context) => {
  await endTest(context.task, app)
  app = undefined
  if (sshDir) rmSync(sshDir, { recursive: true, force: true })
  sshDir = undefined
})

/** The app's own sandbox as the template tests use one (real SDK clients, seeded users). */
function sandboxOf(running: AppUnderTest): TestSandbox {
  const sandbox = running.sandbox()
  const credentials = new Map<string, SandboxUserCredential>()
  return {
    sandbox,
    credential(username = 'ada@contoso.example') {
      const known = credentials.get(username) ?? new SandboxUserCredential(sandbox, username)
      credentials.set(username, known)
      return known
    },
    msalClient: () => {
      throw new Error('not needed')
    },
    close: async () => undefined,
  }
}

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

  it('Grace makes her pool account on a pool made by the app, and her copied SSH command uses it', async () => {
    sshDir = mkdtempSync(join(tmpdir(), 'dsvm-ssh-'))
    app = await startAppUnderTest({
      sandbox: true,
      // The pool's deployment and first instance take sandbox minutes: run them fast.
      sandboxOptions: { timeScale: 60 },
      connect: { launcher: new RecordingLauncher(['xterm']), sshDir },
    })
    const { page } = app
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    // Ada made the pool with the app's template (Microsoft sign-in on its instances).
    const test = sandboxOf(app)
    await deployPool(
      test,
      poolSpec(test, {
        poolName: 'acct-lab',
        instanceCount: 1,
        autoscale: { enabled: false, minimum: 0, maximum: 2, default: 1, schedule: null },
      }),
    )

    // Grace is Contributor: she may not be given a role, but she may make her pool account.
    await exploreSandboxAs(app, 'Grace Hopper')
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
    await page.getByRole('button', { name: 'Save and continue' }).click()
    const card = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'acct-lab' })
    await card.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('heading', { name: /^acct-lab/ }).waitFor()

    // Members sign in with Microsoft accounts here: pool accounts are a closed fallback.
    const section = page.getByRole('region', { name: /^Pool accounts/ })
    await section.getByRole('heading', { name: 'Pool accounts (fallback)' }).waitFor()
    await expect(section.getByRole('button', { name: 'Make my account' }).count()).resolves.toBe(0)
    await section.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'pool-accounts-fallback')
    await section.getByRole('button', { name: 'Use pool accounts on this pool' }).click()
    await section.getByText('This pool has no pool accounts yet.').waitFor()

    // Nothing is sent while the name or the password is not right.
    const name = section.getByRole('textbox', { name: 'User name on the instances' })
    await name.fill('Grace H')
    await section.getByLabel('JupyterHub password').fill('short')
    await section.getByRole('button', { name: 'Make my account' }).click()
    await section
      .getByText('Use 1 to 32 lowercase letters, digits, - or _, starting with a letter.')
      .waitFor()
    await section.getByText('Use 12 or more characters.').waitFor()
    await name.fill('grace')
    await section.getByLabel('JupyterHub password').fill('grace hopper cobol 1959')
    await section.getByLabel('The same password again').fill('grace hopper cobol 1958')
    await section.getByRole('button', { name: 'Make my account' }).click()
    await section.getByText('The two passwords differ.').waitFor()
    await expect(section.getByRole('alert').count()).resolves.toBe(0)

    await section.getByLabel('The same password again').fill('grace hopper cobol 1959')
    await section.getByRole('button', { name: 'Make my account' }).click()
    const keyPath = join(sshDir, 'dsvm-acct-lab-grace')
    await section
      .getByRole('status')
      .getByText(`Your account grace is on the pool.`, { exact: false })
      .waitFor({ timeout: 120_000 })
    await section.getByRole('listitem', { name: 'grace' }).waitFor()
    await section.getByText(keyPath, { exact: false }).waitFor()
    await section.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'pool-accounts-made')

    // Her copied SSH command: her user and the key the app made for her.
    await page.getByRole('button', { name: 'Copy SSH command' }).click()
    await page
      .getByRole('status')
      .getByText(/^Copied: ssh /)
      .waitFor()
    const command = await page.evaluate(() => navigator.clipboard.readText())
    expect(command).toMatch(new RegExp(`^ssh -i ${keyPath} -p 5\\d{4} grace@acct-lab\\.`))
  })
})
