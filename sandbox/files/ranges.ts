/** A byte range `bytes=start-end` (end inclusive), as the Range and x-ms-range headers give it. */
export interface ByteRange {
  start: number
  /** Inclusive; undefined for an open range (`bytes=start-`). */
  end?: number
}

export function parseRange(value: string): ByteRange | undefined {
  const match = /^\s*bytes\s*=\s*(\d+)\s*-\s*(\d*)\s*$/i.exec(value)
  if (!match) return undefined
  const start = Number(match[1])
  const end = match[2] === '' ? undefined : Number(match[2])
  if (end !== undefined && end < start) return undefined
  return end === undefined ? { start } : { start, end }
}
