import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  budgetAlertKey,
  budgetStatus,
  newBudgetAlerts,
  type BudgetAlert,
  type BudgetStatus,
} from '../../../shared/cost/budget'
import { formatMoney } from '../../../shared/cost/format'

/** A desktop notification (the Electron Notifier in electron/desktop implements this). */
export type Notify = (notification: { title: string; body: string }) => void

/** What a budget check needs to know about the pool and its spend. */
export interface BudgetCheck {
  poolId: string
  poolName: string
  budget: number
  currency: string
  /** "YYYY-MM" of the figures. */
  month: string
  actual: number
  projected: number
}

/**
 * Notifies once per pool, month and threshold (80 % and 100 % of actual and of projected
 * spend). Which alerts were sent is kept in a small JSON file in the data folder (pool ids and
 * months only), so a restart does not notify again.
 */
export class BudgetAlerts {
  private sent: Set<string> | undefined

  constructor(
    private readonly file: string,
    private readonly notify: Notify | undefined,
    private readonly onWarning: (message: string) => void = () => undefined,
  ) {}

  /** The pool's status against its budget; notifies the alerts not sent yet this month. */
  check(check: BudgetCheck): BudgetStatus {
    const status = budgetStatus(check.budget, check.actual, check.projected)
    const prefix = `${check.poolId.toLowerCase()}|`
    const sent = this.load()
    const forPool = new Set(
      [...sent].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)),
    )
    const fresh = newBudgetAlerts(check.month, status, forPool)
    if (fresh.length === 0) return status
    // Keys of earlier months are of no use any more.
    for (const key of [...sent]) if (!key.includes(`|${check.month}:`)) sent.delete(key)
    for (const alert of fresh) sent.add(prefix + budgetAlertKey(check.month, alert))
    this.save(sent)
    this.notify?.(notificationFor(check, mostSevere(fresh)))
    return status
  }

  private load(): Set<string> {
    if (this.sent) return this.sent
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { sent?: unknown }
      this.sent = new Set(
        Array.isArray(parsed.sent) ? parsed.sent.filter((k) => typeof k === 'string') : [],
      )
    } catch {
      this.sent = new Set()
    }
    return this.sent
  }

  private save(sent: Set<string>): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true })
      const temporary = `${this.file}.tmp`
      writeFileSync(temporary, JSON.stringify({ sent: [...sent].sort() }, null, 2))
      renameSync(temporary, this.file)
    } catch (error) {
      this.onWarning(`Budget alerts could not be saved: ${(error as Error).message}`)
    }
  }
}

/** Actual spend before a projection, 100 % before 80 %. */
export function mostSevere(alerts: BudgetAlert[]): BudgetAlert {
  return [...alerts].sort(
    (a, b) =>
      b.threshold - a.threshold ||
      (a.basis === 'actual' ? -1 : 1) - (b.basis === 'actual' ? -1 : 1),
  )[0]!
}

export function notificationFor(
  check: Pick<BudgetCheck, 'poolName' | 'budget' | 'currency'>,
  alert: BudgetAlert,
): { title: string; body: string } {
  const money = (n: number) => formatMoney(n, check.currency)
  const budget = money(check.budget)
  const what =
    alert.basis === 'actual'
      ? `has spent ${money(alert.amount)} this month`
      : `is on course to spend ${money(alert.amount)} this month`
  return {
    title:
      alert.threshold >= 100
        ? `${check.poolName} is over its budget`
        : `${check.poolName} is at ${alert.threshold} % of its budget`,
    body: `${check.poolName} ${what}; its monthly budget is ${budget}.`,
  }
}
