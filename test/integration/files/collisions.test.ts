import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ShareClient } from '@azure/storage-file-share'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import { FilesService, type TransferProgress } from '../../../electron/azure/files/files-service'
import { openShare } from '../../../electron/azure/files/share-client'
import { createFolder, listFolder, rename } from '../../../electron/azure/files/share-browser'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/*
 * Nobody's work is lost on the share: uploads onto a taken name ask (Replace, Keep both,
 * Skip), a file a teammate changed after the choice is not replaced, rename and new folder
 * onto a taken name say so, downloads land beside a local file of the same name, and a
 * folder says what it holds before it is deleted. The app's FilesService against the
 * sandbox's Files endpoint with the real @azure/storage-file-share; the "teammate" writes
 * through a client of their own.
 */

let test: TestSandbox
let teammate: ShareClient
let files: FilesService
let scratch: string
const progress: TransferProgress[] = []
const shown: string[] = []
const folder = 'notebooks/ada'
const ref = {
  subscriptionId: '',
  resourceGroup: 'rg-team-pool',
  account: 'stteampoolfiles',
}

beforeAll(async () => {
  test = await startTestSandbox({ seed: 'demo' })
  const { sandbox } = test
  ref.subscriptionId = sandbox.subscriptionId
  const context: ArmContext = {
    cloud: sandboxCloud(sandbox),
    subscriptionId: sandbox.subscriptionId,
    tenantId: sandbox.tenantId,
    accountId: 'ada',
    credential: test.credential(),
    tlsCa: sandbox.caCert,
  }
  teammate = await openShare(context, { ...ref, share: 'notebooks' })
  scratch = mkdtempSync(join(tmpdir(), 'dsvm-collisions-'))
  files = new FilesService({
    shareOf: async () => ref,
    context: async () => context,
    userName: async () => 'ada@contoso.example',
    downloadsDir: join(scratch, 'Downloads'),
    onProgress: (p) => progress.push(p),
    showInFolder: async (file) => void shown.push(file),
  })
  await files.open('team-pool')
})
afterAll(async () => {
  await test?.close()
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

/** Uploads `text` in one chunk; returns the last chunk's answer. */
async function upload(
  name: string,
  text: string,
  onExisting?: Parameters<FilesService['startUpload']>[3],
) {
  const data = Buffer.from(text)
  const { transferId } = await files.startUpload(
    'team-pool',
    `${folder}/${name}`,
    data.length,
    onExisting,
  )
  return { transferId, ...(await files.uploadChunk(transferId, 0, data)) }
}

async function contentOf(name: string): Promise<string> {
  return (
    await teammate.getDirectoryClient(folder).getFileClient(name).downloadToBuffer()
  ).toString()
}

async function teammateWrites(name: string, text: string): Promise<void> {
  // Later than anything before it on the sandbox's clock, whatever the machine's speed.
  test.sandbox.clock.advance(60_000)
  const file = teammate.getDirectoryClient(folder).getFileClient(name)
  await file.create(text.length)
  await file.uploadRange(Buffer.from(text), 0, text.length)
}

const names = async () => (await listFolder(teammate, folder)).map((e) => e.name)

describe('uploading onto a name that is taken', () => {
  it('asks first, saying when it changed and who wrote it (when this app did)', async () => {
    expect(await upload('analysis.ipynb', 'ada v1')).toMatchObject({
      done: true,
      path: `${folder}/analysis.ipynb`,
    })
    await expect(upload('analysis.ipynb', 'ada v2')).rejects.toMatchObject({
      code: 'Conflict',
      message: '“analysis.ipynb” is already in notebooks/ada.',
      details: {
        existing: {
          name: 'analysis.ipynb',
          kind: 'file',
          size: 6,
          changedBy: 'ada@contoso.example',
          keepBothName: 'analysis (1).ipynb',
        },
      },
    })
    expect(await contentOf('analysis.ipynb')).toBe('ada v1')

    // A teammate's change through another route (SMB, Jupyter): when, and no name any more.
    await teammateWrites('analysis.ipynb', 'grace')
    const [existing] = await files.existing('team-pool', folder, ['analysis.ipynb', 'new.ipynb'])
    expect(existing).toMatchObject({ name: 'analysis.ipynb', size: 5 })
    expect(existing!.changedBy).toBeUndefined()
    const props = await teammate
      .getDirectoryClient(folder)
      .getFileClient('analysis.ipynb')
      .getProperties()
    expect(existing!.lastChanged).toBe(props.fileLastWriteOn!.toISOString())
    expect(existing!.etag).toBe(props.etag)
  })

  it('Keep both saves "name (1).ext", then "name (2).ext"; the original stays', async () => {
    expect(await upload('analysis.ipynb', 'copy one', 'keepBoth')).toMatchObject({
      done: true,
      path: `${folder}/analysis (1).ipynb`,
    })
    expect(await upload('analysis.ipynb', 'copy two', 'keepBoth')).toMatchObject({
      path: `${folder}/analysis (2).ipynb`,
    })
    expect(await contentOf('analysis.ipynb')).toBe('grace')
    expect(await contentOf('analysis (1).ipynb')).toBe('copy one')
    expect(await contentOf('analysis (2).ipynb')).toBe('copy two')
    expect(await names()).toEqual(['analysis (1).ipynb', 'analysis (2).ipynb', 'analysis.ipynb'])
  })

  it('Replace replaces the file the person saw, and marks who wrote it', async () => {
    const [seen] = await files.existing('team-pool', folder, ['analysis.ipynb'])
    expect(await upload('analysis.ipynb', 'ada v3', { replace: seen!.etag })).toMatchObject({
      done: true,
      path: `${folder}/analysis.ipynb`,
    })
    expect(await contentOf('analysis.ipynb')).toBe('ada v3')
    const [now] = await files.existing('team-pool', folder, ['analysis.ipynb'])
    expect(now!.changedBy).toBe('ada@contoso.example')
    // No hidden upload file is left behind.
    expect((await names()).filter((n) => n.startsWith('.'))).toEqual([])
  })

  it('Skip leaves the share as it was', async () => {
    await expect(upload('analysis.ipynb', 'skipped')).rejects.toMatchObject({ code: 'Conflict' })
    expect(await contentOf('analysis.ipynb')).toBe('ada v3')
  })

  it('a file changed after the choice to replace it is not replaced: the upload waits for a new choice', async () => {
    const [seen] = await files.existing('team-pool', folder, ['analysis.ipynb'])
    // Changed before the first byte: refused at the start.
    await teammateWrites('analysis.ipynb', 'grace again')
    await expect(upload('analysis.ipynb', 'ada v4', { replace: seen!.etag })).rejects.toMatchObject(
      {
        code: 'Conflict',
        message: '“analysis.ipynb” changed on the share since you chose to replace it.',
        details: { changed: true, existing: { size: 11 } },
      },
    )

    // Changed while the bytes were on their way: the last chunk answers with the conflict,
    // the file is untouched and the bytes wait, hidden, for the person's choice.
    const [fresh] = await files.existing('team-pool', folder, ['analysis.ipynb'])
    const data = Buffer.from('ada v5 is longer')
    const { transferId } = await files.startUpload(
      'team-pool',
      `${folder}/analysis.ipynb`,
      data.length,
      {
        replace: fresh!.etag,
      },
    )
    await files.uploadChunk(transferId, 0, data.subarray(0, 4))
    await teammateWrites('analysis.ipynb', 'grace meanwhile')
    const last = await files.uploadChunk(transferId, 4, data.subarray(4))
    expect(last).toMatchObject({ done: false, changed: true, conflict: { size: 15 } })
    expect(await contentOf('analysis.ipynb')).toBe('grace meanwhile')
    expect(progress.filter((p) => p.transferId === transferId).at(-1)).toMatchObject({
      state: 'running',
      message: 'Waiting for your choice',
    })

    // Keep both now: both versions are there.
    expect(await files.resolveUpload(transferId, 'keepBoth')).toEqual({
      path: `${folder}/analysis (3).ipynb`,
    })
    expect(await contentOf('analysis (3).ipynb')).toBe('ada v5 is longer')
    expect(await contentOf('analysis.ipynb')).toBe('grace meanwhile')
    expect((await names()).filter((n) => n.startsWith('.'))).toEqual([])
  })

  it('a name a teammate takes while the bytes are on their way is not overwritten; Skip drops the upload', async () => {
    const data = Buffer.from('mine')
    const { transferId } = await files.startUpload('team-pool', `${folder}/report.md`, data.length)
    await teammateWrites('report.md', 'theirs')
    expect(await files.uploadChunk(transferId, 0, data)).toMatchObject({
      done: false,
      changed: false,
      conflict: { name: 'report.md', size: 6 },
    })
    expect(await files.resolveUpload(transferId, 'skip')).toEqual({})
    expect(await contentOf('report.md')).toBe('theirs')
    expect((await names()).filter((n) => n.startsWith('.'))).toEqual([])
    await expect(files.resolveUpload(transferId, 'keepBoth')).rejects.toMatchObject({
      code: 'NotFound',
    })
  })

  it('a cancelled replace leaves the existing file whole', async () => {
    const [seen] = await files.existing('team-pool', folder, ['report.md'])
    const data = Buffer.alloc(1024 * 1024, 1)
    const { transferId } = await files.startUpload(
      'team-pool',
      `${folder}/report.md`,
      data.length,
      {
        replace: seen!.etag,
      },
    )
    await files.uploadChunk(transferId, 0, data.subarray(0, 512 * 1024))
    files.cancel(transferId)
    await expect.poll(async () => (await names()).filter((n) => n.startsWith('.'))).toEqual([])
    expect(await contentOf('report.md')).toBe('theirs')
  })

  it('a Cancel that comes while the file is put in place leaves it done, never "cancelled"', async () => {
    const data = Buffer.from('late')
    const target = `${folder}/late.md`
    const { transferId } = await files.startUpload('team-pool', target, data.length)
    // Putting the file in place (requests on its own name, not the hidden one) waits until
    // the faults are cleared, so Cancel surely comes while it is under way.
    test.sandbox.faults.latency({
      ms: 600_000,
      service: 'files',
      method: 'PUT',
      pathIncludes: target,
    })
    let puttingInPlace = false
    const stopWatching = test.sandbox.requests.listen((seen) => {
      if (seen.method === 'PUT' && seen.path.includes(target)) puttingInPlace = true
    })
    const last = files.uploadChunk(transferId, 0, data)
    await expect.poll(() => puttingInPlace).toBe(true)
    stopWatching()
    expect(files.cancel(transferId)).toEqual({ cancelled: false })
    test.sandbox.faults.clear()
    await expect(last).resolves.toMatchObject({ done: true, path: target })
    const states = progress.filter((p) => p.transferId === transferId).map((p) => p.state)
    expect(states).not.toContain('cancelled')
    expect(states.at(-1)).toBe('done')
    expect(await contentOf('late.md')).toBe('late')
  })

  it('a folder of that name can only be kept beside', async () => {
    await createFolder(teammate, folder, 'results')
    await expect(upload('results', 'x', { replace: 'whatever' })).rejects.toMatchObject({
      code: 'Conflict',
      message: 'A folder named “results” is already in notebooks/ada.',
      details: { existing: { kind: 'folder', keepBothName: 'results (1)' } },
    })
    expect(await upload('results', 'x', 'keepBoth')).toMatchObject({
      path: `${folder}/results (1)`,
    })
  })
})

describe('rename and new folder onto a taken name', () => {
  it('say what is there instead of failing or overwriting', async () => {
    await expect(
      rename(teammate, `${folder}/report.md`, 'file', 'analysis.ipynb'),
    ).rejects.toMatchObject({
      code: 'Conflict',
      message: 'A file named “analysis.ipynb” is already in notebooks/ada. Choose another name.',
    })
    await expect(rename(teammate, `${folder}/report.md`, 'file', 'results')).rejects.toMatchObject({
      message: 'A folder named “results” is already in notebooks/ada. Choose another name.',
    })
    expect(await contentOf('report.md')).toBe('theirs')
    expect(await contentOf('analysis.ipynb')).toBe('grace meanwhile')
    await expect(files.createFolder('team-pool', folder, 'results')).rejects.toMatchObject({
      code: 'Conflict',
      message: 'A folder named “results” is already in notebooks/ada. Choose another name.',
    })
    await expect(files.createFolder('team-pool', folder, 'report.md')).rejects.toMatchObject({
      code: 'Conflict',
      message: 'A file named “report.md” is already in notebooks/ada. Choose another name.',
    })
    // A change of case only is the same entry: allowed.
    expect(await files.rename('team-pool', `${folder}/report.md`, 'file', 'Report.md')).toBe(
      `${folder}/Report.md`,
    )
  })
})

describe('deleting a folder', () => {
  it('says how many files and folders it holds first', async () => {
    const drafts = await createFolder(teammate, folder, 'drafts')
    const deeper = await createFolder(teammate, drafts, 'old')
    for (const [dir, name, size] of [
      [drafts, 'a.ipynb', 10],
      [drafts, 'b.ipynb', 20],
      [deeper, 'c.ipynb', 30],
    ] as const)
      await teammate.getDirectoryClient(dir).getFileClient(name).create(size)
    expect(await files.folderSummary('team-pool', drafts)).toEqual({
      files: 3,
      folders: 1,
      bytes: 60,
      complete: true,
    })
  })
})

describe('downloads', () => {
  it('never overwrite a local file: "name (1).ext", and can be shown in their folder', async () => {
    const downloads = join(scratch, 'Downloads')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(downloads, { recursive: true })
    writeFileSync(join(downloads, 'analysis.ipynb'), 'my local edits')

    const finished = async (transferId: string) => {
      await expect
        .poll(
          () => progress.find((p) => p.transferId === transferId && p.state !== 'running')?.state,
        )
        .toBe('done')
      return progress.find((p) => p.transferId === transferId && p.state === 'done')!.savedTo!
    }
    // Two at once of the same name: each gets its own.
    const [first, second] = await Promise.all([
      files.startDownload('team-pool', `${folder}/analysis.ipynb`),
      files.startDownload('team-pool', `${folder}/analysis.ipynb`),
    ])
    const saved = [await finished(first.transferId), await finished(second.transferId)].sort()
    expect(saved).toEqual([
      join(downloads, 'analysis (1).ipynb'),
      join(downloads, 'analysis (2).ipynb'),
    ])
    expect(readFileSync(join(downloads, 'analysis.ipynb'), 'utf8')).toBe('my local edits')
    for (const file of saved) expect(readFileSync(file, 'utf8')).toBe('grace meanwhile')
    expect(readdirSync(downloads).sort()).toEqual([
      'analysis (1).ipynb',
      'analysis (2).ipynb',
      'analysis.ipynb',
    ])

    expect(await files.showDownload(first.transferId)).toEqual({ shown: true })
    expect(shown).toEqual([
      progress.find((p) => p.transferId === first.transferId && p.savedTo)!.savedTo,
    ])
    // Only this session's finished downloads can be shown.
    expect(await files.showDownload('5b0c7c1e-0000-4000-8000-000000000000')).toEqual({
      shown: false,
    })
  })
})
