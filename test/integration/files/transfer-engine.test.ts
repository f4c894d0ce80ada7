import { createHash, randomBytes } from 'node:crypto'
import type { ShareClient } from '@azure/storage-file-share'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import { ChunkedUpload } from '../../../electron/azure/files/chunked-upload'
import { openShare } from '../../../electron/azure/files/share-client'
import {
  downloadInRanges,
  RangeJournal,
  rangeSize,
  uploadInRanges,
} from '../../../electron/azure/files/transfer'
import type { SeenRequest } from '../../../sandbox/core/request-tap'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'

/*
 * The transfer engine against the sandbox's Azure Files with the real SDK: ranges in
 * parallel, connections dropped by the sandbox in the middle of a transfer, and a transfer
 * resumed from its journal. What was sent is counted at the sandbox, range by range.
 */

const MiB = 1024 * 1024
let test: TestSandbox
let share: ShareClient
let stopWatching: (() => void) | undefined

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
    // One SDK try per request: every dropped connection reaches the engine.
    { maxTries: 1 },
  )
  await share.getDirectoryClient('notebooks').createIfNotExists()
})
afterEach(() => {
  stopWatching?.()
  test.sandbox.faults.clear()
})
afterAll(async () => {
  await test?.close()
})

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const fast = { retryDelayMs: 0 }

/** Range requests (Put Range, or ranged Get) for `name` as they reach the sandbox. */
function watchRanges(name: string, method: 'PUT' | 'GET'): SeenRequest[] {
  const seen: SeenRequest[] = []
  stopWatching = test.sandbox.requests.listen((request) => {
    if (request.service !== 'files' || request.method !== method) return
    if (!request.path.endsWith(`/${name}`)) return
    if (request.request.header('x-ms-range') ?? request.request.header('range')) seen.push(request)
  })
  return seen
}

const startOf = (request: SeenRequest) =>
  Number(/bytes=(\d+)-/.exec(request.request.header('x-ms-range') ?? '')![1])

function countByOffset(requests: SeenRequest[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const request of requests)
    counts.set(startOf(request), (counts.get(startOf(request)) ?? 0) + 1)
  return counts
}

