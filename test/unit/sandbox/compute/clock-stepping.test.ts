import { afterEach, describe, expect, it } from 'vitest'
import { SandboxClock } from '../../../../sandbox/core/clock'

/*
 * Autoscale and instance power states depend on how the sandbox clock steps through time
 * when tests jump it forward: every periodic task must run once per period, at its own time.
 */
const clocks: SandboxClock[] = []
const clock = () => {
  const c = new SandboxClock({ start: Date.UTC(2026, 0, 5, 8, 0), timeScale: 1 })
  clocks.push(c)
  return c
}
afterEach(() => {
  for (const c of clocks.splice(0)) c.close()
})

describe('sandbox clock', () => {
  it('runs a periodic task once per period during a long jump, each at its own time', () => {
    const c = clock()
    const start = c.now()
    const seen: number[] = []
    c.every(60_000, () => seen.push(c.now() - start))
    c.advance(60 * 60_000)
    expect(seen).toHaveLength(60)
    seen.forEach((elapsed, i) => expect(Math.round(elapsed / 1000)).toBe((i + 1) * 60))
  })

  it('stands still at time scale 0: only advance() moves it and runs what falls due', async () => {
    const c = new SandboxClock({ start: Date.UTC(2026, 0, 5, 8, 0), timeScale: 0 })
    clocks.push(c)
    const start = c.now()
    let ran = false
    c.after(1, () => (ran = true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(c.now()).toBe(start)
    expect(ran).toBe(false)
    c.advance(1)
    expect(ran).toBe(true)
    expect(c.now()).toBe(start + 1)
    expect(() => c.setTimeScale(-1)).toThrow(RangeError)
  })

  it('lets a task scheduled during a jump run within the same jump', () => {
    const c = clock()
    const order: string[] = []
    c.after(10_000, () => {
      order.push('first')
      c.after(5_000, () => order.push('scheduled by first'))
    })
    c.after(20_000, () => order.push('second'))
    c.advance(30_000)
    expect(order).toEqual(['first', 'scheduled by first', 'second'])
  })

  it('ends a jump exactly where it was asked to', () => {
    const c = clock()
    const start = c.now()
    c.every(7_000, () => undefined)
    c.advance(100_000)
    expect(Math.round((c.now() - start) / 1000)).toBe(100)
  })
})
