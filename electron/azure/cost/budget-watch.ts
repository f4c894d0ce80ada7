/**
 * Checks pools with a budget in the background (so a notification comes also while nobody
 * looks at the pool): when a pool with a budget appears or its budget changes, and then at
 * most once per interval. Cost Management throttles hard; the cost client's own cache and
 * Retry-After handling stay in charge of how often it is really asked.
 */
export class BudgetWatch {
  private readonly checked = new Map<string, { at: number; budget: number }>()

  constructor(
    private readonly check: (poolId: string) => Promise<unknown>,
    private readonly options: {
      now?: () => number
      /** Default one hour. */
      everyMs?: number
      onError?: (poolId: string, error: unknown) => void
    } = {},
  ) {}

  /** Called with every pool summary the poller pushes. */
  consider(pool: { id: string; budget?: number | undefined }): void {
    const key = pool.id.toLowerCase()
    if (pool.budget === undefined) {
      this.checked.delete(key)
      return
    }
    const now = (this.options.now ?? Date.now)()
    const last = this.checked.get(key)
    const due =
      !last || last.budget !== pool.budget || now - last.at >= (this.options.everyMs ?? 3_600_000)
    if (!due) return
    this.checked.set(key, { at: now, budget: pool.budget })
    this.check(pool.id).catch((error: unknown) => this.options.onError?.(pool.id, error))
  }

  forget(poolId: string): void {
    this.checked.delete(poolId.toLowerCase())
  }
}
