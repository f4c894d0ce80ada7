import { join } from 'node:path'
import { projectWithBurnRate } from '../../../shared/cost/projection'
import type { HandlerOutput } from '../../ipc/handlers'
import type { CloudSession } from '../cloud-session'
import { findPool } from '../pools/find-pool'
import type { PoolService } from '../pools/pool-service'
import { BudgetAlerts, type Notify } from './budget-alerts'
import { BudgetWatch } from './budget-watch'
import type { CostServices } from './cost-services'

export type PoolSpend = HandlerOutput<'cost.poolSpend'>

export interface PoolSpendDeps {
  session(): Promise<CloudSession>
  poolService(): Promise<PoolService>
  costServices(): Promise<CostServices>
  /** The app's data folder: which budget alerts were sent is remembered there. */
  dataDir: string
  /** Desktop notifications (the Electron shell); the web shell has none. */
  notify?: Notify | undefined
  log(level: 'warn', message: string): void
}

/**
 * A pool's spend this month against its budget (its tag): the projection follows the pool's
 * cost now while instances run, and crossing a threshold is notified once per month. The
 * budget watch checks pools with a budget in the background, as the poller reports them.
 */
export function createPoolSpend({
  session,
  poolService,
  costServices,
  dataDir,
  notify,
  log,
}: PoolSpendDeps) {
  const budgetAlerts = new BudgetAlerts(join(dataDir, 'budget-alerts.json'), notify, (message) =>
    log('warn', message),
  )
  async function poolSpend(poolId: string, refresh: boolean): Promise<PoolSpend> {
    const pool = await findPool(await poolService(), poolId)
    const context = await (await session()).arm.for(pool.subscriptionId)
    const spend = await (
      await costServices()
    ).spend.monthToDate(
      {
        accountId: context.accountId,
        tenantId: context.tenantId,
        subscriptionId: pool.subscriptionId,
        resourceGroup: pool.resourceGroup,
      },
      { refresh },
    )
    // While instances run, the rest of the month is projected at the pool's cost now.
    const running =
      pool.running > 0 &&
      pool.costPerHour !== undefined &&
      (pool.currency ?? 'USD') === spend.currency
    const projected = running
      ? { ...spend, projection: projectWithBurnRate(spend.projection, pool.costPerHour!) }
      : spend
    if (pool.budget === undefined) return projected
    const budget = budgetAlerts.check({
      poolId: pool.id,
      poolName: pool.name,
      budget: pool.budget,
      currency: spend.currency,
      month: spend.projection.month,
      actual: projected.monthToDate,
      projected: projected.projection.projected,
    })
    return { ...projected, budget }
  }
  const budgetWatch = new BudgetWatch((poolId) => poolSpend(poolId, false), {
    onError: (_poolId, error) =>
      log('warn', `A pool's budget could not be checked: ${(error as Error).name}`),
  })
  return { poolSpend, budgetWatch }
}
