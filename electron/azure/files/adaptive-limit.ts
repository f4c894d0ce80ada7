/*
 * How many ranges may be in flight at once: additive increase while ranges succeed, halved
 * when the service or the link pushes back (throttling, server errors, dropped connections).
 * TCP's own rule (AIMD), applied to whole requests; bounded above so one transfer cannot
 * hold more than `max` ranges (and their buffers) at a time.
 */

export interface LimitOptions {
  /** Ranges in flight at the start (default 4). */
  initial?: number
  /** Never more than this (default 16). */
  max?: number
}

export class AdaptiveLimit {
  private window: number
  readonly max: number

  constructor(options: LimitOptions = {}) {
    this.max = Math.max(1, Math.floor(options.max ?? 16))
    this.window = Math.min(this.max, Math.max(1, options.initial ?? 4))
  }

  /** Ranges allowed in flight now. */
  get current(): number {
    return Math.floor(this.window)
  }

  /** A range finished: grow by one range per window's worth of successes. */
  succeeded(): void {
    this.window = Math.min(this.max, this.window + 1 / Math.floor(this.window))
  }

  /** A range was pushed back: halve, never below one. */
  pushedBack(): void {
    this.window = Math.max(1, this.window / 2)
  }
}
