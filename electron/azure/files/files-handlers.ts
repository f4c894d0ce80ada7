import type { HandlersFor } from '../../ipc/handlers'
import type { FilesService } from './files-service'

/** files.*: the pool's share, browsed and transferred over HTTPS. */
export function filesHandlers({ files }: { files: FilesService }) {
  return {
    'files.open': ({ poolId }) => files.open(poolId),
    'files.list': ({ poolId, path }) => files.list(poolId, path),
    'files.createFolder': async ({ poolId, parent, name }) => ({
      path: await files.createFolder(poolId, parent, name),
    }),
    'files.rename': async ({ poolId, path, kind, newName }) => ({
      path: await files.rename(poolId, path, kind, newName),
    }),
    'files.delete': async ({ poolId, path, kind }) => {
      await files.remove(poolId, path, kind)
      return { deleted: true }
    },
    'files.uploadStart': ({ poolId, path, size, onExisting }) =>
      files.startUpload(poolId, path, size, onExisting),
    'files.uploadResolve': ({ transferId, onExisting }) =>
      files.resolveUpload(transferId, onExisting),
    'files.existing': ({ poolId, folder, names }) => files.existing(poolId, folder, names),
    'files.folderSummary': ({ poolId, path }) => files.folderSummary(poolId, path),
    'files.showDownload': ({ transferId }) => files.showDownload(transferId),
    'files.uploadChunk': ({ transferId, offset, data }) =>
      files.uploadChunk(transferId, offset, Buffer.from(data, 'base64')),
    'files.download': ({ poolId, path }) => files.startDownload(poolId, path),
    'files.cancel': ({ transferId }) => files.cancel(transferId),
  } satisfies HandlersFor<'files'>
}