describe('the transfer engine', () => {
  it('keeps several ranges in flight, each Put Range carrying its MD5 and each Get asking for one', async () => {
    const data = randomBytes(10 * rangeSize)
    const file = share.getDirectoryClient('notebooks').getFileClient('parallel.bin')
    const puts = watchRanges('parallel.bin', 'PUT')
    // How many ranges had been started when the first one finished.
    let started = 0
    let startedBeforeFirstDone = 0
    await uploadInRanges(
      file,
      data.length,
      async (o, c) => {
        started++
        return data.subarray(o, o + c)
      },
      {
        ...fast,
        onProgress: (bytes) => {
          if (bytes > 0 && startedBeforeFirstDone === 0) startedBeforeFirstDone = started
        },
      },
    )
    expect(puts).toHaveLength(10)
    expect(startedBeforeFirstDone).toBeGreaterThan(1)
    expect(puts.every((put) => put.request.header('content-md5'))).toBe(true)

    const gets = watchRanges('parallel.bin', 'GET')
    const copy = Buffer.alloc(data.length)
    await downloadInRanges(file, async (offset, bytes) => void bytes.copy(copy, offset), fast)
    expect(sha(copy)).toBe(sha(data))
    expect(gets).toHaveLength(10)
    expect(gets.every((get) => get.request.header('x-ms-range-get-content-md5') === 'true')).toBe(
      true,
    )
  })

  it('an upload whose connections drop halfway resends only the ranges that were dropped', async () => {
    const data = randomBytes(10 * rangeSize + 123)
    const file = share.getDirectoryClient('notebooks').getFileClient('dropped-up.bin')
    const puts = watchRanges('dropped-up.bin', 'PUT')
    const dropped = 6
    let injected = false
    await uploadInRanges(file, data.length, async (o, c) => data.subarray(o, o + c), {
      ...fast,
      onProgress: (bytes) => {
        if (!injected && bytes >= 4 * rangeSize) {
          injected = true
          test.sandbox.faults.resetConnections({
            count: dropped,
            service: 'files',
            method: 'PUT',
            pathIncludes: 'dropped-up.bin',
          })
        }
      },
    })
    expect(injected).toBe(true)
    // Eleven ranges, each accepted once; the only extra requests are the dropped ones.
    expect(puts).toHaveLength(11 + dropped)
    const counts = countByOffset(puts)
    expect(counts.size).toBe(11)
    const resent = [...counts.values()].reduce((sum, n) => sum + n - 1, 0)
    expect(resent).toBe(dropped)

    const copy = Buffer.alloc(data.length)
    await downloadInRanges(file, async (offset, bytes) => void bytes.copy(copy, offset), fast)
    expect(sha(copy)).toBe(sha(data))
  })

  it('a download whose connections drop halfway reads only the dropped ranges again', async () => {
    const data = randomBytes(10 * rangeSize)
    const file = share.getDirectoryClient('notebooks').getFileClient('dropped-down.bin')
    await uploadInRanges(file, data.length, async (o, c) => data.subarray(o, o + c), fast)
    const gets = watchRanges('dropped-down.bin', 'GET')
    const dropped = 9
    const copy = Buffer.alloc(data.length)
    let injected = false
    const size = await downloadInRanges(
      file,
      async (offset, bytes) => {
        bytes.copy(copy, offset)
        if (!injected) {
          injected = true
          test.sandbox.faults.resetConnections({
            count: dropped,
            service: 'files',
            method: 'GET',
            pathIncludes: 'dropped-down.bin',
          })
        }
      },
      fast,
    )
    expect(size).toBe(data.length)
    expect(sha(copy)).toBe(sha(data))
    expect(gets).toHaveLength(10 + dropped)
    expect(countByOffset(gets).size).toBe(10)
  })

  it('resumes a cancelled upload from its journal without sending the finished ranges again', async () => {
    const data = randomBytes(8 * rangeSize)
    const file = share.getDirectoryClient('notebooks').getFileClient('resumed.bin')
    const journal = new RangeJournal(data.length)
    const controller = new AbortController()
    const read = async (o: number, c: number) => data.subarray(o, o + c)
    await expect(
      uploadInRanges(file, data.length, read, {
        ...fast,
        journal,
        signal: controller.signal,
        concurrency: { initial: 2, max: 2 },
        onProgress: (bytes) => {
          if (bytes >= 3 * rangeSize) controller.abort()
        },
      }),
    ).rejects.toMatchObject({ code: 'Cancelled' })
    const finished = journal.bytes / rangeSize
    expect(finished).toBeGreaterThanOrEqual(3)
    expect(finished).toBeLessThan(8)

    const puts = watchRanges('resumed.bin', 'PUT')
    await uploadInRanges(file, data.length, read, { ...fast, journal })
    expect(journal.complete).toBe(true)
    expect(puts).toHaveLength(8 - finished)
    const journalled = new Set(
      Array.from({ length: 8 }, (_, i) => i * rangeSize).filter(
        (offset) => !countByOffset(puts).has(offset),
      ),
    )
    expect(journalled.size).toBe(finished)

    const copy = Buffer.alloc(data.length)
    await downloadInRanges(file, async (offset, bytes) => void bytes.copy(copy, offset), fast)
    expect(sha(copy)).toBe(sha(data))
  })

  it('resumes a download from its journal while the file is unchanged, and starts over when it changed', async () => {
    const data = randomBytes(6 * rangeSize)
    const file = share.getDirectoryClient('notebooks').getFileClient('resumed-down.bin')
    await uploadInRanges(file, data.length, async (o, c) => data.subarray(o, o + c), fast)
    const journal = new RangeJournal(data.length)
    const copy = Buffer.alloc(data.length)
    const controller = new AbortController()
    await expect(
      downloadInRanges(
        file,
        async (offset, bytes) => {
          bytes.copy(copy, offset)
          if (journal.bytes >= rangeSize) controller.abort()
        },
        { ...fast, journal, signal: controller.signal, concurrency: { initial: 1, max: 1 } },
      ),
    ).rejects.toMatchObject({ code: 'Cancelled' })
    const finished = journal.bytes / rangeSize
    expect(finished).toBeGreaterThanOrEqual(1)

    const gets = watchRanges('resumed-down.bin', 'GET')
    await downloadInRanges(file, async (offset, bytes) => void bytes.copy(copy, offset), {
      ...fast,
      journal,
    })
    expect(gets).toHaveLength(6 - finished)
    expect(sha(copy)).toBe(sha(data))

    // The file changes (a new ETag): the old journal is not trusted.
    await file.uploadRange(Buffer.alloc(16, 7), 0, 16)
    gets.length = 0
    await downloadInRanges(file, async () => undefined, { ...fast, journal })
    expect(gets).toHaveLength(6)
  })

  it('gathers an upload’s 512 KiB chunks into 4 MiB ranges, through dropped connections', async () => {
    const data = randomBytes(10 * MiB)
    const file = share.getDirectoryClient('notebooks').getFileClient('chunked.bin')
    await file.create(data.length)
    const puts = watchRanges('chunked.bin', 'PUT')
    const written: number[] = []
    const upload = new ChunkedUpload(file, data.length, {
      retryDelayMs: 0,
      onProgress: (bytes) => written.push(bytes),
    })
    for (let offset = 0; offset < data.length; offset += 512 * 1024) {
      if (offset === 5 * MiB)
        test.sandbox.faults.resetConnections({ count: 2, service: 'files', method: 'PUT' })
      await upload.accept(data.subarray(offset, offset + 512 * 1024))
    }
    await upload.finish()
    expect(upload.written).toBe(data.length)
    expect(written.at(-1)).toBe(data.length)
    // Three ranges (4 + 4 + 2 MiB), plus the two that were dropped and sent again.
    expect(countByOffset(puts)).toEqual(
      new Map([
        [0, expect.any(Number)],
        [4 * MiB, expect.any(Number)],
        [8 * MiB, expect.any(Number)],
      ]),
    )
    expect(puts).toHaveLength(3 + 2)
    const copy = Buffer.alloc(data.length)
    await downloadInRanges(file, async (offset, bytes) => void bytes.copy(copy, offset), fast)
    expect(sha(copy)).toBe(sha(data))
  })

  it('gives up at once on an answer that will not change, without trying again', async () => {
    const file = share.getDirectoryClient('no-such-folder').getFileClient('orphan.bin')
    const sent: SeenRequest[] = []
    stopWatching = test.sandbox.requests.listen((request) => {
      if (request.path.endsWith('/orphan.bin')) sent.push(request)
    })
    const data = randomBytes(MiB)
    await expect(
      uploadInRanges(file, data.length, async (o, c) => data.subarray(o, o + c), fast),
    ).rejects.toMatchObject({ statusCode: 404 })
    expect(sent).toHaveLength(1)
  })
})
