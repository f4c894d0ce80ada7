import { createHash } from 'node:crypto'
import type { ShareFileClient } from '@azure/storage-file-share'
import { RangeJournal, rangeSize, type ByteRange } from './range-plan'
import { cancelled, IntegrityError, RangeRunner, type RunnerOptions } from './range-runner'

/*
 * Large files move in 4 MiB ranges, several in flight at once (range-runner.ts), each one
 * checked on the way: Put Range carries the range's Content-MD5 (the share refuses a body
 * that does not match it), and a ranged Get asks for x-ms-range-get-content-md5 (the share
 * hashes ranges up to 4 MiB) and is compared with the bytes that arrived. Pass a journal to
 * resume an interrupted transfer: only the ranges it lacks are sent.
 */

export { rangeSize, RangeJournal }

export interface TransferOptions extends Pick<
  RunnerOptions,
  'signal' | 'concurrency' | 'retryDelayMs' | 'attempts' | 'outageMs' | 'onRetry' | 'now'
> {
  /** Bytes finished so far (ranges may finish out of order) and the total. */
  onProgress?: (bytes: number, total: number) => void
  /** Finished ranges of this transfer; an earlier attempt's journal resumes it. */
  journal?: RangeJournal
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest()

/** Calls one request with the runner's retry rules (file create, properties). */
async function once<T>(run: (signal: AbortSignal) => Promise<T>, options: TransferOptions) {
  const { signal, retryDelayMs, attempts, outageMs, onRetry, now } = options
  let result: T | undefined
  await new RangeRunner(
    async (_range, rangeSignal) => {
      result = await run(rangeSignal)
    },
    { signal, retryDelayMs, attempts, outageMs, onRetry, now, concurrency: { max: 1 } },
  ).runAll([{ index: 0, offset: 0, count: 0 }])
  return result as T
}

/** Creates the file at its full size (unless resuming), then writes every range it lacks. */
export async function uploadInRanges(
  file: ShareFileClient,
  size: number,
  read: (offset: number, count: number) => Promise<Buffer>,
  options: TransferOptions = {},
): Promise<void> {
  const journal = options.journal ?? new RangeJournal(size)
  if (journal.bytes === 0)
    await once((signal) => file.create(size, { abortSignal: signal }), options)
  options.onProgress?.(journal.bytes, size)
  await writeRanges(file, 0, size, read, { ...options, journal })
}

/** Put Range of one range, with its MD5 for the share to check. */
export async function putRange(
  file: ShareFileClient,
  offset: number,
  body: Buffer,
  signal: AbortSignal,
): Promise<void> {
  await file.uploadRange(body, offset, body.length, { abortSignal: signal, contentMD5: md5(body) })
}

/**
 * Writes `count` bytes from `read` into an existing file starting at `start`, ranges in
 * parallel; progress counts the bytes written by this call (ranges of the journal count as
 * written).
 */
export async function writeRanges(
  file: ShareFileClient,
  start: number,
  count: number,
  read: (offset: number, count: number) => Promise<Buffer>,
  options: TransferOptions = {},
): Promise<void> {
  const journal = options.journal ?? new RangeJournal(count)
  const runner = new RangeRunner(
    async (range, signal) =>
      putRange(file, start + range.offset, await read(range.offset, range.count), signal),
    {
      ...options,
      journal,
      onRangeDone: () => options.onProgress?.(journal.bytes, count),
    },
  )
  await runner.runAll(journal.pending())
}

/** One range read in full, compared with the MD5 the share computed for it. */
export async function getRange(
  file: ShareFileClient,
  range: ByteRange,
  signal: AbortSignal,
): Promise<Buffer> {
  const checked = range.count <= rangeSize
  const response = await file.download(range.offset, range.count, {
    abortSignal: signal,
    rangeGetContentMD5: checked,
  })
  const body = response.readableStreamBody
  if (!body) throw new IntegrityError(range)
  const buffer = Buffer.allocUnsafe(range.count)
  let filled = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (filled + chunk.length > range.count) throw new IntegrityError(range)
    chunk.copy(buffer, filled)
    filled += chunk.length
  }
  if (filled !== range.count) throw new IntegrityError(range)
  const expected = response.contentMD5
  if (checked && expected && !md5(buffer).equals(Buffer.from(expected)))
    throw new IntegrityError(range)
  return buffer
}

/**
 * Reads the file's ranges in parallel into `write(offset, bytes)` (in any order; writes of
 * different ranges may overlap in time); returns its size.
 */
export async function downloadInRanges(
  file: ShareFileClient,
  write: (offset: number, bytes: Buffer) => Promise<void>,
  options: TransferOptions = {},
): Promise<number> {
  const properties = await once((signal) => file.getProperties({ abortSignal: signal }), options)
  const size = properties.contentLength ?? 0
  const resumable =
    options.journal?.size === size &&
    (options.journal.version === undefined || options.journal.version === properties.etag)
  const journal = resumable ? options.journal! : new RangeJournal(size)
  journal.version = properties.etag
  options.onProgress?.(journal.bytes, size)
  const runner = new RangeRunner(
    async (range, signal) => {
      const bytes = await getRange(file, range, signal)
      if (signal.aborted) throw cancelled()
      await write(range.offset, bytes)
    },
    { ...options, journal, onRangeDone: () => options.onProgress?.(journal.bytes, size) },
  )
  await runner.runAll(journal.pending())
  return size
}
