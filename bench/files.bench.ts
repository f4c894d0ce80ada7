import { randomBytes } from 'node:crypto'
import { createServer, request, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { ShareClient } from '@azure/storage-file-share'
import { sandboxCloud } from '../electron/azure/auth/clouds'
import { listFolder, createFolder, remove } from '../electron/azure/files/share-browser'
import { openShare } from '../electron/azure/files/share-client'
import { downloadInRanges, uploadInRanges } from '../electron/azure/files/transfer'
import { createCertificate } from '../electron/sandbox/core/tls'
import { startTestSandbox } from '../test/integration/sandbox/harness'
import { medianMs, type Bench, type Figure } from './figure'

/*
 * The share browser's transfers against the sandbox's Azure Files endpoint (real SDK, 4 MiB
 * ranges) next to a plain HTTPS PUT/GET of the same bytes on this machine: the ratio is the
 * cost of the Files protocol and our range loop over bare TLS. And the time to list a folder
 * of 5,000 entries.
 */

const MiB = 1024 * 1024
const size = 64 * MiB

/** An HTTPS server that swallows a PUT body and answers a GET with `size` bytes. */
async function plainServer(bytes: Buffer): Promise<{ server: Server; url: string; ca: string }> {
  const { cert, key } = await createCertificate()
  const server = createServer({ cert, key }, (req, res) => {
    if (req.method === 'PUT') {
      req.on('data', () => undefined)
      req.on('end', () => res.writeHead(201).end())
    } else res.writeHead(200, { 'content-length': bytes.length }).end(bytes)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/blob`,
    ca: cert,
  }
}

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

async function openDemoShare(): Promise<{ share: ShareClient; close(): Promise<void> }> {
  const test = await startTestSandbox({ seed: 'demo' })
  const { sandbox } = test
  const share = await openShare(
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
  )
  return { share, close: () => test.close() }
}

export const filesBench: Bench = {
  title: 'Files: share transfers against a plain HTTPS copy, and listing 5,000 entries',
  async run(): Promise<Figure[]> {
    const bytes = randomBytes(size)
    const { share, close } = await openDemoShare()
    const plain = await plainServer(bytes)
    try {
      const file = share.rootDirectoryClient.getFileClient('bench.bin')
      const upload = await medianMs(
        () => uploadInRanges(file, size, async (o, c) => bytes.subarray(o, o + c)),
        5,
        1,
      )
      const plainUpload = await medianMs(() => plainPut(plain.url, plain.ca, bytes), 5, 1)
      const download = await medianMs(() => downloadInRanges(file, async () => undefined), 5, 1)
      const plainDownload = await medianMs(() => plainGet(plain.url, plain.ca), 5, 1)

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

      const rate = (ms: number) => size / MiB / (ms / 1000)
      return [
        { name: 'upload 64 MiB to the share (4 MiB ranges)', value: rate(upload), unit: 'MiB/s' },
        { name: 'plain HTTPS PUT of the same bytes', value: rate(plainUpload), unit: 'MiB/s' },
        { name: 'upload time, share ÷ plain HTTPS', value: upload / plainUpload, unit: '×' },
        {
          name: 'download 64 MiB from the share (4 MiB ranges)',
          value: rate(download),
          unit: 'MiB/s',
        },
        { name: 'plain HTTPS GET of the same bytes', value: rate(plainDownload), unit: 'MiB/s' },
        { name: 'download time, share ÷ plain HTTPS', value: download / plainDownload, unit: '×' },
        {
          name: 'list a folder of 5,000 files (every page)',
          value: list,
          unit: 'ms',
          note: 'median of 5',
        },
      ]
    } finally {
      plain.server.close()
      await close()
    }
  },
}
