import {
  existingEntrySchema,
  type ExistingEntry,
  type OnExisting,
  type CallOutput,
} from '../../../shared/api'
import { isApiError, type ApiClient } from '../../api'

/*
 * Uploads a file the person picked or dropped: the renderer reads it in chunks and sends
 * each through files.uploadChunk (validated in main, written there as a range with retry).
 * Cancel stops between chunks and tells main to remove the partial file. When the name is
 * taken (at the start, or found taken or changed once every byte is there) `ask` decides:
 * replace the file seen, keep both, or skip.
 */

export interface UploadHandle {
  transferId: Promise<string>
  /** Where the file ended up; undefined when it was skipped or cancelled. */
  done: Promise<string | undefined>
  cancel(): void
}

export type Choice = OnExisting | 'skip'
/** Asks the person about a taken name; `changed`: the file changed after they chose Replace. */
export type AskAboutExisting = (existing: ExistingEntry, changed: boolean) => Promise<Choice>

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** The taken name a Conflict from files.uploadStart is about, if it is one. */
function conflictOf(error: unknown): { existing: ExistingEntry; changed: boolean } | undefined {
  if (!isApiError(error, 'Conflict')) return undefined
  const existing = existingEntrySchema.safeParse(error.details?.existing)
  return existing.success
    ? { existing: existing.data, changed: error.details?.changed === true }
    : undefined
}

export function uploadFile(
  client: ApiClient,
  poolId: string,
  folder: string,
  file: File,
  options: { onExisting?: OnExisting; ask: AskAboutExisting },
): UploadHandle {
  let cancelled = false
  let resolveId: (id: string) => void = () => undefined
  const transferId = new Promise<string>((resolve) => (resolveId = resolve))
  const path = folder ? `${folder}/${file.name}` : file.name
  const done = (async (): Promise<string | undefined> => {
    let onExisting: OnExisting = options.onExisting ?? 'ask'
    let started: CallOutput<'files.uploadStart'> | undefined
    while (!started) {
      try {
        started = await client.call('files.uploadStart', {
          poolId,
          path,
          size: file.size,
          onExisting,
        })
      } catch (error) {
        const conflict = conflictOf(error)
        if (!conflict) throw error
        const choice = await options.ask(conflict.existing, conflict.changed)
        if (choice === 'skip') return undefined
        onExisting = choice
      }
    }
    resolveId(started.transferId)
    if (file.size === 0) return path
    try {
      let answer: { path?: string; conflict?: ExistingEntry; changed?: boolean } = {}
      for (let offset = 0; offset < file.size; offset += started.chunkBytes) {
        if (cancelled) return undefined
        const chunk = new Uint8Array(
          await file.slice(offset, offset + started.chunkBytes).arrayBuffer(),
        )
        answer = await client.call('files.uploadChunk', {
          transferId: started.transferId,
          offset,
          data: toBase64(chunk),
        })
      }
      // The name was taken, or the file replaced changed, while the bytes were on their way.
      while (answer.conflict) {
        const choice = await options.ask(answer.conflict, answer.changed === true)
        answer = await client.call('files.uploadResolve', {
          transferId: started.transferId,
          onExisting: choice,
        })
      }
      return answer.path
    } catch (error) {
      // A chunk in flight when the person cancelled fails on purpose.
      if (!cancelled) throw error
      return undefined
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
