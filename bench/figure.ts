/** One printed benchmark result. Ratios are measured side by side in the same run. */
export interface Figure {
  name: string
  value: number
  unit: string
  note?: string
}

export interface Bench {
  title: string
  run(): Promise<Figure[]>
}

/** Median wall time of `fn` in milliseconds over `runs` runs, after `warmup` unmeasured ones. */
export async function medianMs(fn: () => unknown, runs = 15, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}
