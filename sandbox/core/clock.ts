/**
 * Simulated time for the sandbox. It runs `timeScale` times faster than real time (0: it
 * stands still and only `advance()` moves it), and tests can jump it forward with `advance()`. Everything in the sandbox that "takes time"
 * (VM start, deployment, autoscale evaluation, cost history) is scheduled on this clock.
 */
export interface ScheduledTask {
  cancel(): void
}

interface Task {
  due: number
  seq: number
  run: () => void
  cancelled: boolean
}

export class SandboxClock {
  private baseSim: number
  private baseReal: number
  private timeScale: number
  private offset = 0
  private tasks: Task[] = []
  private seq = 0
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor(options: { start?: number; timeScale?: number } = {}) {
    this.baseSim = options.start ?? Date.now()
    this.baseReal = performance.now()
    this.timeScale = options.timeScale ?? 1
  }

  /** Milliseconds since the epoch, in sandbox time. */
  now(): number {
    return this.baseSim + (performance.now() - this.baseReal) * this.timeScale + this.offset
  }

  nowIso(): string {
    return new Date(this.now()).toISOString()
  }

  getTimeScale(): number {
    return this.timeScale
  }

  setTimeScale(timeScale: number): void {
    if (!(timeScale >= 0) || !Number.isFinite(timeScale))
      throw new RangeError('timeScale must be 0 (stopped) or positive')
    this.baseSim = this.now() - this.offset
    this.baseReal = performance.now()
    this.timeScale = timeScale
    this.rearm()
  }

  /**
   * Moves sandbox time forward and runs everything that falls due, in order. Time steps from
   * one task to the next, so each task sees now() at its own due time (an autoscale tick an
   * hour into the jump acts at that hour, not at the end).
   */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('The sandbox clock cannot go back')
    const target = this.now() + ms
    for (;;) {
      while (this.tasks[0]?.cancelled) this.tasks.shift()
      const next = this.tasks[0]
      if (!next || next.due > target) break
      if (next.due > this.now()) this.offset += next.due - this.now()
      this.tasks.shift()
      this.runTask(next)
    }
    const remaining = target - this.now()
    if (remaining > 0) this.offset += remaining
    this.runDue()
  }

  /**
   * Moves sandbox time forward in one step, as after a long pause (a laptop asleep): what
   * fell due runs once, at the new time, and repeating tasks skip their missed ticks. For
   * jumps of months (a client secret's lifetime) that advance() would walk tick by tick.
   */
  jump(ms: number): void {
    if (ms < 0) throw new RangeError('The sandbox clock cannot go back')
    this.offset += ms
    this.runDue()
  }

  at(due: number, run: () => void): ScheduledTask {
    const task: Task = { due, seq: this.seq++, run, cancelled: false }
    this.tasks.push(task)
    this.tasks.sort((a, b) => a.due - b.due || a.seq - b.seq)
    this.rearm()
    return {
      cancel: () => {
        task.cancelled = true
      },
    }
  }

  after(ms: number, run: () => void): ScheduledTask {
    return this.at(this.now() + ms, run)
  }

  /** Runs `run` every `ms` of sandbox time until cancelled. */
  every(ms: number, run: () => void): ScheduledTask {
    let current: ScheduledTask
    let stopped = false
    // Each tick is due `ms` after the previous one's due time, so a jump of an hour runs 60
    // one-minute ticks rather than one.
    let due = this.now() + ms
    const tick = () => {
      if (stopped) return
      // After a long real-time pause (a laptop asleep) skip the missed ticks instead of
      // running them all at once.
      due = due + ms < this.now() - ms ? this.now() : due + ms
      current = this.at(due, tick)
      run()
    }
    current = this.at(due, tick)
    return {
      cancel: () => {
        stopped = true
        current.cancel()
      },
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.tasks = []
  }

  private runDue(): void {
    // A task may schedule more tasks that are already due; keep going until none is.
    for (;;) {
      const next = this.tasks[0]
      if (!next || next.due > this.now()) break
      this.tasks.shift()
      this.runTask(next)
    }
    this.rearm()
  }

  private runTask(task: Task): void {
    if (task.cancelled) return
    try {
      task.run()
    } catch (error) {
      console.error('[sandbox] scheduled task failed', error)
    }
  }

  private rearm(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.closed) return
    while (this.tasks[0]?.cancelled) this.tasks.shift()
    const next = this.tasks[0]
    if (!next || this.timeScale === 0) return
    const realDelay = Math.max(0, (next.due - this.now()) / this.timeScale)
    this.timer = setTimeout(() => this.runDue(), Math.min(realDelay, 2 ** 31 - 1))
    this.timer.unref()
  }
}
