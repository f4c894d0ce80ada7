import { createPipelineRequest, RestError } from '@azure/core-rest-pipeline'
import { describe, expect, it } from 'vitest'
import { PoolPoller, type PollerTimers } from '../../../electron/azure/pools/poller'

/** The poller's timing rules, with a hand-moved clock and no pools to read. */

function fakeTimers(): PollerTimers & { advance(ms: number): void } {
  let now = Date.parse('2026-11-28T10:00:00Z')
  return {
    now: () => now,
    setTimeout: () => 0,
    clearTimeout: () => undefined,
    advance: (ms) => {
      now += ms
    },
  }
}

const intervals = { fastMs: 2_000, steadyMs: 20_000, idleMs: 120_000 }

function poller(timers = fakeTimers()) {
  return {
    timers,
    poller: new PoolPoller({
      clientsFor: () => Promise.reject(new Error('no clients in this test')),
      subscriptions: () => [],
      events: {
        poolsChanged: () => undefined,
        instancesChanged: () => undefined,
        status: () => undefined,
      },
      timers,
      intervals,
    }),
  }
}

const response = (
  status: number,
  headers: { remainingReads?: number; retryAfterSeconds?: number } = {},
) => ({
  subscriptionId: 's',
  method: 'GET',
  url: 'https://management.azure.com/x',
  status,
  ...headers,
})

describe('the poller interval', () => {
  it('is steady with a window open and slower with none', () => {
    const { poller: p } = poller()
    expect(p.nextInterval()).toBe(20_000)
    p.setWindowsOpen(0)
    expect(p.nextInterval()).toBe(120_000)
  })

  it('stretches as the remaining subscription reads fall', () => {
    const { poller: p } = poller()
    p.onResponse(response(200, { remainingReads: 11_000 }))
    expect(p.nextInterval()).toBe(20_000)
    p.onResponse(response(200, { remainingReads: 150 }))
    expect(p.nextInterval()).toBe(30_000)
    p.onResponse(response(200, { remainingReads: 60 }))
    expect(p.nextInterval()).toBe(60_000)
    p.onResponse(response(200, { remainingReads: 10 }))
    expect(p.nextInterval()).toBe(160_000)
  })

  it('waits out a 429 Retry-After in full and skips polls until then', async () => {
    const { poller: p, timers } = poller()
    p.onResponse(response(429, { retryAfterSeconds: 90, remainingReads: 0 }))
    expect(p.nextInterval()).toBeGreaterThanOrEqual(90_000)
    expect(p.status().throttledUntil).toBe('2026-11-28T10:01:30.000Z')
    await p.pollNow()
    expect(p.status().lastPollAt).toBeUndefined()
    timers.advance(91_000)
    await p.pollNow()
    expect(p.status().lastPollAt).toBeDefined()
    expect(p.status().throttledUntil).toBeUndefined()
  })

  it('tells a failed read in words, never the SDK’s own text', async () => {
    const request = createPipelineRequest({ url: 'https://management.azure.com/x' })
    const p = new PoolPoller({
      clientsFor: () =>
        Promise.reject(
          new RestError('Pagination failed with unexpected statusCode 503', {
            statusCode: 503,
            request,
          }),
        ),
      subscriptions: () => ['00000000-0000-4000-8000-000000000001'],
      events: {
        poolsChanged: () => undefined,
        instancesChanged: () => undefined,
        status: () => undefined,
      },
      timers: fakeTimers(),
      intervals,
    })
    await p.pollNow()
    expect(p.status().problem).toMatch(/temporary problem.*try again/i)
    expect(p.status().problem).not.toMatch(/Pagination|statusCode/)
  })

  it('says nothing more about a poll that was in flight when the app closed', async () => {
    let failRead: (error: Error) => void = () => undefined
    const logged: string[] = []
    const statuses: unknown[] = []
    const p = new PoolPoller({
      clientsFor: () =>
        new Promise((_, reject) => {
          failRead = reject
        }),
      subscriptions: () => ['00000000-0000-4000-8000-000000000001'],
      events: {
        poolsChanged: () => undefined,
        instancesChanged: () => undefined,
        status: (status) => statuses.push(status),
      },
      timers: fakeTimers(),
      intervals,
      log: (message) => logged.push(message),
    })
    p.start()
    const inFlight = p.pollNow()
    p.stop()
    failRead(new Error('socket closed'))
    await inFlight
    expect(logged).toEqual([])
    expect(statuses).toEqual([])
  })
})
