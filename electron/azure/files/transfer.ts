import type { ShareFileClient } from '@azure/storage-file-share'
import { AppError } from '../../../shared/errors'

/*
 * Large files move in ranges (4 MiB, Azure Files' largest single range write), each range
 * retried on its own after the SDK's own retries give up, so a reset in the middle of a
 * 50 MiB file costs one range, not the file. Progress is reported after each range; an
 * AbortSignal stops between (and inside) ranges.
 */

export const rangeSize = 4 * 1024 * 1024
const rangeAttempts = 4

export interface TransferOptions {
  signal?: AbortSignal
  onProgress?: (bytes: number, total: number) => void
  /** Wait before a range is tried again (tests use 0). */
  retryDelayMs?: number
  /** Told when a range is tried again after the SDK's own retries gave up. */
  onRetry?: (attempt: number, error: unknown) => void
}

async function withRetry<T>(run: () => Promise<T>, options: TransferOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw cancelled()
    try {
      return await run()
    } catch (error) {
      if (options.signal?.aborted || (error as Error).name === 'AbortError') throw cancelled()
      const status = (error as { statusCode?: number }).statusCode
      const permanent =
        status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429
      if (permanent || attempt >= rangeAttempts) throw error
      options.onRetry?.(attempt, error)
      await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 500) * attempt))
    }
  }
}

function cancelled(): AppError {
  return new AppError('Cancelled', 'The transfer was cancelled.')
}

/** Creates the file at its full size, then writes `read(offset, count)` range by range. */
export async function uploadInRanges(
  file: ShareFileClient,
  size: number,
  read: (offset: number, count: number) => Promise<Buffer>,
  options: TransferOptions = {},
): Promise<void> {
  await withRetry(() => file.create(size, { abortSignal: options.signal }), options)
  options.onProgress?.(0, size)
  await writeRanges(file, 0, size, read, options)
}

/**
 * Writes `count` bytes from `read` into an existing file starting at `start`, a range at a
 * time; progress counts the bytes written by this call.
 */
export async function writeRanges(
  file: ShareFileClient,
  start: number,
  count: number,
  read: (offset: number, count: number) => Promise<Buffer>,
  options: TransferOptions = {},
): Promise<void> {
  for (let offset = 0; offset < count; offset += rangeSize) {
    const length = Math.min(rangeSize, count - offset)
    const body = await read(offset, length)
    await withRetry(
      () => file.uploadRange(body, start + offset, length, { abortSignal: options.signal }),
      options,
    )
    options.onProgress?.(offset + length, count)
  }
}

/** Reads the file range by range into `write(offset, bytes)`; returns its size. */
export async function downloadInRanges(
  file: ShareFileClient,
  write: (offset: number, bytes: Buffer) => Promise<void>,
  options: TransferOptions = {},
): Promise<number> {
  const { contentLength } = await withRetry(
    () => file.getProperties({ abortSignal: options.signal }),
    options,
  )
  const size = contentLength ?? 0
  options.onProgress?.(0, size)
  for (let offset = 0; offset < size; offset += rangeSize) {
    const count = Math.min(rangeSize, size - offset)
    const bytes = await withRetry(async () => {
      const buffer = Buffer.alloc(count)
      await file.downloadToBuffer(buffer, offset, count, { abortSignal: options.signal })
      return buffer
    }, options)
    await write(offset, bytes)
    options.onProgress?.(offset + count, size)
  }
  return size
}
