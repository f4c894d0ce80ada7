import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:https'
import {
  ShareServiceClient,
  StorageSharedKeyCredential,
  type ShareClient,
} from '@azure/storage-file-share'
import { ChunkedUpload } from '../electron/azure/files/chunked-upload'
import { maxChunkBytes } from '../electron/azure/files/files-service'
import { listFolder, createFolder, remove } from '../electron/azure/files/share-browser'
import { shareClientOptions } from '../electron/azure/files/share-client'
import { downloadInRanges, uploadInRanges } from '../electron/azure/files/transfer'
import { medianMs, type Bench, type Figure } from './figure'
import type { ServersReady, ServersRequest } from './files/servers'

/*
 * The share browser's transfers against the sandbox's Azure Files endpoint (real SDK, 4 MiB
 * ranges) next to plain HTTPS of the same bytes on this machine, the servers in a process of
 * their own (files/servers.ts). First on bare loopback
 * against one plain PUT/GET (the cost of the Files protocol and the engine over bare TLS);
 * then through a simulated link (bench/link.ts: round trip and bandwidth cap, set with
 * BENCH_LINK_RTT_MS=0,40 and BENCH_LINK_MBIT=100) against a plain parallel copy of the same
 * bytes through the same link: the share's speed as a share of what the link carries. And
 * the time to list a folder of 5,000 entries.
 */

const MiB = 1024 * 1024
const size = 64 * MiB

function plainPut(url: string, ca: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'PUT', ca, headers: { 'content-length': bytes.length } },
      (res) => {
        res.resume()
        res.on('end', resolve)
      },
    )
    req.on('error', reject)
    for (let offset = 0; offset < bytes.length; offset += 4 * MiB)
      req.write(bytes.subarray(offset, offset + 4 * MiB))
    req.end()
  })
}

function plainGet(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let total = 0
      res.on('data', (chunk: Buffer) => (total += chunk.length))
      res.on('end', () => resolve(total))
    })
      .on('error', reject)
      .end()
  })
}

/** Starts the far side (sandbox, plain server, links) in its own process. */
async function startServers(
  ask: ServersRequest,
): Promise<ServersReady & { shareVia(port: number): ShareClient; close(): void }> {
  const child = fork(new URL('./files/servers.ts', import.meta.url), [JSON.stringify(ask)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ready = await new Promise<ServersReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServersReady))
    child.once('exit', (code) => reject(new Error(`The bench's servers exited (${code}).`)))
  })
  const credential = new StorageSharedKeyCredential(ready.account, ready.key)
  return {
    ...ready,
    shareVia: (port) =>
      new ShareServiceClient(
        `https://127.0.0.1:${port}/${ready.account}`,
        credential,
        shareClientOptions(ready.sandboxCa),
      ).getShareClient('notebooks'),
    close: () => child.disconnect(),
  }
}

/** The app's upload path without IPC: 512 KiB chunks in order into the engine. */
async function chunkedUpload(share: ShareClient, bytes: Buffer): Promise<void> {
  const file = share.rootDirectoryClient.getFileClient('bench-up.bin')
  await file.create(bytes.length)
  const upload = new ChunkedUpload(file, bytes.length)
  for (let offset = 0; offset < bytes.length; offset += maxChunkBytes)
    await upload.accept(bytes.subarray(offset, offset + maxChunkBytes))
  await upload.finish()
}

/** A plain parallel copy: the bytes in 4 MiB requests, all at once, over keep-alive connections. */
function plainParallel(
  url: string,
  agent: Agent,
  bytes: Buffer,
  method: 'PUT' | 'GET',
): Promise<unknown> {
  const parts = []
  for (let offset = 0; offset < bytes.length; offset += 4 * MiB) {
    const count = Math.min(4 * MiB, bytes.length - offset)
    parts.push(
      new Promise<void>((resolve, reject) => {
        const req = request(
          `${url}?offset=${offset}&count=${count}`,
          { method, agent, headers: method === 'PUT' ? { 'content-length': count } : {} },
          (res) => {
            res.on('data', () => undefined)
            res.on('end', resolve)
          },
        )
        req.on('error', reject)
        req.end(method === 'PUT' ? bytes.subarray(offset, offset + count) : undefined)
      }),
    )
  }
  return Promise.all(parts)
}

const linkSize = 32 * MiB
const rate = (bytes: number, ms: number) => bytes / MiB / (ms / 1000)

const pairs = 5
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/**
 * The share and the plain copy one after the other, `pairs` times after one unmeasured
 * pair: on a busy machine each pair sees the same load, so the ratio is taken per pair.
 */
async function sideBySide(
  share: () => Promise<unknown>,
  plain: () => Promise<unknown>,
): Promise<{ ms: number; plainMs: number; percent: number }> {
  const time = async (run: () => Promise<unknown>) => {
    const start = performance.now()
    await run()
    return performance.now() - start
  }
  await share()
  await plain()
  const shareMs: number[] = []
  const plainMs: number[] = []
  const percents: number[] = []
  for (let i = 0; i < pairs; i++) {
    shareMs.push(await time(share))
    plainMs.push(await time(plain))
    percents.push((plainMs.at(-1)! / shareMs.at(-1)!) * 100)
  }
  return { ms: median(shareMs), plainMs: median(plainMs), percent: median(percents) }
}

