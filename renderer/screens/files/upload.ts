import type { ApiClient } from '../../api'

/*
 * Uploads a file the person picked or dropped: the renderer reads it in chunks and sends
 * each through files.uploadChunk (validated in main, written there as a range with retry).
 * Cancel stops between chunks and tells main to remove the partial file.
 */

export interface UploadHandle {
  transferId: Promise<string>
  done: Promise<void>
  cancel(): void
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function uploadFile(
  client: ApiClient,
  poolId: string,
  folder: string,
  file: File,
): UploadHandle {
  let cancelled = false
  let resolveId: (id: string) => void = () => undefined
  const transferId = new Promise<string>((resolve) => (resolveId = resolve))
  const path = folder ? `${folder}/${file.name}` : file.name
  const done = (async () => {
    const started = await client.call('files.uploadStart', { poolId, path, size: file.size })
    resolveId(started.transferId)
    try {
      for (let offset = 0; offset < file.size; offset += started.chunkBytes) {
        if (cancelled) return
        const chunk = new Uint8Array(
          await file.slice(offset, offset + started.chunkBytes).arrayBuffer(),
        )
        await client.call('files.uploadChunk', {
          transferId: started.transferId,
          offset,
          data: toBase64(chunk),
        })
      }
    } catch (error) {
      // A chunk in flight when the person cancelled fails on purpose.
      if (!cancelled) throw error
    }
  })()
  return {
    transferId,
    done,
    cancel() {
      cancelled = true
      void transferId.then((id) => client.call('files.cancel', { transferId: id }))
    },
  }
}
