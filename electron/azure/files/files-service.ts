import { randomUUID } from 'node:crypto'
import { open, mkdir, rename as renameFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { ShareClient } from '@azure/storage-file-share'
import { AppError } from '../../../shared/errors'
import type { ArmContext } from '../arm-context'
import { baseName, validPath } from './paths'
import {
  createFolder,
  ensureFolder,
  listFolder,
  remove,
  rename,
  type ShareEntry,
} from './share-browser'
import { openShareService, pickShare, readAccountKey, smbHost } from './share-client'
import { ChunkedUpload } from './chunked-upload'
import { downloadInRanges } from './transfer'

/*
 * The share browser's service: which share belongs to a pool (the storage account tagged
 * with the pool), the user's notebooks/<user> folder, and transfers with progress and
 * cancel. Uploads arrive in chunks through validated calls (each chunk written as a range
 * with retry); downloads go to the Downloads folder in ranges.
 */

export interface PoolShareRef {
  subscriptionId: string
  resourceGroup: string
  /** Storage account name, from the resources tagged with the pool. */
  account: string
}

export interface FilesServiceOptions {
  /** Where a pool's storage account is. */
  shareOf(poolId: string): Promise<PoolShareRef>
  context(subscriptionId: string): Promise<ArmContext>
  /** The signed-in user's name for their folder (ada@contoso.example → ada). */
  userName(poolId: string): Promise<string>
  downloadsDir: string
  onProgress(progress: TransferProgress): void
}

export interface TransferProgress {
  transferId: string
  direction: 'upload' | 'download'
  path: string
  bytes: number
  total: number
  state: 'running' | 'done' | 'failed' | 'cancelled'
  message?: string
  /** Where a finished download was saved. */
  savedTo?: string
}

/** The largest upload this way (the share's own limit is 4 TiB; the app's chunked path stops here). */
export const maxUploadBytes = 10 * 1024 * 1024 * 1024
export const maxChunkBytes = 512 * 1024

interface Upload {
  poolId: string
  path: string
  size: number
  received: number
  file: ReturnType<ShareClient['rootDirectoryClient']['getFileClient']>
  controller: AbortController
  /** Gathers the chunks into ranges on the transfer engine (several in flight). */
  writer: ChunkedUpload
}

export function folderNameFor(username: string): string {
  const local = username
    .split('@')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
  return local || 'me'
}

export class FilesService {
  private shares = new Map<string, Promise<{ share: ShareClient; account: string }>>()
  private uploads = new Map<string, Upload>()
  private downloads = new Map<string, AbortController>()

  constructor(private readonly options: FilesServiceOptions) {}

  /** Opens the pool's share at the user's folder, creating notebooks/<user> the first time. */
  async open(
    poolId: string,
  ): Promise<{ account: string; share: string; home: string; entries: ShareEntry[] }> {
    const { share, account } = await this.share(poolId)
    const home = await ensureFolder(
      share,
      `notebooks/${folderNameFor(await this.options.userName(poolId))}`,
    )
    return { account, share: share.name, home, entries: await listFolder(share, home) }
  }

  async list(poolId: string, path: string): Promise<ShareEntry[]> {
    return listFolder((await this.share(poolId)).share, validPath(path))
  }

  async createFolder(poolId: string, parent: string, name: string): Promise<string> {
    return createFolder((await this.share(poolId)).share, parent, name)
  }

  async rename(
    poolId: string,
    path: string,
    kind: ShareEntry['kind'],
    newName: string,
  ): Promise<string> {
    return rename((await this.share(poolId)).share, path, kind, newName)
  }

  async remove(poolId: string, path: string, kind: ShareEntry['kind']): Promise<void> {
    await remove((await this.share(poolId)).share, path, kind)
  }

  /** What mounting the share needs: SMB host, account, share, and the key on demand. */
  async mountTarget(
    poolId: string,
  ): Promise<{ host: string; account: string; share: string; key(): Promise<string> }> {
    const ref = await this.options.shareOf(poolId)
    const context = await this.options.context(ref.subscriptionId)
    const { share } = await this.share(poolId)
    return {
      host: smbHost(context.cloud, ref.account),
      account: ref.account,
      share: share.name,
      key: () => readAccountKey(context, ref),
    }
  }

  // ---- uploads in chunks --------------------------------------------------------------

  async startUpload(
    poolId: string,
    path: string,
    size: number,
  ): Promise<{ transferId: string; chunkBytes: number }> {
    if (size > maxUploadBytes)
      throw new AppError(
        'Validation',
        'Files over 10 GiB are better copied on a mounted share or with AzCopy.',
      )
    const { share } = await this.share(poolId)
    const file = share.rootDirectoryClient.getFileClient(validPath(path))
    const controller = new AbortController()
    await file.create(size, { abortSignal: controller.signal })
    const transferId = randomUUID()
    if (size === 0) {
      this.report({ transferId, direction: 'upload', path, bytes: 0, total: 0, state: 'done' })
      return { transferId, chunkBytes: maxChunkBytes }
    }
    const writer = new ChunkedUpload(file, size, { signal: controller.signal })
    this.uploads.set(transferId, { poolId, path, size, received: 0, file, controller, writer })
    this.report({ transferId, direction: 'upload', path, bytes: 0, total: size, state: 'running' })
    return { transferId, chunkBytes: maxChunkBytes }
  }

  /** Writes one chunk at its offset (in order); the last one finishes the upload. */
  async uploadChunk(
    transferId: string,
    offset: number,
    data: Buffer,
  ): Promise<{ received: number; done: boolean }> {
    const upload = this.uploads.get(transferId)
    if (!upload) throw new AppError('NotFound', 'This upload was cancelled or has finished.')
    if (offset !== upload.received || offset + data.length > upload.size || data.length === 0)
      throw new AppError('Validation', 'The chunk does not continue the upload where it stands.')
    try {
      await upload.writer.accept(data)
      if (offset + data.length === upload.size) await upload.writer.finish()
    } catch (error) {
      this.uploads.delete(transferId)
      const cancelled = error instanceof AppError && error.code === 'Cancelled'
      this.report({
        transferId,
        direction: 'upload',
        path: upload.path,
        bytes: upload.received,
        total: upload.size,
        state: cancelled ? 'cancelled' : 'failed',
        message: (error as Error).message,
      })
      throw error
    }
    upload.received += data.length
    const done = upload.received === upload.size
    if (done) this.uploads.delete(transferId)
    this.report({
      transferId,
      direction: 'upload',
      path: upload.path,
      bytes: done ? upload.size : upload.writer.written,
      total: upload.size,
      state: done ? 'done' : 'running',
    })
    return { received: upload.received, done }
  }

  // ---- downloads to the Downloads folder ----------------------------------------------

  async startDownload(poolId: string, path: string): Promise<{ transferId: string }> {
    const { share } = await this.share(poolId)
    const file = share.rootDirectoryClient.getFileClient(validPath(path))
    const transferId = randomUUID()
    const controller = new AbortController()
    this.downloads.set(transferId, controller)
    void this.download(transferId, path, file, controller)
    return { transferId }
  }

  cancel(transferId: string): { cancelled: boolean } {
    const upload = this.uploads.get(transferId)
    if (upload) {
      upload.controller.abort()
      this.uploads.delete(transferId)
      void upload.file.delete().catch(() => undefined)
      this.report({
        transferId,
        direction: 'upload',
        path: upload.path,
        bytes: upload.received,
        total: upload.size,
        state: 'cancelled',
      })
      return { cancelled: true }
    }
    const download = this.downloads.get(transferId)
    download?.abort()
    return { cancelled: download !== undefined }
  }

  private async download(
    transferId: string,
    path: string,
    file: ReturnType<ShareClient['rootDirectoryClient']['getFileClient']>,
    controller: AbortController,
  ): Promise<void> {
    await mkdir(this.options.downloadsDir, { recursive: true })
    const target = await freeName(this.options.downloadsDir, baseName(path))
    const partial = `${target}.partial`
    const handle = await open(partial, 'w', 0o600)
    let total = 0
    try {
      await downloadInRanges(
        file,
        async (offset, bytes) => {
          await handle.write(bytes, 0, bytes.length, offset)
        },
        {
          signal: controller.signal,
          onProgress: (bytes, size) => {
            total = size
            this.report({
              transferId,
              direction: 'download',
              path,
              bytes,
              total: size,
              state: 'running',
            })
          },
        },
      )
      await handle.close()
      await renameFile(partial, target)
      this.report({
        transferId,
        direction: 'download',
        path,
        bytes: total,
        total,
        state: 'done',
        savedTo: target,
      })
    } catch (error) {
      await handle.close().catch(() => undefined)
      await unlink(partial).catch(() => undefined)
      const cancelled = error instanceof AppError && error.code === 'Cancelled'
      this.report({
        transferId,
        direction: 'download',
        path,
        bytes: 0,
        total,
        state: cancelled ? 'cancelled' : 'failed',
        message: (error as Error).message,
      })
    } finally {
      this.downloads.delete(transferId)
    }
  }

  private report(progress: TransferProgress): void {
    this.options.onProgress(progress)
  }

  private share(poolId: string): Promise<{ share: ShareClient; account: string }> {
    const key = poolId.toLowerCase()
    let found = this.shares.get(key)
    if (!found) {
      found = (async () => {
        const ref = await this.options.shareOf(poolId)
        const context = await this.options.context(ref.subscriptionId)
        const service = await openShareService(context, ref)
        return { share: service.getShareClient(await pickShare(service)), account: ref.account }
      })()
      found.catch(() => this.shares.delete(key))
      this.shares.set(key, found)
    }
    return found
  }
}

async function freeName(dir: string, name: string): Promise<string> {
  const dot = name.lastIndexOf('.')
  const stem = dot > 0 ? name.slice(0, dot) : name
  const ext = dot > 0 ? name.slice(dot) : ''
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem} (${n})${ext}`)
    const taken = await open(candidate, 'r').then(
      async (h) => {
        await h.close()
        return true
      },
      () => false,
    )
    if (!taken) return candidate
  }
}
