import { describe, expect, it } from 'vitest'
import { AdaptiveLimit } from '../../../electron/azure/files/adaptive-limit'
import { RangeJournal, rangesOf, type ByteRange } from '../../../electron/azure/files/range-plan'
import {
  failureKind,
  IntegrityError,
  RangeRunner,
} from '../../../electron/azure/files/range-runner'

/*
 * The transfer engine's rules with moves the test controls: how many ranges are in flight,
 * what is retried and what is not, and that cancel does not wait for the ranges in flight.
 */

/** A move the test finishes or fails by hand, range by range. */
function controlledMoves() {
  const pending = new Map<number, { resolve(): void; reject(error: unknown): void }>()
  let inFlight = 0
  let most = 0
  const moves: number[] = []
  const move = (range: ByteRange, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      moves.push(range.index)
      inFlight++
      most = Math.max(most, inFlight)
      let settled = false
      const settle = () => {
        if (!settled) inFlight--
        settled = true
      }
      signal.addEventListener('abort', () => {
        settle()
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
      })
      pending.set(range.index, {
        resolve: () => (settle(), resolve()),
        reject: (error) => (settle(), reject(error)),
      })
    })
  const tick = () => new Promise((resolve) => setImmediate(resolve))
  return {
    move,
    moves,
    pending,
    tick,
    get inFlight() {
      return inFlight
    },
    get most() {
      return most
    },
  }
}

const status = (statusCode: number, code?: string) =>
  Object.assign(new Error(`status ${statusCode}`), { statusCode, code })
const dropped = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })

describe('the adaptive limit', () => {
  it('grows by one range per window of successes, halves on push-back, and stays within bounds', () => {
    const limit = new AdaptiveLimit({ initial: 2, max: 4 })
    limit.succeeded()
    limit.succeeded()
    expect(limit.current).toBe(3)
    for (let i = 0; i < 20; i++) limit.succeeded()
    expect(limit.current).toBe(4)
    limit.pushedBack()
    expect(limit.current).toBe(2)
    limit.pushedBack()
    limit.pushedBack()
    expect(limit.current).toBe(1)
  })
})

describe('what is worth trying again', () => {
  it('retries throttling, server errors, refused MD5 and bytes that do not match; not other refusals', () => {
    expect(failureKind(status(503))).toBe('service')
    expect(failureKind(status(429))).toBe('service')
    expect(failureKind(status(400, 'Md5Mismatch'))).toBe('service')
    expect(failureKind(new IntegrityError({ index: 0, offset: 0, count: 1 }))).toBe('service')
    expect(failureKind(dropped())).toBe('link')
    expect(failureKind(status(403))).toBe('permanent')
    expect(failureKind(status(404))).toBe('permanent')
    expect(failureKind(new Error('disk full'))).toBe('permanent')
  })
})

describe('the range runner', () => {
  it('never has more ranges in flight than its limit, and finishes them all', async () => {
    const moves = controlledMoves()
    const journal = new RangeJournal(10 * 4)
    const runner = new RangeRunner(moves.move, {
      concurrency: { initial: 3, max: 3 },
      journal,
    })
    const done = runner.runAll(rangesOf(40, 4))
    for (let round = 0; round < 20 && !journal.complete; round++) {
      await moves.tick()
      expect(moves.inFlight).toBeLessThanOrEqual(3)
      const first = [...moves.pending.keys()][0]
      if (first !== undefined) {
        moves.pending.get(first)!.resolve()
        moves.pending.delete(first)
      }
    }
    await done
    expect(journal.complete).toBe(true)
    expect(moves.most).toBe(3)
    expect(moves.moves.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('tries a dropped range again on its own and halves the ranges in flight', async () => {
    const moves = controlledMoves()
    const retried: number[] = []
    const runner = new RangeRunner(moves.move, {
      concurrency: { initial: 4, max: 8 },
      retryDelayMs: 0,
      onRetry: () => retried.push(1),
    })
    const done = runner.runAll(rangesOf(4 * 4, 4))
    await moves.tick()
    expect(runner.concurrency).toBe(4)
    moves.pending.get(2)!.reject(dropped())
    await moves.tick()
    expect(runner.concurrency).toBe(2)
    expect(retried).toHaveLength(1)
    for (const index of [0, 1, 3, 2]) {
      moves.pending.get(index)!.resolve()
      await moves.tick()
    }
    await done
    expect(moves.moves.filter((index) => index === 2)).toHaveLength(2)
    expect(moves.moves.filter((index) => index !== 2)).toHaveLength(3)
  })

  it('stops at the first refusal that will not change, and aborts the others in flight', async () => {
    const moves = controlledMoves()
    const runner = new RangeRunner(moves.move, { concurrency: { initial: 3, max: 3 } })
    const done = runner.runAll(rangesOf(6 * 4, 4))
    await moves.tick()
    moves.pending.get(1)!.reject(status(403))
    await expect(done).rejects.toMatchObject({ statusCode: 403 })
    await moves.tick()
    expect(moves.inFlight).toBe(0)
    expect(moves.moves).toHaveLength(3)
  })

  it('gives up on a server error after its tries', async () => {
    let tries = 0
    const runner = new RangeRunner(
      async () => {
        tries++
        throw status(500)
      },
      { attempts: 3, retryDelayMs: 0 },
    )
    await expect(runner.runAll(rangesOf(4, 4))).rejects.toMatchObject({ statusCode: 500 })
    expect(tries).toBe(3)
  })

  it('keeps trying dropped connections while the outage lasts, and gives up after it', async () => {
    let now = 0
    let tries = 0
    const runner = new RangeRunner(
      async () => {
        tries++
        now += 10_000
        throw dropped()
      },
      { retryDelayMs: 0, outageMs: 60_000, now: () => now },
    )
    await expect(runner.runAll(rangesOf(4, 4))).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(tries).toBe(7)
  })

  it('rejects at once on cancel, without waiting for the ranges in flight', async () => {
    const moves = controlledMoves()
    const controller = new AbortController()
    const runner = new RangeRunner(
      // Moves that ignore the signal: cancel must not wait for them.
      (range) => new Promise<void>(() => void moves.moves.push(range.index)),
      { signal: controller.signal },
    )
    const done = runner.runAll(rangesOf(8 * 4, 4))
    await moves.tick()
    controller.abort()
    await expect(done).rejects.toMatchObject({ code: 'Cancelled' })
  })
})
