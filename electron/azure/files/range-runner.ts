import { AppError } from '../../../shared/errors'
import { AdaptiveLimit, type LimitOptions } from './adaptive-limit'
import type { ByteRange, RangeJournal } from './range-plan'

/*
 * The transfer engine: moves ranges in parallel under an adaptive limit, each range retried
 * on its own. Ranges are added as they become ready (add() waits while the limit is
 * reached, which is the back-pressure for a reader or a stream of chunks); drain() waits
 * for the last. A dropped connection is retried for as long as the outage lasts (up to
 * `outageMs` without any range finishing); finished ranges are recorded in the journal and
 * never sent again. Cancel rejects at once and aborts the requests in flight.
 */

export interface RunnerOptions {
  signal?: AbortSignal
  concurrency?: LimitOptions
  /** Base wait before a range is tried again; doubles per attempt (tests use 0). */
  retryDelayMs?: number
  /** Tries per range when the service answers with an error worth retrying (default 4). */
  attempts?: number
  /** How long dropped connections are retried without any range finishing (default 2 min). */
  outageMs?: number
  /** Finished ranges; ranges already in it are skipped by callers that plan from it. */
  journal?: RangeJournal
  /** Told when a range is tried again after the SDK's own retries gave up. */
  onRetry?: (attempt: number, error: unknown) => void
  onRangeDone?: (range: ByteRange) => void
  /** Clock for the outage limit (tests). */
  now?: () => number
}

type FailureKind = 'cancelled' | 'permanent' | 'service' | 'link'

/** A range whose bytes did not match the MD5 the service computed for them. */
export class IntegrityError extends Error {
  constructor(range: ByteRange) {
    super(`The bytes at ${range.offset} (${range.count}) did not match their MD5 from the share.`)
    this.name = 'IntegrityError'
  }
}

export function cancelled(): AppError {
  return new AppError('Cancelled', 'The transfer was cancelled.')
}

const linkErrorCodes = new Set([
  'REQUEST_SEND_ERROR',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
])

export function failureKind(error: unknown, signal?: AbortSignal): FailureKind {
  if (signal?.aborted || (error as Error | undefined)?.name === 'AbortError') return 'cancelled'
  if (error instanceof IntegrityError) return 'service'
  const { statusCode, code, message } = (error ?? {}) as {
    statusCode?: number
    code?: string
    message?: string
  }
  if (statusCode !== undefined) {
    if (statusCode === 408 || statusCode === 429 || statusCode >= 500) return 'service'
    // Put Range refused the body: it changed on the way, so sending it again is the remedy.
    if (statusCode === 400 && code === 'Md5Mismatch') return 'service'
    return 'permanent'
  }
  if ((code && linkErrorCodes.has(code)) || /socket hang up|ECONNRESET/i.test(message ?? ''))
    return 'link'
  return 'permanent'
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}

export class RangeRunner {
  private readonly limit: AdaptiveLimit
  /** Aborts the requests in flight on cancel or on the first failure that ends the transfer. */
  private readonly controller = new AbortController()
  private readonly running = new Set<Promise<void>>()
  private wakeUp: (() => void) | undefined
  private failure: unknown
  private lastProgressAt: number
  private successesSinceCut = 1
  private readonly now: () => number

  constructor(
    private readonly move: (range: ByteRange, signal: AbortSignal) => Promise<void>,
    private readonly options: RunnerOptions = {},
  ) {
    this.limit = new AdaptiveLimit(options.concurrency)
    this.now = options.now ?? Date.now
    this.lastProgressAt = this.now()
    const outer = options.signal
    if (outer) {
      if (outer.aborted) this.stop(cancelled())
      else outer.addEventListener('abort', () => this.stop(cancelled()), { once: true })
    }
  }

  /** Ranges allowed in flight now (for figures and tests). */
  get concurrency(): number {
    return this.limit.current
  }

  /** Starts moving `range` once a slot is free; throws if the transfer has already failed. */
  async add(range: ByteRange): Promise<void> {
    for (;;) {
      this.throwIfStopped()
      if (this.running.size < this.limit.current) break
      await this.nextSettled()
    }
    const task: Promise<void> = this.moveWithRetry(range).then(
      () => {
        this.options.journal?.markDone(range)
        this.options.onRangeDone?.(range)
      },
      (error: unknown) => this.stop(error),
    )
    this.running.add(task)
    void task.finally(() => {
      this.running.delete(task)
      this.wake()
    })
  }

  /** Waits for every range added; throws the failure that stopped the transfer, if any. */
  async drain(): Promise<void> {
    for (;;) {
      this.throwIfStopped()
      if (this.running.size === 0) return
      await this.nextSettled()
    }
  }

  /** Moves every range (in order of start) and waits for them all. */
  async runAll(ranges: Iterable<ByteRange>): Promise<void> {
    try {
      for (const range of ranges) await this.add(range)
      await this.drain()
    } catch (error) {
      this.stop(error)
      throw error
    }
  }

  private async moveWithRetry(range: ByteRange): Promise<void> {
    const signal = this.controller.signal
    const attempts = this.options.attempts ?? 4
    for (let attempt = 1, serviceFailures = 0; ; attempt++) {
      if (signal.aborted) throw this.failure ?? cancelled()
      try {
        await this.move(range, signal)
        this.lastProgressAt = this.now()
        this.successesSinceCut++
        this.limit.succeeded()
        return
      } catch (error) {
        const kind = failureKind(error, signal)
        if (kind === 'cancelled') throw this.failure ?? cancelled()
        if (kind === 'permanent') throw error
        if (kind === 'service' && ++serviceFailures >= attempts) throw error
        if (
          kind === 'link' &&
          this.now() - this.lastProgressAt > (this.options.outageMs ?? 120_000)
        )
          throw error
        // Halve once per push-back, not once per range that saw the same one.
        if (this.successesSinceCut > 0) {
          this.limit.pushedBack()
          this.successesSinceCut = 0
        }
        this.options.onRetry?.(attempt, error)
        const base = this.options.retryDelayMs ?? 250
        await delay(Math.min(base * 2 ** (attempt - 1), 5_000), signal)
      }
    }
  }

  private stop(error: unknown): void {
    this.failure ??= error
    this.controller.abort()
    this.wake()
  }

  private throwIfStopped(): void {
    if (this.failure !== undefined) throw this.failure
  }

  private nextSettled(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wakeUp
      this.wakeUp = () => {
        previous?.()
        resolve()
      }
    })
  }

  private wake(): void {
    const wake = this.wakeUp
    this.wakeUp = undefined
    wake?.()
  }
}
