import type { RestError } from '@azure/storage-file-share'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../../../sandbox'
import { provisionStorageAccount } from '../../../../sandbox/arm/storage'
import { shareServiceClient, sharedKey } from './files-client'

/*
 * The sandbox's Files endpoint answers as Azure Files does for what the app's "never lose
 * anyone's work" rests on (Microsoft's REST reference: Create File, Put Range, Set File
 * Metadata, Rename File, Create Directory):
 * - Create File replaces an existing file without asking (so the app never creates over a name);
 * - Put Range moves the ETag and the last-write time; Set File Metadata moves the ETag only;
 * - Rename File without x-ms-file-rename-replace-if-exists refuses a taken name (409
 *   ResourceAlreadyExists), with it replaces a file; it sets x-ms-meta-* and keeps the
 *   last-write time;
 * - Create Directory on a taken folder name answers 409 ResourceAlreadyExists.
 */

let sandbox: Sandbox
let key: string
const account = 'nolostwork01'

beforeAll(async () => {
  sandbox = await startSandbox()
  key = provisionStorageAccount(sandbox.context, {
    subscriptionId: sandbox.subscriptionId,
    resourceGroup: 'files-tests',
    name: account,
    location: 'eastus',
    skuName: 'Standard_LRS',
    kind: 'StorageV2',
  }).keys[0]!.value
})
afterAll(async () => {
  await sandbox?.close()
})

async function failure(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise
  } catch (error) {
    return error as RestError
  }
  throw new Error('expected the call to fail')
}

describe('Files conditions the app relies on', () => {
  it('answers as Azure Files does', async () => {
    const share = shareServiceClient(sandbox, account, sharedKey(account, key)).getShareClient(
      'team',
    )
    await share.create()
    const dir = share.rootDirectoryClient
    const theirs = dir.getFileClient('a.ipynb')
    await theirs.create(5)
    await theirs.uploadRange(Buffer.from('hello'), 0, 5)
    const first = await theirs.getProperties()

    sandbox.clock.advance(1_000)
    await theirs.uploadRange(Buffer.from('HELLO'), 0, 5)
    const written = await theirs.getProperties()
    expect(written.etag).not.toBe(first.etag)
    expect(written.fileLastWriteOn!.getTime()).toBeGreaterThanOrEqual(
      first.fileLastWriteOn!.getTime() + 1_000,
    )

    sandbox.clock.advance(1_000)
    await theirs.setMetadata({ note: 'x' })
    const tagged = await theirs.getProperties()
    expect(tagged.etag).not.toBe(written.etag)
    expect(tagged.fileLastWriteOn!.getTime()).toBe(written.fileLastWriteOn!.getTime())

    const mine = dir.getFileClient('.a.ipynb.0123abcd.uploading')
    await mine.create(4)
    await mine.uploadRange(Buffer.from('mine'), 0, 4)
    const uploaded = await mine.getProperties()

    const refused = await failure(mine.rename('a.ipynb'))
    expect([refused.statusCode, refused.code]).toEqual([409, 'ResourceAlreadyExists'])
    expect((await theirs.downloadToBuffer()).toString()).toBe('HELLO')

    sandbox.clock.advance(1_000)
    const { fileRenameResponse } = await mine.rename('a.ipynb', {
      replaceIfExists: true,
      metadata: { changedby: 'ada', lastwrite: uploaded.fileLastWriteOn!.toISOString() },
    })
    // (Typed fileLastWriteTime; the SDK hands the header over as fileLastWriteOn.)
    const renamedLastWrite = (fileRenameResponse as { fileLastWriteOn?: Date }).fileLastWriteOn
    expect(renamedLastWrite!.getTime()).toBe(uploaded.fileLastWriteOn!.getTime())
    const replaced = await dir.getFileClient('a.ipynb').getProperties()
    expect(replaced.metadata).toEqual({
      changedby: 'ada',
      lastwrite: uploaded.fileLastWriteOn!.toISOString(),
    })
    expect(replaced.fileLastWriteOn!.getTime()).toBe(uploaded.fileLastWriteOn!.getTime())
    expect((await dir.getFileClient('a.ipynb').downloadToBuffer()).toString()).toBe('mine')
    expect(await mine.exists()).toBe(false)

    // Create File over a taken name replaces what was there, without asking.
    await dir.getFileClient('a.ipynb').create(2)
    expect((await dir.getFileClient('a.ipynb').getProperties()).contentLength).toBe(2)

    await share.getDirectoryClient('results').create()
    const taken = await failure(share.getDirectoryClient('results').create())
    expect([taken.statusCode, taken.code]).toEqual([409, 'ResourceAlreadyExists'])
    const overFile = await failure(share.getDirectoryClient('a.ipynb').create())
    expect(overFile.statusCode).toBe(409)
    await share.delete({ deleteSnapshots: 'include' })
  })
})
