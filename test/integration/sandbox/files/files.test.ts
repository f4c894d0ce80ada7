import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AccountSASPermissions,
  FileSASPermissions,
  ShareClient,
  ShareFileClient,
  ShareSASPermissions,
  ShareServiceClient,
  type RestError,
  type ShareClientOptions,
} from '@azure/storage-file-share'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../../../sandbox'
import { provisionStorageAccount } from '../../../../sandbox/arm/storage'
import { sandboxClientOptions, shareServiceClient, sharedKey } from './files-client'

const MiB = 1024 * 1024
let sandbox: Sandbox
let key: string
const account = 'filestests01'

beforeAll(async () => {
  sandbox = await startSandbox()
  const created = provisionStorageAccount(sandbox.context, {
    subscriptionId: sandbox.subscriptionId,
    resourceGroup: 'files-tests',
    name: account,
    location: 'eastus',
    skuName: 'Standard_LRS',
    kind: 'StorageV2',
  })
  key = created.keys[0]!.value
})
afterAll(async () => {
  await sandbox?.close()
})

const service = () => shareServiceClient(sandbox, account, sharedKey(account, key))

async function failure(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise
  } catch (error) {
    return error as RestError
  }
  throw new Error('expected the call to fail')
}

describe('Azure Files data plane through @azure/storage-file-share', () => {
  it('creates shares and lists them with quota and tier', async () => {
    const share = service().getShareClient('team')
    await share.create({ quota: 100, accessTier: 'Hot' })
    const shares = []
    for await (const item of service().listShares()) shares.push(item)
    expect(shares.map((s) => s.name)).toContain('team')
    const props = await share.getProperties()
    expect(props.quota).toBe(100)
    expect(props.accessTier).toBe('Hot')
    const again = await failure(share.create())
    expect(again.statusCode).toBe(409)
    expect(again.code).toBe('ShareAlreadyExists')
  })

  it('creates nested folders, refuses a missing parent and a non-empty delete', async () => {
    const share = service().getShareClient('folders')
    await share.create()
    const notebooks = share.getDirectoryClient('notebooks')
    await notebooks.create()
    await notebooks.getDirectoryClient('ada').create()
    const empty = []
    for await (const item of notebooks.getDirectoryClient('ada').listFilesAndDirectories())
      empty.push(item)
    expect(empty).toEqual([])
    const orphan = await failure(share.getDirectoryClient('missing/child').create())
    expect(orphan.statusCode).toBe(404)
    expect(orphan.code).toBe('ParentNotFound')
    const notEmpty = await failure(notebooks.delete())
    expect(notEmpty.statusCode).toBe(409)
    expect(notEmpty.code).toBe('DirectoryNotEmpty')
    const listed = []
    for await (const item of share.rootDirectoryClient.listFilesAndDirectories()) listed.push(item)
    expect(listed).toEqual([expect.objectContaining({ kind: 'directory', name: 'notebooks' })])
  })

  it('uploads 50 MiB in 4 MiB ranges through a connection reset and downloads the same bytes', async () => {
    const share = service().getShareClient('big')
    await share.create()
    const file = share.rootDirectoryClient.getFileClient('dataset.bin')
    const data = randomBytes(50 * MiB)
    let faultArmed = false
    await file.uploadData(data, {
      rangeSize: 4 * MiB,
      concurrency: 2,
      onProgress: ({ loadedBytes }) => {
        if (!faultArmed && loadedBytes >= 12 * MiB) {
          faultArmed = true
          sandbox.faults.resetConnections({ count: 1, service: 'files', method: 'PUT' })
        }
      },
    })
    expect(faultArmed).toBe(true)
    // The reset was used up by one of the range uploads, which the SDK then retried.
    expect(sandbox.faults.takeRequestFault('files', 'PUT', '/probe')).toBeUndefined()

    sandbox.faults.resetConnections({ count: 1, service: 'files', method: 'GET' })
    const downloaded = await file.downloadToBuffer(0, undefined, {
      rangeSize: 4 * MiB,
      concurrency: 2,
    })
    expect(sandbox.faults.takeRequestFault('files', 'GET', '/probe')).toBeUndefined()
    expect(downloaded.length).toBe(data.length)
    expect(downloaded.equals(data)).toBe(true)

    const props = await file.getProperties()
    expect(props.contentLength).toBe(50 * MiB)
  })

  it('throttles as Azure Storage does (503 ServerBusy, no 429), which the SDK retries', async () => {
    const share = service().getShareClient('busy')
    sandbox.faults.throttle({ retryAfterSeconds: 1, count: 2, service: 'files', method: 'PUT' })
    const once = shareServiceClient(sandbox, account, sharedKey(account, key), {
      retryOptions: { maxTries: 1 },
    })
    expect(await failure(once.getShareClient('busy').create())).toMatchObject({
      statusCode: 503,
      code: 'ServerBusy',
    })
    // The second throttled answer is retried by the SDK's own policy; the share is made.
    await share.create()
    expect((await share.getProperties())._response.status).toBe(200)
  })

  it('answers ranged downloads with 206 and Content-Range, and rejects a range past the end', async () => {
    const share = service().getShareClient('ranges')
    await share.create()
    const file = share.rootDirectoryClient.getFileClient('abc.txt')
    await file.uploadData(Buffer.from('0123456789'))
    const part = await file.download(2, 5)
    expect(part._response.status).toBe(206)
    expect(part.contentRange).toBe('bytes 2-6/10')
    const chunks: Buffer[] = []
    for await (const chunk of part.readableStreamBody!) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).toString()).toBe('23456')
    const past = await failure(file.download(10, 2))
    expect(past.statusCode).toBe(416)
    const cleared = await file.clearRange(0, 4)
    expect(cleared.etag).toBeDefined()
    const whole = await file.downloadToBuffer()
    expect(whole.toString('latin1')).toBe('\0\0\0\x00456789')
  })

  it('lists a folder of 5,000 files across pages', async () => {
    const share = service().getShareClient('many')
    await share.create()
    const folder = share.getDirectoryClient('runs')
    await folder.create()
    const names = Array.from({ length: 5000 }, (_, i) => `run-${String(i).padStart(4, '0')}.json`)
    const queue = [...names]
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let name = queue.shift(); name; name = queue.shift())
          await folder.getFileClient(name).create(0)
      }),
    )
    const pages: number[] = []
    const listed: string[] = []
    for await (const page of folder.listFilesAndDirectories().byPage({ maxPageSize: 1200 })) {
      pages.push(page.segment.fileItems.length)
      listed.push(...page.segment.fileItems.map((f) => f.name))
    }
    expect(pages).toEqual([1200, 1200, 1200, 1200, 200])
    expect(listed).toEqual(names)

    const everything = []
    for await (const item of folder.listFilesAndDirectories({ prefix: 'run-49' }))
      everything.push(item.name)
    expect(everything).toHaveLength(100)
  }, 120_000)

  it('renames a file and a folder, deletes, and reports what no longer exists', async () => {
    const share = service().getShareClient('moves')
    await share.create()
    const drafts = share.getDirectoryClient('drafts')
    await drafts.create()
    const file = drafts.getFileClient('notes.ipynb')
    await file.uploadData(Buffer.from('{"cells": []}'))
    // rename() answers with clients whose URLs lose the account on path-style endpoints
    // (the SDK rebuilds them as /<share>/<path>), so the moved items are addressed afresh.
    await file.rename('drafts/final.ipynb')
    const renamed = drafts.getFileClient('final.ipynb')
    expect((await renamed.downloadToBuffer()).toString()).toBe('{"cells": []}')
    expect(await file.exists()).toBe(false)

    await drafts.getDirectoryClient('inner').create()
    const intoItself = await failure(drafts.rename('drafts/inner/drafts'))
    expect(intoItself.statusCode).toBe(400)
    await drafts.getDirectoryClient('inner').delete()

    await drafts.rename('published')
    const published = share.getDirectoryClient('published')
    const moved = published.getFileClient('final.ipynb')
    expect(await moved.exists()).toBe(true)
    expect(await drafts.exists()).toBe(false)

    await moved.delete()
    expect(await moved.exists()).toBe(false)
    await published.delete()
    const gone = await failure(published.getProperties())
    expect(gone.statusCode).toBe(404)

    await share.delete()
    const noShare = await failure(share.getProperties())
    expect(noShare.code).toBe('ShareNotFound')
  })

  it('supports what a share browser needs: if-not-exists, details in listings, properties, metadata', async () => {
    const share = service().getShareClient('browser')
    expect((await share.createIfNotExists()).succeeded).toBe(true)
    expect((await share.createIfNotExists()).succeeded).toBe(false)
    const mine = share.getDirectoryClient('notebooks').getDirectoryClient('ada')
    await share.getDirectoryClient('notebooks').createIfNotExists()
    expect((await mine.createIfNotExists()).succeeded).toBe(true)
    expect((await mine.createIfNotExists()).succeeded).toBe(false)

    const file = mine.getFileClient('analysis.ipynb')
    await file.uploadData(Buffer.from('{}'), {
      fileHttpHeaders: { fileContentType: 'application/x-ipynb+json' },
      metadata: { owner: 'ada' },
    })
    const props = await file.getProperties()
    expect(props.contentType).toBe('application/x-ipynb+json')
    expect(props.metadata).toEqual({ owner: 'ada' })
    expect(props.fileId).toMatch(/^\d+$/)

    await file.resize(10)
    await file.setMetadata({ reviewed: 'yes' })
    const after = await file.getProperties()
    expect(after.contentLength).toBe(10)
    expect(after.metadata).toEqual({ reviewed: 'yes' })
    expect(after.etag).not.toBe(props.etag)

    const items = []
    for await (const item of mine.listFilesAndDirectories({
      includeTimestamps: true,
      includeEtag: true,
      includeAttributes: true,
      includeExtendedInfo: true,
    })) {
      items.push(item)
    }
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ kind: 'file', name: 'analysis.ipynb', fileId: after.fileId })
    const listed = items[0]!.properties!
    expect(listed.contentLength).toBe(10)
    expect(listed.lastModified).toBeInstanceOf(Date)
    expect(listed.etag).toBe(after.etag)

    const stats = await share.getStatistics()
    expect(stats.shareUsageBytes).toBe(10)
    expect((await file.deleteIfExists()).succeeded).toBe(true)
    expect((await file.deleteIfExists()).succeeded).toBe(false)
  })

  it('refuses a wrong key with 403 AuthenticationFailed', async () => {
    const wrong = shareServiceClient(
      sandbox,
      account,
      sharedKey(account, randomBytes(64).toString('base64')),
    )
    const error = await failure(wrong.getShareClient('team').getProperties())
    expect(error.statusCode).toBe(403)
    expect(error.code).toBe('AuthenticationFailed')
    const listing = await failure(wrong.listShares().next())
    expect(listing.statusCode).toBe(403)
    expect((listing.details as { message?: string }).message).toContain(
      'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
    )
  })
})

