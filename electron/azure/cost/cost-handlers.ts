import type { HandlerOutput, HandlersFor } from '../../ipc/handlers'
import type { CloudSession } from '../cloud-session'
import { parseScaleSetId } from '../pools/model'
import type { PoolService } from '../pools/pool-service'
import type { CostServices } from './cost-services'
import { setPoolBudget } from './pool-budget'

export interface CostHandlerDeps {
  options: { pools?: { updateIntervalInMs?: number } }
  session(): Promise<CloudSession>
  costServices(): Promise<CostServices>
  poolService(): Promise<PoolService>
  poolSpend(poolId: string, refresh: boolean): Promise<HandlerOutput<'cost.poolSpend'>>
}

/** cost.*: estimates, spend and a pool's budget. */
export function costHandlers({
  options,
  session,
  costServices,
  poolService,
  poolSpend,
}: CostHandlerDeps) {
  return {
    'cost.estimate': async ({ spec, schedule, currency }) =>
      (await costServices()).prices.estimate(spec, schedule, currency),
    'cost.spend': async ({ refresh, ...scope }) =>
      (await costServices()).spend.monthToDate(scope, { refresh: refresh ?? false }),
    'cost.poolSpend': ({ poolId, refresh }) => poolSpend(poolId, refresh ?? false),
    'cost.setBudget': async ({ poolId, budget, etag }) => {
      const { subscriptionId, resourceGroup, name } = parseScaleSetId(poolId)
      const context = await (await session()).arm.for(subscriptionId)
      const by = (await (await session()).auth.accounts()).find(
        (a) => a.id === context.accountId,
      )?.username
      const result = await setPoolBudget(context, { resourceGroup, name }, budget, {
        ...(by ? { by } : {}),
        ...(etag ? { etag } : {}),
        ...(options.pools?.updateIntervalInMs !== undefined
          ? { updateIntervalInMs: options.pools.updateIntervalInMs }
          : {}),
      })
      // The pool's summary (cards, detail) shows the new budget now, not at the next poll. A
      // poll already running when the tag was written may have read the scale set before it.
      const service = await poolService()
      const shown = () =>
        service.poller.pools().find((p) => p.id.toLowerCase() === poolId.toLowerCase())?.budget
      for (let attempt = 0; attempt < 2 && shown() !== result.budget; attempt++) {
        service.poller.touch(poolId)
        await service.poller.pollNow()
      }
      return result.budget !== undefined ? { budget: result.budget } : {}
    },
  } satisfies HandlersFor<'cost'>
}
