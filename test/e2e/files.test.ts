import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import { endTest, screenshotBothThemes, startAppUnderTest, type AppUnderTest } from './harness'
import { signInWithSubscription } from './fixtures'

/*
 * The team's share in the app: the user's folder made on first use, upload with progress,
 * download to the Downloads folder, new folder, rename and delete with confirmation; and the
 * JupyterHub and SSH buttons reaching the link opener and the launcher (fakes record them).
 */

let running: AppUnderTest | undefined
const folders: string[] = []
afterEach(async (context) => {
  const app = running
  running = undefined
  await endTest(context.task, app)
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('files on the pool share', () => {
  it('browses, uploads and downloads a notebook, makes, renames and deletes a folder', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'dsvm-files-'))
    folders.push(scratch)
    const downloadsDir = join(scratch, 'Downloads')
    const launcher = new RecordingLauncher(['gnome-terminal'])
    running = await startAppUnderTest({
      sandbox: true,
      sandboxOptions: { seed: 'demo' },
      pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
      connect: { launcher, sshDir: join(scratch, '.ssh'), downloadsDir },
    })
    const app = running
    const { page } = app
    await signInWithSubscription(app, 'Ada Lovelace')
    const team = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
    await team.getByText('3 of 3 running').waitFor()

    // JupyterHub: the link opener gets the pool's address on port 8000.
    const opened = app.systemBrowser.next()
    await team.getByRole('button', { name: 'JupyterHub', exact: true }).click()
    await page.getByRole('button', { name: 'Continue to JupyterHub' }).click()
    await expect(opened).resolves.toMatch(/^https:\/\/team-pool-contoso\.[\w.-]+:8000\/$/)

    await team.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('heading', { name: /^team-pool/ }).waitFor()

    // SSH: the launcher gets the terminal with ssh, the member's Entra key and certificate,
    // her sign-in name, the port and the host.
    await page.getByRole('button', { name: 'SSH', exact: true }).click()
    await expect.poll(() => launcher.launched.length).toBe(1)
    expect(launcher.launched[0]!.command).toBe('gnome-terminal')
    expect(launcher.launched[0]!.args.join(' ')).toMatch(
      /^--title team-pool -- ssh -i \S+\/dsvm-pool-manager-entra -o CertificateFile=\S+-cert\.pub -p 500\d\d ada@contoso\.example@team-pool-contoso\.[\w.-]+$/,
    )

    // The share opens at the user's own folder, created now.
    const panel = page.getByRole('region', { name: 'Files on the share' })
    await panel.getByRole('button', { name: 'Browse files' }).click()
    const crumbs = panel.getByRole('navigation', { name: 'Folder path' })
    await crumbs.getByRole('button', { name: 'ada' }).waitFor()
    await expect(crumbs.textContent()).resolves.toBe('Share / notebooks / ada')
    await panel.getByText('This folder is empty').waitFor()

    // Upload a notebook with the picker; progress reaches done and the file is listed.
    const notebook = join(scratch, 'analysis.ipynb')
    const content = JSON.stringify({
      cells: [{ cell_type: 'code', source: 'print(1)' }],
      x: 'y'.repeat(1_500_000),
    })
    writeFileSync(notebook, content)
    await panel.getByLabel('Files to upload').setInputFiles(notebook)
    const transfers = panel.getByRole('list', { name: 'Transfers' })
    await transfers.getByText('Upload of analysis.ipynb: done').waitFor()
    const files = panel.getByRole('list', { name: 'Files' })
    await files.getByRole('listitem', { name: 'analysis.ipynb' }).waitFor()
    await files.getByRole('listitem', { name: 'analysis.ipynb' }).getByText('1.4 MiB').waitFor()
    await screenshotBothThemes(page, 'files-uploaded')

    // Download it: saved in the Downloads folder with the same bytes.
    await files.getByRole('button', { name: 'Download analysis.ipynb' }).click()
    await transfers.getByText(/^Download of analysis\.ipynb: saved to /).waitFor()
    expect(readFileSync(join(downloadsDir, 'analysis.ipynb'), 'utf8')).toBe(content)

    // New folder, rename it, then delete it after the confirmation.
    await panel.getByRole('button', { name: 'New folder' }).click()
    await panel.getByLabel('Folder name').fill('drafts')
    await panel.getByRole('button', { name: 'Create folder' }).click()
    await files.getByRole('listitem', { name: 'drafts' }).waitFor()
    await files.getByRole('button', { name: 'Rename drafts' }).click()
    await panel.getByLabel('New name for drafts').fill('old-drafts')
    await panel.getByRole('button', { name: 'Rename', exact: true }).click()
    await files.getByRole('listitem', { name: 'old-drafts' }).waitFor()
    await files.getByRole('button', { name: 'Delete old-drafts' }).click()
    await panel.getByText('Delete the empty folder old-drafts?').waitFor()
    await screenshotBothThemes(page, 'files-delete-confirm')
    await panel.getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(() => files.getByRole('listitem', { name: 'old-drafts' }).count()).toBe(0)

    // Drag and drop a big file: progress shows while it goes, and Cancel stops it and removes
    // the partial file. The file's creation and its first four ranges go through; every later
    // range waits until the faults are cleared, so the upload (64 MiB, 16 ranges) is under way
    // and surely not finished when Cancel is pressed, however fast or loaded the machine.
    const bigFilePuts = { service: 'files', method: 'PUT', pathIncludes: 'big.bin' } as const
    app.sandbox().faults.latency({ ms: 0, count: 5, ...bigFilePuts })
    app.sandbox().faults.latency({ ms: 3_600_000, ...bigFilePuts })
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([new Uint8Array(64 * 1024 * 1024)], 'big.bin'))
      return transfer
    })
    await files.dispatchEvent('drop', { dataTransfer })
    const big = transfers.getByRole('listitem', { name: 'Upload of big.bin' })
    await big.getByText(/^Upload of big\.bin: ([1-9]|[1-9]\d)%$/).waitFor()
    await screenshotBothThemes(page, 'files-upload-progress')
    await big.getByRole('button', { name: 'Cancel' }).click()
    await big.getByText('Upload of big.bin: cancelled').waitFor()
    app.sandbox().faults.clear()
    await panel.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => files.getByRole('listitem', { name: 'big.bin' }).count()).toBe(0)
    await expect(panel.getByRole('alert').count()).resolves.toBe(0)

    // Mount: SMB (445) is not offered here, and the app says so plainly.
    await panel.getByRole('button', { name: 'Mount on this computer' }).click()
    await panel
      .getByText(/^SMB \(port 445\) to 127\.0\.0\.1 is blocked from this computer\./)
      .waitFor()
    await screenshotBothThemes(page, 'files-mount-blocked')

    // Up to the share's root: the notebooks folder.
    await crumbs.getByRole('button', { name: 'Share', exact: true }).click()
    await files.getByRole('listitem', { name: 'notebooks' }).waitFor()
    await screenshotBothThemes(page, 'files-root')
  })
})
