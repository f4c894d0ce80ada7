import { toAppError } from '../../ipc/errors'
import { randomUUID } from 'node:crypto'
import { open, mkdir, rename as renameFile, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { ShareClient } from '@azure/storage-file-share'
import { AppError } from '../../../shared/errors'
import type { ArmContext } from '../arm-context'
import {
  checkBeforeUpload,
  commitUpload,
  conflictError,
  existingIn,
  isUploadingName,
  uploadingPath,
  type CommitResult,
  type ExistingEntry,
  type OnExisting,
} from './collisions'
import { baseName, numberedName, validPath } from './paths'
import {
  createFolder,
  ensureFolder,
  listFolder,
  remove,
  rename,
  summarizeFolder,
  type ShareEntry,
} from './share-browser'
import { openShareService, pickShare, readAccountKey, smbHost } from './share-client'
import { keyRefused } from './account-keys'
import { ChunkedUpload } from './chunked-upload'
import { downloadInRanges } from './transfer'

/*
 * The share browser's service: which share belongs to a pool (the storage account tagged
 * with the pool), the user's notebooks/<user> folder, and transfers with progress and
 * cancel. Uploads arrive in chunks through validated calls (each chunk written as a range
 * with retry) into a hidden file that takes the name only when complete and when the name
 * is as the person chose (collisions.ts); downloads go to the Downloads folder in ranges,
 * beside (never over) a file of the same name.
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
  /** Shows a saved download in the system's file manager. */
  showInFolder?(file: string): Promise<void>
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
  /** The hidden file the bytes go to until they are all there. */
  file: ReturnType<ShareClient['rootDirectoryClient']['getFileClient']>
  controller: AbortController
  onExisting: OnExisting
  /** Every byte is there; the name waits for the person's choice. */
  waiting?: boolean
  /** The complete file is being put in its place: too late to cancel. */
  committing?: boolean
  /** Gathers the chunks into ranges on the transfer engine (several in flight). */
  writer: ChunkedUpload
}

