import { afterEach, describe, expect, it } from 'vitest'
import { SandboxClock } from '../../../../sandbox/core/clock'

/*
 * jump(): months of sandbox time in one step (a client secret nearing its end), as after a
 * laptop's sleep: what fell due runs once, periodic tasks skip their missed ticks.
 */
const clocks: SandboxClock[] = []
afterEach(() => {
  for (const c of clocks.splice(0)) c.close()
})

describe('sandbox clock jump', () => {
  it('moves two years ahead at once: a periodic task runs a couple of times, not a million', () => {
    const c = new SandboxClock({ start: Date.UTC(2026, 0, 5, 8, 0), timeScale: 0 })
    clocks.push(c)
    const start = c.now()
    let ticks = 0
    let once = 0
    c.every(60_000, () => ticks++)
    c.after(3_600_000, () => once++)
    c.jump(730 * 86_400_000)
    expect(c.now() - start).toBe(730 * 86_400_000)
    expect(once).toBe(1)
    expect(ticks).toBeGreaterThan(0)
    expect(ticks).toBeLessThanOrEqual(2)
    // And it keeps ticking once a minute afterwards.
    c.advance(5 * 60_000)
    expect(ticks).toBeGreaterThanOrEqual(6)
    expect(() => c.jump(-1)).toThrow(RangeError)
  })
})
