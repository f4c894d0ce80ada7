/*
 * A file as a list of ranges, and the journal of the ranges already moved: what a transfer
 * that resumes reads to send only what is missing.
 */

/** 4 MiB: Azure Files' largest single Put Range, and the largest range it hashes on Get. */
export const rangeSize = 4 * 1024 * 1024

export interface ByteRange {
  /** Position in the file's list of ranges. */
  index: number
  offset: number
  count: number
}

/** The ranges of a file of `size` bytes (none for an empty file). */
export function rangesOf(size: number, each = rangeSize): ByteRange[] {
  const ranges: ByteRange[] = []
  for (let offset = 0, index = 0; offset < size; offset += each, index++)
    ranges.push({ index, offset, count: Math.min(each, size - offset) })
  return ranges
}

/**
 * Which ranges of one transfer are finished. Kept by the caller across attempts: a transfer
 * given the journal of an earlier, interrupted one sends only the ranges it lacks.
 */
export class RangeJournal {
  private readonly done = new Set<number>()
  private doneBytes = 0
  /** The version the ranges were read from (a download's ETag): a changed file starts over. */
  version: string | undefined

  constructor(readonly size: number) {}

  has(range: ByteRange): boolean {
    return this.done.has(range.index)
  }

  markDone(range: ByteRange): void {
    if (this.done.has(range.index)) return
    this.done.add(range.index)
    this.doneBytes += range.count
  }

  /** Bytes of the finished ranges. */
  get bytes(): number {
    return this.doneBytes
  }

  get complete(): boolean {
    return this.doneBytes >= this.size
  }

  /** The ranges still to move. */
  pending(): ByteRange[] {
    return rangesOf(this.size).filter((range) => !this.done.has(range.index))
  }
}
