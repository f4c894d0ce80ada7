import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import {
  endTest,
  exploreSandboxAs,
  screenshotBothThemes,
  startAppUnderTest,
  type AppUnderTest,
} from './harness'

/*
 * A team on one pool, as three people on three computers see it: Ada (the pool's Manager)
 * adds Grace as User; Grace, in her own app on the same "Azure", opens the pool, is told why
 * she cannot change members, and copies her SSH command; Alan, who can see the pool but is
 * not a member, asks to join with the message the app writes for him.
 */

const apps: AppUnderTest[] = []
const dirs: string[] = []
afterEach(async (context) => {
  // Teammates' apps first: the first app owns the sandbox they share.
  for (const app of apps.splice(1).reverse()) await app.close()
  await endTest(context.task, apps.pop())
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function openTeamPool(app: AppUnderTest, who: string): Promise<Page> {
  const { page } = app
  await exploreSandboxAs(app, who)
  await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
  await page.getByRole('button', { name: 'Save and continue' }).click()
  const card = page.getByRole('list', { name: 'Pools' }).getByRole('article', { name: 'team-pool' })
  await card.getByRole('button', { name: 'Open', exact: true }).click()
  await page.getByRole('heading', { name: /^team-pool/ }).waitFor()
  return page
}

const teammate = async (first: AppUnderTest) => {
  const sshDir = mkdtempSync(join(tmpdir(), 'dsvm-ssh-'))
  dirs.push(sshDir)
  const app = await startAppUnderTest({
    sandbox: true,
    sharedSandbox: first.sandbox(),
    connect: { launcher: new RecordingLauncher(['xterm']), sshDir },
  })
  apps.push(app)
  return app
}

describe('team access', () => {
  it('Ada adds Grace; Grace opens the pool and copies her SSH command; Alan asks to join', async () => {
    const ada = await startAppUnderTest({ sandbox: true, sandboxOptions: { seed: 'demo' } })
    apps.push(ada)
    const page = await openTeamPool(ada, 'Ada Lovelace')
    const team = page.getByRole('region', { name: 'Team' })
    const members = team.getByRole('list', { name: 'Members' })
    await members.getByRole('listitem', { name: 'Ada Lovelace' }).waitFor()
    await expect(
      members.getByRole('combobox', { name: 'Role of Ada Lovelace' }).inputValue(),
    ).resolves.toBe('Manager')
    // Ada is the only Manager: she is not offered Remove, and is told why.
    const adaRow = members.getByRole('listitem', { name: 'Ada Lovelace' })
    await adaRow.getByText(/A pool needs at least one Manager/).waitFor()
    await expect(adaRow.getByRole('button', { name: /^Remove/ }).count()).resolves.toBe(0)

    await team.getByRole('textbox', { name: 'Name or email' }).fill('grace')
    await team.getByRole('button', { name: 'Search' }).click()
    await team
      .getByRole('list', { name: 'Search results' })
      .getByText('grace@contoso.example')
      .waitFor()
    await team.getByRole('button', { name: 'Add Grace Hopper as User' }).click()
    await team.getByRole('status').getByText('Grace Hopper was added as User.').waitFor()
    await expect(
      members.getByRole('combobox', { name: 'Role of Grace Hopper' }).inputValue(),
    ).resolves.toBe('User')
    await team.scrollIntoViewIfNeeded()
    await screenshotBothThemes(page, 'team-manager')

    // Grace, on her own computer: a User who is told what she lacks, and connects.
    const grace = await teammate(ada)
    await grace.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const gracePage = await openTeamPool(grace, 'Grace Hopper')
    const graceTeam = gracePage.getByRole('region', { name: 'Team' })
    await graceTeam
      .getByRole('note')
      .getByText(
        'You are Contributor on this subscription: adding members needs Owner or User Access Administrator on the subscription, or Manager of this pool. Ask Ada Lovelace (ada@contoso.example) to add members, or to make you a Manager of this pool.',
      )
      .waitFor()
    await graceTeam
      .getByRole('listitem', { name: 'Grace Hopper' })
      .getByText('User', { exact: true })
      .waitFor()
    await expect(graceTeam.getByRole('textbox', { name: 'Name or email' }).count()).resolves.toBe(0)
    await gracePage.getByRole('button', { name: 'Copy SSH command' }).click()
    await gracePage
      .getByRole('status')
      .getByText(/^Copied: ssh /)
      .waitFor()
    // As herself: her sign-in name, the app's key and her Entra certificate.
    await expect(gracePage.evaluate(() => navigator.clipboard.readText())).resolves.toMatch(
      /^ssh -i \S+\/dsvm-pool-manager-entra -o CertificateFile=\S+\/dsvm-pool-manager-entra-\w+-cert\.pub -p \d+ grace@contoso\.example@team-pool-contoso\./,
    )
    await graceTeam.scrollIntoViewIfNeeded()
    await screenshotBothThemes(gracePage, 'team-user')
    await apps.pop()!.close()

    // Alan can see the pool (Reader on the subscription) but is not a member.
    const alan = await teammate(ada)
    await alan.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const alanPage = await openTeamPool(alan, 'Alan Turing')
    const alanTeam = alanPage.getByRole('region', { name: 'Team' })
    await alanTeam.getByRole('heading', { name: 'You are not a member of this pool' }).waitFor()
    await alanTeam.getByRole('button', { name: 'Ask to join' }).click()
    const message = alanTeam.getByRole('textbox', { name: 'Message to send' })
    await message.waitFor()
    const text = await message.inputValue()
    expect(text).toContain('Could you add me to the Data Science VM pool "team-pool"')
    expect(text).toContain('search for alan@contoso.example and choose User')
    await alanTeam.getByText('Send this to Ada Lovelace (ada@contoso.example):').waitFor()
    await alanTeam.getByRole('button', { name: 'Copy message' }).click()
    await expect(alanPage.evaluate(() => navigator.clipboard.readText())).resolves.toBe(text)
    await alanTeam.scrollIntoViewIfNeeded()
    await screenshotBothThemes(alanPage, 'team-ask-to-join')
  })
})
