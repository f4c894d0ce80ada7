import type { ShareFileClient } from '@azure/storage-file-share'
import { RangeJournal, rangeSize, type ByteRange } from './range-plan'
import { RangeRunner, type RunnerOptions } from './range-runner'
import { putRange } from './transfer'

/*
 * An upload that arrives as a stream of chunks in order (the renderer's files.uploadChunk
 * calls): chunks are gathered into 4 MiB ranges and each full range starts on the transfer
 * engine at once, so the next chunks are read while earlier ranges are on the wire.
 * accept() waits only while the engine's limit of ranges in flight is reached.
 */

export type ChunkedUploadOptions = Pick<
  RunnerOptions,
  'signal' | 'concurrency' | 'retryDelayMs' | 'attempts' | 'outageMs' | 'onRetry' | 'now'
> & {
  /** Bytes on the share so far (finished ranges) and the total. */
  onProgress?: (written: number, total: number) => void
}

export class ChunkedUpload {
  private readonly journal: RangeJournal
  private readonly runner: RangeRunner
  private readonly bodies = new Map<number, Buffer>()
  private gathered: Buffer[] = []
  private gatheredBytes = 0
  private nextRange: ByteRange = { index: 0, offset: 0, count: 0 }
  private received = 0

  constructor(
    file: ShareFileClient,
    private readonly size: number,
    options: ChunkedUploadOptions = {},
  ) {
    this.journal = new RangeJournal(size)
    this.runner = new RangeRunner(
      (range, signal) => putRange(file, range.offset, this.bodies.get(range.index)!, signal),
      {
        ...options,
        journal: this.journal,
        onRangeDone: (range) => {
          this.bodies.delete(range.index)
          options.onProgress?.(this.journal.bytes, size)
        },
      },
    )
  }

  /** Bytes on the share (finished ranges). */
  get written(): number {
    return this.journal.bytes
  }

  /** Takes the next chunk; starts every range it completes. */
  async accept(chunk: Buffer): Promise<void> {
    this.gathered.push(chunk)
    this.gatheredBytes += chunk.length
    this.received += chunk.length
    while (
      this.gatheredBytes >= rangeSize ||
      (this.received === this.size && this.gatheredBytes > 0)
    ) {
      const body = Buffer.concat(this.gathered, this.gatheredBytes)
      const count = Math.min(rangeSize, body.length)
      const range = { index: this.nextRange.index, offset: this.nextRange.offset, count }
      this.gathered = count < body.length ? [body.subarray(count)] : []
      this.gatheredBytes = body.length - count
      this.nextRange = { index: range.index + 1, offset: range.offset + count, count: 0 }
      this.bodies.set(range.index, body.subarray(0, count))
      await this.runner.add(range)
    }
  }

  /** Waits until every range is on the share. */
  finish(): Promise<void> {
    return this.runner.drain()
  }
}