async function linkFigures(
  servers: Awaited<ReturnType<typeof startServers>>,
  link: ServersReady['links'][number],
  bytes: Buffer,
  mbit: number,
): Promise<Figure[]> {
  const { rttMs } = link
  const share = servers.shareVia(link.sharePort)
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: servers.plainCa })
  const plainUrl = `https://127.0.0.1:${link.plainPort}/blob`
  const file = share.rootDirectoryClient.getFileClient('bench-up.bin')
  const up = await sideBySide(
    () => chunkedUpload(share, bytes),
    () => plainParallel(plainUrl, agent, bytes, 'PUT'),
  )
  const down = await sideBySide(
    () => downloadInRanges(file, async () => undefined),
    () => plainParallel(plainUrl, agent, bytes, 'GET'),
  )
  // Cancel a download once its first range is in: how long until the transfer has stopped.
  const controller = new AbortController()
  let cancelledAt = 0
  const stopped = await downloadInRanges(file, async () => undefined, {
    signal: controller.signal,
    onProgress: (done) => {
      if (done > 0 && !cancelledAt) {
        cancelledAt = performance.now()
        controller.abort()
      }
    },
  }).then(
    () => NaN,
    () => performance.now() - cancelledAt,
  )
  agent.destroy()
  const named = `${rttMs} ms, ${mbit} Mbit/s`
  const goal = rttMs >= 40 ? 90 : 80
  return [
    {
      name: `upload, ${named}`,
      value: rate(bytes.length, up.ms),
      unit: 'MiB/s',
      note: `the app's path: 512 KiB chunks into 4 MiB ranges; plain parallel PUT ${rate(bytes.length, up.plainMs).toFixed(1)} MiB/s`,
    },
    {
      name: `upload, ${named}: share ÷ plain parallel`,
      value: up.percent,
      unit: '%',
      note: `median of ${pairs} pairs run back to back; goal ≥ ${goal} %`,
    },
    {
      name: `download, ${named}`,
      value: rate(bytes.length, down.ms),
      unit: 'MiB/s',
      note: `plain parallel GET ${rate(bytes.length, down.plainMs).toFixed(1)} MiB/s`,
    },
    {
      name: `download, ${named}: share ÷ plain parallel`,
      value: down.percent,
      unit: '%',
      note: `median of ${pairs} pairs run back to back; goal ≥ ${goal} %`,
    },
    { name: `cancel a download → stopped, ${named}`, value: stopped, unit: 'ms' },
  ]
}

export const filesBench: Bench = {
  title: 'Files: share transfers against plain HTTPS, on loopback and through a simulated link',
  async run(): Promise<Figure[]> {
    const bytes = randomBytes(size)
    const rtts = (process.env.BENCH_LINK_RTT_MS ?? '0,40').split(',').map(Number)
    const mbit = Number(process.env.BENCH_LINK_MBIT ?? 100)
    const servers = await startServers({ rtts, mbit, size })
    try {
      const share = servers.shareVia(servers.sandboxPort)
      const plainUrl = `https://127.0.0.1:${servers.plainPort}/blob`
      const file = share.rootDirectoryClient.getFileClient('bench.bin')
      const upload = await medianMs(
        () => uploadInRanges(file, size, async (o, c) => bytes.subarray(o, o + c)),
        3,
        1,
      )
      const plainUpload = await medianMs(() => plainPut(plainUrl, servers.plainCa, bytes), 3, 1)
      const download = await medianMs(() => downloadInRanges(file, async () => undefined), 3, 1)
      const plainDownload = await medianMs(() => plainGet(plainUrl, servers.plainCa), 3, 1)

      const linked: Figure[] = []
      for (const link of servers.links)
        linked.push(...(await linkFigures(servers, link, bytes.subarray(0, linkSize), mbit)))

      const folder = await createFolder(share, '', 'bench-5000')
      const dir = share.getDirectoryClient(folder)
      for (let i = 0; i < 5000; i += 100)
        await Promise.all(
          Array.from({ length: 100 }, (_, k) =>
            dir.getFileClient(`cell-${i + k}.ipynb`).create(10),
          ),
        )
      const list = await medianMs(() => listFolder(share, folder), 5, 1)
      await remove(share, folder, 'folder')

      return [
        {
          name: 'upload 64 MiB to the share (4 MiB ranges)',
          value: rate(size, upload),
          unit: 'MiB/s',
        },
        {
          name: 'plain HTTPS PUT of the same bytes',
          value: rate(size, plainUpload),
          unit: 'MiB/s',
        },
        { name: 'upload time, share ÷ plain HTTPS', value: upload / plainUpload, unit: '×' },
        {
          name: 'download 64 MiB from the share (4 MiB ranges)',
          value: rate(size, download),
          unit: 'MiB/s',
        },
        {
          name: 'plain HTTPS GET of the same bytes',
          value: rate(size, plainDownload),
          unit: 'MiB/s',
        },
        { name: 'download time, share ÷ plain HTTPS', value: download / plainDownload, unit: '×' },
        ...linked,
        {
          name: 'list a folder of 5,000 files (every page)',
          value: list,
          unit: 'ms',
          note: 'median of 5',
        },
      ]
    } finally {
      servers.close()
    }
  },
}
