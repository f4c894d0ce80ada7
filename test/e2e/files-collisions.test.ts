import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { accountKeys, findAccountByName } from '../../sandbox/arm/storage/accounts'
import { shareServiceClient, sharedKey } from '../integration/sandbox/files/files-client'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import { endTest, screenshotBothThemes, startAppUnderTest, type AppUnderTest } from './harness'
import { signInWithSubscription } from './fixtures'

/*
 * Nobody's work is lost through the file browser: uploading two files whose names are taken
 * asks about each (Keep both for one, Replace for the other), a file a teammate changes while
 * the question is open is not replaced but asked about again, a download lands beside the
 * local file of the same name and can be shown in its folder, and deleting a folder says
 * what it holds first.
 */

let running: AppUnderTest | undefined
const folders: string[] = []
afterEach(async (context) => {
  const app = running
  running = undefined
  await endTest(context.task, app)
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('files: taken names', () => {
  it('asks about two colliding uploads: Keep both for one, Replace for the other', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'dsvm-collide-'))
    folders.push(scratch)
    const downloadsDir = join(scratch, 'Downloads')
    const launcher = new RecordingLauncher()
    running = await startAppUnderTest({
      sandbox: true,
      sandboxOptions: { seed: 'demo' },
      connect: { launcher, sshDir: join(scratch, '.ssh'), downloadsDir },
    })
    const app = running
    const { page } = app
    await signInWithSubscription(app, 'Ada Lovelace')
    const team = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
    await team.getByRole('button', { name: 'Open', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Files on the share' })
    await panel.getByRole('button', { name: 'Browse files' }).click()
    await panel.getByText('This folder is empty').waitFor()
    const files = panel.getByRole('list', { name: 'Files' })
    const transfers = panel.getByRole('list', { name: 'Transfers' })

    // Two notebooks on the share.
    const first = join(scratch, 'first')
    const second = join(scratch, 'second')
    mkdirSync(first)
    mkdirSync(second)
    for (const [dir, version] of [
      [first, 'v1'],
      [second, 'v2'],
    ] as const) {
      writeFileSync(join(dir, 'model.ipynb'), `model ${version}`)
      writeFileSync(join(dir, 'report.ipynb'), `report ${version}`)
    }
    const picker = panel.getByLabel('Files to upload')
    await picker.setInputFiles([join(first, 'model.ipynb'), join(first, 'report.ipynb')])
    await transfers.getByText('Upload of model.ipynb: done').waitFor()
    await transfers.getByText('Upload of report.ipynb: done').waitFor()
    await files.getByRole('listitem', { name: 'report.ipynb' }).waitFor()

    // The same two names again: nothing moves before the person chooses.
    await picker.setInputFiles([join(second, 'model.ipynb'), join(second, 'report.ipynb')])
    const question = panel.getByRole('alertdialog', { name: '“model.ipynb” is already here' })
    await question.waitFor()
    await expect(question.textContent()).resolves.toMatch(
      /Last changed .+ by ada@contoso\.example\. 8 B\./,
    )
    await question.getByText('Keep both saves yours as model (1).ipynb.').waitFor()
    await question
      .getByRole('checkbox', { name: 'Do the same for the other 1 file already here' })
      .waitFor()
    await screenshotBothThemes(page, 'files-upload-collision')
    await question.getByRole('button', { name: 'Keep both' }).click()

    const next = panel.getByRole('alertdialog', { name: '“report.ipynb” is already here' })
    await next.waitFor()
    // The last of the batch: nothing left to do the same for.
    await expect(next.getByRole('checkbox').count()).resolves.toBe(0)
    await next.getByRole('button', { name: 'Replace' }).click()

    await transfers.getByText('Upload of model (1).ipynb: done').waitFor()
    await files.getByRole('listitem', { name: 'model (1).ipynb' }).waitFor()
    await expect.poll(() => files.getByRole('listitem').allTextContents()).toHaveLength(3)
    await expect(panel.getByRole('alertdialog').count()).resolves.toBe(0)
    await screenshotBothThemes(page, 'files-after-collision')

    // What is on the share, read back through downloads. One lands beside a local file of
    // the same name, never over it.
    mkdirSync(downloadsDir, { recursive: true })
    writeFileSync(join(downloadsDir, 'report.ipynb'), 'my local notes')
    for (const name of ['model.ipynb', 'model (1).ipynb', 'report.ipynb'])
      await files.getByRole('button', { name: `Download ${name}` }).click()
    const saved = transfers.getByRole('listitem', { name: 'Download of report.ipynb' })
    await saved.getByText(/saved to .*report \(1\)\.ipynb$/).waitFor()
    await transfers.getByText(/^Download of model \(1\)\.ipynb: saved to /).waitFor()
    await transfers.getByText(/^Download of model\.ipynb: saved to /).waitFor()
    expect(readFileSync(join(downloadsDir, 'model.ipynb'), 'utf8')).toBe('model v1')
    expect(readFileSync(join(downloadsDir, 'model (1).ipynb'), 'utf8')).toBe('model v2')
    expect(readFileSync(join(downloadsDir, 'report (1).ipynb'), 'utf8')).toBe('report v2')
    expect(readFileSync(join(downloadsDir, 'report.ipynb'), 'utf8')).toBe('my local notes')
    await saved.getByRole('button', { name: 'Show in folder' }).click()
    await expect
      .poll(() => launcher.launched)
      .toEqual([{ command: 'xdg-open', args: [downloadsDir] }])
    await screenshotBothThemes(page, 'files-download-beside')

    // A teammate changes report.ipynb while the question is on screen: Replace does not
    // replace it, and the app asks again, saying it changed and when.
    const account = findAccountByName(app.sandbox().context, 'stteampoolfiles')!
    const teammate = shareServiceClient(
      app.sandbox(),
      'stteampoolfiles',
      sharedKey('stteampoolfiles', accountKeys(account)[0]!.value),
    )
      .getShareClient('notebooks')
      .getDirectoryClient('notebooks/ada')
      .getFileClient('report.ipynb')
    await picker.setInputFiles(join(second, 'report.ipynb'))
    const again = panel.getByRole('alertdialog', { name: '“report.ipynb” is already here' })
    await again.waitFor()
    await teammate.uploadData(Buffer.from('report by grace'))
    await again.getByRole('button', { name: 'Replace' }).click()
    const changed = panel.getByRole('alertdialog', { name: '“report.ipynb” changed on the share' })
    await changed.getByText('Someone changed it after you chose to replace it').waitFor()
    await expect(changed.textContent()).resolves.toMatch(
      /Last changed .+\. Azure Files does not record who changed it\. 15 B\./,
    )
    await screenshotBothThemes(page, 'files-changed-since')
    await changed.getByRole('button', { name: 'Keep both' }).click()
    await transfers.getByText('Upload of report (1).ipynb: done').waitFor()
    expect((await teammate.downloadToBuffer()).toString()).toBe('report by grace')

    // A new folder onto a taken name says so and keeps what was typed.
    await panel.getByRole('button', { name: 'New folder' }).click()
    await panel.getByLabel('Folder name').fill('report.ipynb')
    await panel.getByRole('button', { name: 'Create folder' }).click()
    await panel
      .getByRole('alert')
      .getByText('A file named “report.ipynb” is already in notebooks/ada. Choose another name.')
      .waitFor()
    await expect(panel.getByLabel('Folder name').inputValue()).resolves.toBe('report.ipynb')
    await panel.getByLabel('Folder name').fill('old')
    await panel.getByRole('button', { name: 'Create folder' }).click()
    await files.getByRole('listitem', { name: 'old' }).waitFor()

    // Rename onto a taken name says so too.
    await files.getByRole('button', { name: 'Rename model (1).ipynb' }).click()
    await panel.getByLabel('New name for model (1).ipynb').fill('MODEL.ipynb')
    await panel.getByRole('button', { name: 'Rename', exact: true }).click()
    await panel
      .getByRole('alert')
      .getByText('A file named “MODEL.ipynb” is already in notebooks/ada. Choose another name.')
      .waitFor()
    await panel.getByRole('button', { name: 'Cancel' }).click()

    // A folder says what it holds before it is deleted.
    await files.getByRole('button', { name: 'old/' }).click()
    await panel.getByText('This folder is empty').waitFor()
    await picker.setInputFiles([join(first, 'model.ipynb'), join(first, 'report.ipynb')])
    await transfers.getByText('Upload of report.ipynb: done').last().waitFor()
    await files.getByRole('listitem', { name: 'report.ipynb' }).waitFor()
    await panel.getByRole('button', { name: 'Up', exact: true }).click()
    await files.getByRole('button', { name: 'Delete old' }).click()
    await panel
      .getByText(
        'Delete the folder old and everything in it: 2 files (17 B)? Teammates lose them too.',
      )
      .waitFor()
    await screenshotBothThemes(page, 'files-delete-folder-count')
    await panel.getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(() => files.getByRole('listitem', { name: 'old' }).count()).toBe(0)
    expect(app.pageErrors).toEqual([])
  })
})
