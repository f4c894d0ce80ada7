import { createHash, randomBytes } from 'node:crypto'
import type { ShareClient } from '@azure/storage-file-share'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import { openShare } from '../../../electron/azure/files/share-client'
import {
  createFolder,
  ensureFolder,
  listFolder,
  remove,
  rename,
} from '../../../electron/azure/files/share-browser'
import { downloadInRanges, rangeSize, uploadInRanges } from '../../../electron/azure/files/transfer'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/*
 * The share browser's services against the sandbox's Azure Files endpoint with the real
 * @azure/storage-file-share: the key comes from listKeys through @azure/arm-storage, as in
 * the app.
 */

const MiB = 1024 * 1024
let test: TestSandbox
let share: ShareClient

beforeAll(async () => {
  test = await startTestSandbox({ seed: 'demo' })
  const { sandbox } = test
  share = await openShare(
    {
      cloud: sandboxCloud(sandbox),
      subscriptionId: sandbox.subscriptionId,
      tenantId: sandbox.tenantId,
      accountId: 'ada',
      credential: test.credential(),
      tlsCa: sandbox.caCert,
    },
    {
      subscriptionId: sandbox.subscriptionId,
      resourceGroup: 'rg-team-pool',
      account: 'stteampoolfiles',
      share: 'notebooks',
    },
    { maxTries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  )
})
afterAll(async () => {
  await test?.close()
})

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('the pool share over HTTPS', () => {
  it('creates the user’s notebooks folder on first use and lists it', async () => {
    expect(await ensureFolder(share, 'notebooks/ada')).toBe('notebooks/ada')
    // A second time is not an error.
    await ensureFolder(share, 'notebooks/ada')
    expect(await listFolder(share, 'notebooks')).toEqual([
      { name: 'ada', path: 'notebooks/ada', kind: 'folder' },
    ])
  })

  it('uploads and downloads 50 MiB in ranges through faults in the middle; the bytes match', async () => {
    const data = randomBytes(50 * MiB)
    const file = share.getDirectoryClient('notebooks/ada').getFileClient('big.bin')
    const progress: number[] = []
    const retries: number[] = []
    let injected = false
    await uploadInRanges(
      file,
      data.length,
      async (offset, count) => data.subarray(offset, offset + count),
      {
        retryDelayMs: 0,
        // At most 4 ranges in flight, each with 10 tries of the SDK's 3: the 20 answers
        // below outlast the SDK's retries of every range in flight, never the engine's.
        concurrency: { initial: 4, max: 4 },
        attempts: 10,
        onRetry: (attempt) => retries.push(attempt),
        onProgress: (bytes) => {
          progress.push(bytes)
          // Halfway: more 503s than the SDK retries, so a range must be tried again.
          if (!injected && bytes >= 20 * MiB) {
            injected = true
            test.sandbox.faults.serverErrors({
              status: 503,
              count: 20,
              service: 'files',
              method: 'PUT',
              pathIncludes: 'big.bin',
            })
          }
        },
      },
    )
    expect(injected).toBe(true)
    expect(retries.length).toBeGreaterThan(0)
    expect(progress.at(-1)).toBe(data.length)
    expect(progress.length).toBe(Math.ceil(data.length / rangeSize) + 1)

    const copy = Buffer.alloc(data.length)
    let resetInjected = false
    const downloadRetries: number[] = []
    const size = await downloadInRanges(
      file,
      async (offset, bytes) => {
        bytes.copy(copy, offset)
        if (!resetInjected && offset >= 24 * MiB) {
          resetInjected = true
          test.sandbox.faults.resetConnections({
            count: 20,
            service: 'files',
            method: 'GET',
            pathIncludes: 'big.bin',
          })
        }
      },
      {
        retryDelayMs: 0,
        concurrency: { initial: 4, max: 4 },
        onRetry: (attempt) => downloadRetries.push(attempt),
      },
    )
    expect(size).toBe(data.length)
    expect(resetInjected).toBe(true)
    expect(downloadRetries.length).toBeGreaterThan(0)
    expect(sha(copy)).toBe(sha(data))
  })

  it('stops a transfer when cancelled', async () => {
    const controller = new AbortController()
    const data = randomBytes(12 * MiB)
    const file = share.getDirectoryClient('notebooks/ada').getFileClient('cancelled.bin')
    await expect(
      uploadInRanges(file, data.length, async (o, c) => data.subarray(o, o + c), {
        signal: controller.signal,
        onProgress: (bytes) => {
          if (bytes >= rangeSize) controller.abort()
        },
      }),
    ).rejects.toMatchObject({ code: 'Cancelled' })
  })

  it('lists a folder of 5,000 files (every page), folders first', async () => {
    const folder = await createFolder(share, '', 'many')
    await createFolder(share, folder, 'zz-subfolder')
    const names = Array.from({ length: 5000 }, (_, i) => `cell-${i}.ipynb`)
    const dir = share.getDirectoryClient(folder)
    for (let i = 0; i < names.length; i += 50)
      await Promise.all(names.slice(i, i + 50).map((name) => dir.getFileClient(name).create(10)))
    const entries = await listFolder(share, folder)
    expect(entries.length).toBe(5001)
    expect(entries[0]).toEqual({ name: 'zz-subfolder', path: 'many/zz-subfolder', kind: 'folder' })
    expect(entries[1]!.name).toBe('cell-0.ipynb')
    expect(entries[2]!.name).toBe('cell-1.ipynb')
    expect(entries.at(-1)!.name).toBe('cell-4999.ipynb')
    expect(new Set(entries.map((e) => e.name)).size).toBe(5001)
  })

  it('renames, then deletes a file and a folder with what is in it', async () => {
    const folder = await createFolder(share, 'notebooks/ada', 'drafts')
    const file = share.getDirectoryClient(folder).getFileClient('a.ipynb')
    await file.create(2)
    await file.uploadRange(Buffer.from('{}'), 0, 2)
    expect(await rename(share, 'notebooks/ada/drafts/a.ipynb', 'file', 'b.ipynb')).toBe(
      'notebooks/ada/drafts/b.ipynb',
    )
    expect((await listFolder(share, folder)).map((e) => e.name)).toEqual(['b.ipynb'])
    expect(await rename(share, folder, 'folder', 'old-drafts')).toBe('notebooks/ada/old-drafts')
    await remove(share, 'notebooks/ada/old-drafts', 'folder')
    expect((await listFolder(share, 'notebooks/ada')).map((e) => e.name)).not.toContain(
      'old-drafts',
    )
    await expect(listFolder(share, 'notebooks/ada/old-drafts')).rejects.toMatchObject({
      code: 'NotFound',
    })
    await remove(share, 'many', 'folder')
    expect((await listFolder(share, '')).map((e) => e.name)).toEqual(['notebooks'])
  })

  it('refuses names Azure Files does not take before any request', async () => {
    await expect(createFolder(share, '', 'a/b')).rejects.toMatchObject({ code: 'Validation' })
    await expect(createFolder(share, '', '..')).rejects.toMatchObject({ code: 'Validation' })
    await expect(listFolder(share, 'notebooks/../x')).rejects.toMatchObject({ code: 'Validation' })
  })
})
