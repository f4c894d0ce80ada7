import { formatMoney } from '../../../shared/cost/format'
import type { PoolSummary } from '../../../shared/pools'
import { budgetWarning } from './budget-text'
import { usePoolSpend } from './use-pool-spend'
import './cost.css'

/**
 * On a pool's card: a badge when the pool is at 80 % or 100 % of its budget (spent or
 * projected). Only pools with a budget ask main for their spend, which main caches.
 */
export function BudgetBadge({ pool }: { pool: PoolSummary }) {
  if (pool.budget === undefined) return null
  return <BudgetBadgeFor pool={pool} />
}

function BudgetBadgeFor({ pool }: { pool: PoolSummary }) {
  const { load } = usePoolSpend(pool.id, pool.budget)
  if (load.status !== 'loaded' || !load.spend.budget) return null
  const { spend } = load
  const money = (amount: number) => formatMoney(amount, spend.currency)
  const warning = budgetWarning(
    spend.budget!,
    { actual: spend.monthToDate, projected: spend.projection.projected },
    money,
  )
  if (!warning) return null
  return (
    <span className={`badge budget-badge ${warning.level}`} title={warning.text} role="status">
      {warning.short}
    </span>
  )
}
