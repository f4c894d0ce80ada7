/** Budget thresholds the app warns at, in percent of the monthly budget. */
export const budgetThresholds = [80, 100] as const
export type BudgetThreshold = (typeof budgetThresholds)[number]

export interface BudgetAlert {
  /** Spend so far, or the month-end projection. */
  basis: 'actual' | 'projected'
  threshold: BudgetThreshold
  /** The amount compared with the budget. */
  amount: number
}

export interface BudgetStatus {
  budget: number
  /** Fractions of the budget (1 = 100 %). */
  actualRatio: number
  projectedRatio: number
  /** 'over' once actual or projected reaches 100 %, 'warning' from 80 %. */
  level: 'ok' | 'warning' | 'over'
  /** Every threshold reached, actual before projected, lower threshold first. */
  alerts: BudgetAlert[]
}

/** Where a pool stands against its monthly budget (a positive amount in the pool's currency). */
export function budgetStatus(budget: number, actual: number, projected: number): BudgetStatus {
  if (!(budget > 0)) throw new RangeError('A budget must be a positive amount')
  const alerts: BudgetAlert[] = []
  for (const [basis, amount] of [
    ['actual', actual],
    ['projected', projected],
  ] as const) {
    for (const threshold of budgetThresholds) {
      if (amount >= (budget * threshold) / 100) alerts.push({ basis, threshold, amount })
    }
  }
  const top = Math.max(0, ...alerts.map((a) => a.threshold))
  return {
    budget,
    actualRatio: actual / budget,
    projectedRatio: projected / budget,
    level: top >= 100 ? 'over' : top >= 80 ? 'warning' : 'ok',
    alerts,
  }
}

/** A stable key per month and alert, so a notification is sent once per month and threshold. */
export const budgetAlertKey = (month: string, alert: Pick<BudgetAlert, 'basis' | 'threshold'>) =>
  `${month}:${alert.basis}:${alert.threshold}`

/** Alerts not notified yet this month (given the keys already notified). */
export function newBudgetAlerts(
  month: string,
  status: BudgetStatus,
  notified: ReadonlySet<string>,
): BudgetAlert[] {
  return status.alerts.filter((alert) => !notified.has(budgetAlertKey(month, alert)))
}
