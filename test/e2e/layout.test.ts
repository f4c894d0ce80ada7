import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ed25519KeyPair } from '../../electron/azure/ssh-keys'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import { screenshotBothThemes } from './harness'
import { appPerTest, signInWithSubscription } from './fixtures'

/*
 * The screens a newcomer meets, at the two widths of a laptop window (1280 and 1024): one
 * scrollbar on a long page, row actions that stay in their row, confirmations next to the
 * button that asked, the JupyterHub note beside (not over) the SSH buttons.
 */

const apps = appPerTest()

const box = async (locator: Locator) => {
  const found = await locator.boundingBox()
  if (!found) throw new Error('not visible')
  return found
}

/** Only the content pane scrolls: the page itself never does (one scrollbar). */
async function expectNoPageScroll(page: Page) {
  const sizes = await page.evaluate(() => {
    const pane = document.querySelector('.content')!
    pane.scrollTop = pane.scrollHeight
    return {
      page: document.scrollingElement!.scrollHeight,
      window: window.innerHeight,
      bodyScroll: document.scrollingElement!.scrollTop,
    }
  })
  expect(sizes.page).toBeLessThanOrEqual(sizes.window)
  expect(sizes.bodyScroll).toBe(0)
}

describe.each([1280, 1024])('layout at %i pixels wide', (width) => {
  it('keeps pool and wizard screens in one pane, row actions in their rows and confirmations by their buttons', async () => {
    const running = await apps.start({
      sandbox: true,
      sandboxOptions: { seed: 'demo' },
      pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
      connect: { launcher: new RecordingLauncher(['xterm']) },
    })
    const app = running
    const { page } = app
    await page.setViewportSize({ width, height: 800 })
    await signInWithSubscription(app, 'Ada Lovelace')
    const team = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
    await team.getByText('3 of 3 running').waitFor()
    await team.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('heading', { name: /^team-pool/ }).waitFor()

    // Every row's actions fit in the row: the SSH button and the menu of the others.
    const rows = page.getByRole('rowgroup', { name: 'Instance rows' }).getByRole('row')
    await expect.poll(() => rows.count()).toBe(3)
    await page.getByText('3 instances', { exact: true }).waitFor()
    for (let i = 0; i < 3; i++) {
      const row = await box(rows.nth(i))
      const menu = await box(rows.nth(i).getByRole('button', { name: /^Actions for / }))
      expect(menu.x + menu.width).toBeLessThanOrEqual(row.x + row.width)
    }
    const first = rows.nth(0)
    await first.getByRole('button', { name: /^Actions for / }).click()
    const menu = page.getByRole('menu', { name: /^Actions for / })
    for (const item of ['Restart', 'Protect', 'Delete'])
      await menu.getByRole('menuitem', { name: item }).waitFor()
    await screenshotBothThemes(page, `layout-${width}-row-menu`)
    await menu.getByRole('menuitem', { name: 'Delete' }).click()
    const deleting = page.getByRole('alertdialog', { name: /^Delete team-pool_/ })
    await deleting.waitFor()
    await deleting.getByRole('button', { name: 'Cancel' }).click()

    // The scale confirmation opens next to the Scale button, not at the top of the page.
    await page.getByLabel('Scale to', { exact: true }).fill('2')
    const scale = page.getByRole('button', { name: 'Scale', exact: true })
    await scale.click()
    const confirm = page.getByRole('alertdialog', { name: 'Scale team-pool to 2?' })
    await confirm.waitFor()
    const [button, panel] = [await box(scale), await box(confirm)]
    expect(panel.y).toBeGreaterThan(button.y)
    expect(panel.y - (button.y + button.height)).toBeLessThan(120)
    await screenshotBothThemes(page, `layout-${width}-scale-confirm`)
    await confirm.getByRole('button', { name: 'Cancel' }).click()

    // The JupyterHub note does not cover the SSH buttons.
    await page.locator('.content').evaluate((pane) => (pane.scrollTop = 0))
    await page.getByRole('button', { name: 'Open JupyterHub' }).click()
    const note = page.getByRole('dialog', { name: 'Before JupyterHub opens' })
    await note.waitFor()
    const [noteBox, sshBox] = [
      await box(note),
      await box(page.getByRole('button', { name: 'SSH', exact: true })),
    ]
    const overlaps =
      noteBox.x < sshBox.x + sshBox.width &&
      sshBox.x < noteBox.x + noteBox.width &&
      noteBox.y < sshBox.y + sshBox.height &&
      sshBox.y < noteBox.y + noteBox.height
    expect(overlaps).toBe(false)
    await screenshotBothThemes(page, `layout-${width}-jupyterhub-note`)
    await note.getByRole('button', { name: 'Cancel' }).click()
    await expectNoPageScroll(page)

    // The wizard's Review page: long, and still one scrollbar.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Create pool' })
      .click()
    await page.getByLabel('Pool name').fill(`wide-${width}`)
    for (const step of ['Machines', 'Scaling', 'Access'])
      await page.getByRole('button', { name: `Next: ${step}` }).click()
    await page.getByLabel('Public key file').setInputFiles({
      name: 'id_ed25519.pub',
      mimeType: 'text/plain',
      buffer: Buffer.from(`${ed25519KeyPair('ada@laptop').publicKey}\n`),
    })
    await page.getByRole('button', { name: 'Use my current address' }).click()
    await page.getByRole('button', { name: 'Look up my address' }).click()
    await page.getByText('203.0.113.57/32').waitFor()
    await page.getByRole('button', { name: 'Next: Storage' }).click()
    await page.getByRole('button', { name: 'Next: Review' }).click()
    await page.getByRole('list', { name: 'Pre-flight results' }).getByText('Quota: ok').waitFor()
    await page.getByText('Parameter file (dsvm-pool.parameters.json)').click()
    await expectNoPageScroll(page)
    await screenshotBothThemes(page, `layout-${width}-review-bottom`)
  })
})