describe('shared access signatures', () => {
  const anonymous = <T>(make: (options: ShareClientOptions) => T) =>
    make(sandboxClientOptions(sandbox))
  const inAnHour = () => new Date(Date.now() + 3600_000)

  it('reads a file with a read-only file SAS and refuses writes with it', async () => {
    const share = service().getShareClient('sas')
    await share.createIfNotExists()
    const file = share.rootDirectoryClient.getFileClient('shared.csv')
    await file.uploadData(Buffer.from('a,b\n1,2\n'))
    const url = await file.generateSasUrl({
      permissions: FileSASPermissions.parse('r'),
      expiresOn: inAnHour(),
    })
    const viaSas = anonymous((o) => new ShareFileClient(url, undefined, o))
    expect((await viaSas.downloadToBuffer()).toString()).toBe('a,b\n1,2\n')
    const write = await failure(viaSas.uploadRange(Buffer.from('x'), 0, 1))
    expect(write.statusCode).toBe(403)
    expect(write.code).toBe('AuthorizationPermissionMismatch')

    const other = anonymous(
      (o) => new ShareFileClient(url.replace('shared.csv', 'other.csv'), undefined, o),
    )
    expect((await failure(other.getProperties())).statusCode).toBe(403)
  })

  it('lists a share with a share SAS and the account with an account SAS', async () => {
    const share = service().getShareClient('sas')
    await share.createIfNotExists()
    const shareUrl = await share.generateSasUrl({
      permissions: ShareSASPermissions.parse('rl'),
      expiresOn: inAnHour(),
    })
    const viaShareSas = anonymous((o) => new ShareClient(shareUrl, undefined, o))
    const names = []
    for await (const item of viaShareSas.rootDirectoryClient.listFilesAndDirectories())
      names.push(item.name)
    expect(names).toContain('shared.csv')

    const accountUrl = service().generateAccountSasUrl(
      inAnHour(),
      AccountSASPermissions.parse('rl'),
      'sco',
    )
    const viaAccountSas = anonymous((o) => new ShareServiceClient(accountUrl, undefined, o))
    const shares = []
    for await (const item of viaAccountSas.listShares()) shares.push(item.name)
    expect(shares).toContain('sas')
    const create = await failure(viaAccountSas.getShareClient('nope').create())
    expect(create.code).toBe('AuthorizationPermissionMismatch')
  })

  it('refuses an expired SAS', async () => {
    const file = service().getShareClient('sas').rootDirectoryClient.getFileClient('shared.csv')
    const url = await file.generateSasUrl({
      permissions: FileSASPermissions.parse('r'),
      startsOn: new Date(Date.now() - 7200_000),
      expiresOn: new Date(Date.now() - 3600_000),
    })
    const expired = await failure(
      anonymous((o) => new ShareFileClient(url, undefined, o)).getProperties(),
    )
    expect(expired.statusCode).toBe(403)
    expect(expired.code).toBe('AuthenticationFailed')
  })
})

describe('Azure Files with --state', () => {
  it('keeps file bytes on disk across a restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sandbox-files-'))
    try {
      const first = await startSandbox({ stateDir })
      const { keys } = provisionStorageAccount(first.context, {
        subscriptionId: first.subscriptionId,
        resourceGroup: 'persist',
        name: 'persistfiles',
        location: 'westeurope',
        skuName: 'Standard_LRS',
        kind: 'StorageV2',
      })
      const data = randomBytes(6 * MiB + 3)
      const share = shareServiceClient(
        first,
        'persistfiles',
        sharedKey('persistfiles', keys[0]!.value),
      ).getShareClient('keep')
      await share.create()
      await share.rootDirectoryClient.getFileClient('model.bin').uploadData(data)
      await first.close()

      const second = await startSandbox({ stateDir })
      try {
        const again = shareServiceClient(
          second,
          'persistfiles',
          sharedKey('persistfiles', keys[0]!.value),
        )
        const back = await again
          .getShareClient('keep')
          .rootDirectoryClient.getFileClient('model.bin')
          .downloadToBuffer()
        expect(back.equals(data)).toBe(true)
      } finally {
        await second.close()
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true })
    }
  })
})