/** Finished downloads that "Show in folder" may reveal (the newest ones). */
const rememberedDownloads = 200

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
  /** The share client each pool's cached promise resolved to (to drop it once, not twice). */
  private openedClients = new Map<string, ShareClient>()
  private uploads = new Map<string, Upload>()
  private downloads = new Map<string, AbortController>()
  private saved = new Map<string, string>()

  constructor(private readonly options: FilesServiceOptions) {}

  /** Opens the pool's share at the user's folder, creating notebooks/<user> the first time. */
  async open(
    poolId: string,
  ): Promise<{ account: string; share: string; home: string; entries: ShareEntry[] }> {
    const folder = `notebooks/${folderNameFor(await this.options.userName(poolId))}`
    return this.withShare(poolId, async ({ share, account }) => {
      const home = await ensureFolder(share, folder)
      return { account, share: share.name, home, entries: visible(await listFolder(share, home)) }
    })
  }

  async list(poolId: string, path: string): Promise<ShareEntry[]> {
    const folder = validPath(path)
    return this.withShare(poolId, async ({ share }) => visible(await listFolder(share, folder)))
  }

  async createFolder(poolId: string, parent: string, name: string): Promise<string> {
    return this.withShare(poolId, ({ share }) => createFolder(share, parent, name))
  }

  async rename(
    poolId: string,
    path: string,
    kind: ShareEntry['kind'],
    newName: string,
  ): Promise<string> {
    return this.withShare(poolId, ({ share }) => rename(share, path, kind, newName))
  }

  async remove(poolId: string, path: string, kind: ShareEntry['kind']): Promise<void> {
    await this.withShare(poolId, ({ share }) => remove(share, path, kind))
  }

  /** How many files and folders a folder holds (said before deleting it). */
  async folderSummary(poolId: string, path: string) {
    return this.withShare(poolId, ({ share }) => summarizeFolder(share, path))
  }

  /** Which of `names` are taken in `folder`, with when and by whom. */
  async existing(poolId: string, folder: string, names: string[]): Promise<ExistingEntry[]> {
    const checked = validPath(folder)
    return this.withShare(poolId, ({ share }) => existingIn(share, checked, names))
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
    onExisting: OnExisting = 'ask',
  ): Promise<{ transferId: string; chunkBytes: number }> {
    if (size > maxUploadBytes)
      throw new AppError(
        'Validation',
        'Files over 10 GiB are better copied on a mounted share or with AzCopy.',
      )
    const { share } = await this.share(poolId)
    await checkBeforeUpload(share, validPath(path), onExisting)
    const transferId = randomUUID()
    const file = share.rootDirectoryClient.getFileClient(uploadingPath(path, transferId))
    const controller = new AbortController()
    await file.create(size, { abortSignal: controller.signal })
    const writer = new ChunkedUpload(file, size, { signal: controller.signal })
    const upload: Upload = {
      poolId,
      path,
      size,
      received: 0,
      file,
      controller,
      onExisting,
      writer,
    }
    this.uploads.set(transferId, upload)
    if (size === 0) {
      const result = await this.commit(transferId, upload)
      if ('conflict' in result) throw conflictError(result.conflict, result.changed)
      return { transferId, chunkBytes: maxChunkBytes }
    }
    this.report({ transferId, direction: 'upload', path, bytes: 0, total: size, state: 'running' })
    return { transferId, chunkBytes: maxChunkBytes }
  }

  /** The person's choice on an upload whose name was taken when its bytes were all there. */
  async resolveUpload(
    transferId: string,
    onExisting: OnExisting | 'skip',
  ): Promise<{ path?: string; conflict?: ExistingEntry; changed?: boolean }> {
    const upload = this.uploads.get(transferId)
    if (!upload?.waiting)
      throw new AppError('NotFound', 'This upload was cancelled or has finished.')
    if (onExisting === 'skip') {
      this.cancel(transferId, 'Skipped: the file on the share was kept.')
      return {}
    }
    upload.onExisting = onExisting
    return this.commit(transferId, upload)
  }

  /** Checks the name again and puts the complete file there, or waits for a choice. */
  private async commit(transferId: string, upload: Upload): Promise<CommitResult> {
    let result: CommitResult
    upload.committing = true
    try {
      const { share } = await this.share(upload.poolId)
      const user = await this.options.userName(upload.poolId)
      result = await commitUpload(share, upload.file, upload.path, upload.onExisting, user)
    } catch (error) {
      this.uploads.delete(transferId)
      void upload.file.delete().catch(() => undefined)
      this.report({
        transferId,
        direction: 'upload',
        path: upload.path,
        bytes: upload.received,
        total: upload.size,
        state: 'failed',
        message: toAppError(error).message,
      })
      throw error
    } finally {
      upload.committing = false
    }
    const progress = {
      transferId,
      direction: 'upload' as const,
      bytes: upload.size,
      total: upload.size,
    }
    if ('conflict' in result) {
      upload.waiting = true
      this.report({
        ...progress,
        path: upload.path,
        state: 'running',
        message: 'Waiting for your choice',
      })
      return result
    }
    this.uploads.delete(transferId)
    this.report({ ...progress, path: result.path, state: 'done' })
    return result
  }

  /** Writes one chunk at its offset (in order); the last one finishes the upload. */
  async uploadChunk(
    transferId: string,
    offset: number,
    data: Buffer,
  ): Promise<
    { received: number; done: boolean } & Partial<Record<'path', string>> & {
        conflict?: ExistingEntry
        changed?: boolean
      }
  > {
    const upload = this.uploads.get(transferId)
    if (!upload || upload.waiting)
      throw new AppError(
        'NotFound',
        'This upload is no longer going on: it was cancelled or finished, or the app restarted. Upload the file again.',
      )
    if (offset !== upload.received || offset + data.length > upload.size || data.length === 0)
      throw new AppError('Validation', 'The chunk does not continue the upload where it stands.')
    try {
      await upload.writer.accept(data)
      if (offset + data.length === upload.size) await upload.writer.finish()
    } catch (error) {
      this.uploads.delete(transferId)
      const cancelled = error instanceof AppError && error.code === 'Cancelled'
      // Only the hidden file goes: a file of that name on the share is untouched.
      if (!cancelled) void upload.file.delete().catch(() => undefined)
      this.report({
        transferId,
        direction: 'upload',
        path: upload.path,
        bytes: upload.received,
        total: upload.size,
        state: cancelled ? 'cancelled' : 'failed',
        ...(cancelled ? {} : { message: toAppError(error).message }),
      })
      throw error
    }
    // Cancelled while this chunk was on its way: the transfer stays cancelled.
    if (this.uploads.get(transferId) !== upload)
      throw new AppError('Cancelled', 'The transfer was cancelled.')
    upload.received += data.length
    if (upload.received === upload.size) {
      const result = await this.commit(transferId, upload)
      return { received: upload.received, done: 'path' in result, ...result }
    }
    this.report({
      transferId,
      direction: 'upload',
      path: upload.path,
      bytes: upload.writer.written,
      total: upload.size,
      state: 'running',
    })
    return { received: upload.received, done: false }
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

  cancel(transferId: string, message?: string): { cancelled: boolean } {
    const upload = this.uploads.get(transferId)
    // Once the file is being put in place it ends as done (or as a choice to make): saying
    // "cancelled" and then "done" would leave the person unsure what is on the share.
    if (upload?.committing) return { cancelled: false }
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
        ...(message ? { message } : {}),
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
    let target: string | undefined
    let handle: FileHandle | undefined
    let total = 0
    try {
      await mkdir(this.options.downloadsDir, { recursive: true })
      target = await reserveFreeName(this.options.downloadsDir, baseName(path))
      const writeTo = await open(`${target}.partial`, 'w', 0o600)
      handle = writeTo
      await downloadInRanges(
        file,
        async (offset, bytes) => {
          await writeTo.write(bytes, 0, bytes.length, offset)
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
      await writeTo.close()
      handle = undefined
      await renameFile(`${target}.partial`, target)
      this.remember(transferId, target)
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
      await handle?.close().catch(() => undefined)
      if (target) {
        await unlink(`${target}.partial`).catch(() => undefined)
        await unlink(target).catch(() => undefined)
      }
      const cancelled = error instanceof AppError && error.code === 'Cancelled'
      this.report({
        transferId,
        direction: 'download',
        path,
        bytes: 0,
        total,
        state: cancelled ? 'cancelled' : 'failed',
        message: toAppError(error).message,
      })
    } finally {
      this.downloads.delete(transferId)
    }
  }

  /** Shows a finished download of this session in the file manager. */
  async showDownload(transferId: string): Promise<{ shown: boolean }> {
    const file = this.saved.get(transferId)
    if (!file || !this.options.showInFolder) return { shown: false }
    await this.options.showInFolder(file)
    return { shown: true }
  }

  private remember(transferId: string, file: string): void {
    this.saved.set(transferId, file)
    if (this.saved.size > rememberedDownloads) this.saved.delete(this.saved.keys().next().value!)
  }

  private report(progress: TransferProgress): void {
    this.options.onProgress(progress)
  }

  /**
   * Runs `use` with the pool's share; when the storage service refuses the key (it was
   * rotated), reads the key in use again and runs it once more.
   */
  private async withShare<T>(
    poolId: string,
    use: (opened: { share: ShareClient; account: string }) => Promise<T>,
  ): Promise<T> {
    const key = poolId.toLowerCase()
    const opened = await this.share(poolId)
    try {
      return await use(opened)
    } catch (error) {
      if (!keyRefused(error)) throw error
      // Unless another call has opened the share with the new key already.
      if (this.openedClients.get(key) === opened.share) {
        this.shares.delete(key)
        this.openedClients.delete(key)
      }
      return use(await this.share(poolId))
    }
  }

  private share(poolId: string): Promise<{ share: ShareClient; account: string }> {
    const key = poolId.toLowerCase()
    let found = this.shares.get(key)
    if (!found) {
      found = (async () => {
        const ref = await this.options.shareOf(poolId)
        const context = await this.options.context(ref.subscriptionId)
        const service = await openShareService(context, ref)
        const share = service.getShareClient(await pickShare(service))
        this.openedClients.set(key, share)
        return { share, account: ref.account }
      })()
      found.catch(() => this.shares.delete(key))
      this.shares.set(key, found)
    }
    return found
  }
}

/** The listing without uploads still on their way (theirs or a teammate's). */
const visible = (entries: ShareEntry[]) => entries.filter((e) => !isUploadingName(e.name))

/**
 * The first of "name.ext", "name (1).ext", "name (2).ext"… that does not exist, created
 * empty at once (exclusive create) so that two downloads never pick the same name and a file
 * already there is never overwritten; the finished download is renamed onto it.
 */
async function reserveFreeName(dir: string, name: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = join(dir, n === 0 ? name : numberedName(name, n))
    try {
      await (await open(candidate, 'wx', 0o600)).close()
      return candidate
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}
