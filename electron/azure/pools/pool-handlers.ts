import type { HandlersFor } from '../../ipc/handlers'
import type { CloudSession } from '../cloud-session'
import type { PoolRecord } from './discovery'
import type { PoolService } from './pool-service'
import { rotatePoolStorageKey } from './storage-key'

export interface PoolHandlerDeps {
  session(): Promise<CloudSession>
  poolService(): Promise<PoolService>
  contextOfPool(poolId: string): Promise<PoolRecord>
}

const started = <T extends { accepted: true; message: string }>(result: T) => ({
  accepted: result.accepted,
  message: result.message,
})

/** pools.*: running pools (the one poller, actions, scale to zero, autoscale). */
export function poolHandlers({ session, poolService, contextOfPool }: PoolHandlerDeps) {
  return {
    'pools.list': async () => (await poolService()).list(),
    'pools.refresh': async () => {
      await (await poolService()).refresh()
      return { refreshed: true }
    },
    'pools.instances': async ({ poolId }) => (await poolService()).instances(poolId),
    'pools.scale': async ({ poolId, capacity, etag, until }) =>
      started(await (await poolService()).scale(poolId, capacity, etag, until)),
    'pools.startAll': async ({ poolId, until }) =>
      started(await (await poolService()).startAll(poolId, until)),
    'pools.keepUntil': async ({ poolId, until, capacity }) =>
      started(await (await poolService()).keepUntil(poolId, until, capacity)),
    'pools.endOverride': async ({ poolId }) =>
      started(await (await poolService()).endOverride(poolId)),
    'pools.stopAll': async ({ poolId, until }) =>
      started(await (await poolService()).stopAll(poolId, until)),
    'pools.instanceAction': async ({ poolId, instanceId, action }) => {
      const service = await poolService()
      return started(
        action === 'restart'
          ? await service.restartInstance(poolId, instanceId)
          : action === 'start' || action === 'stop'
            ? await service.startStopInstance(poolId, instanceId, action === 'start')
            : action === 'delete'
              ? await service.deleteInstance(poolId, instanceId)
              : await service.protectInstance(poolId, instanceId, action === 'protect'),
      )
    },
    'pools.rotateStorageKey': async ({ poolId }) => {
      const record = await contextOfPool(poolId)
      return rotatePoolStorageKey(
        {
          subscriptionId: record.subscriptionId,
          resourceGroup: record.resourceGroup,
          name: record.name,
        },
        await (await session()).arm.for(record.subscriptionId),
      )
    },
    'pools.delete': async ({ poolId, confirmName }) =>
      started(await (await poolService()).deletePool(poolId, confirmName)),
    'pools.setScaledToZero': async ({ poolId, on, until, protectedInstances }) =>
      started(
        await (await poolService()).setScaledToZero(poolId, on, { until, protectedInstances }),
      ),
    'pools.autoscale': async ({ poolId }) => (await poolService()).autoscale(poolId),
    'pools.saveAutoscale': async ({ poolId, schedule, version }) =>
      (await poolService()).saveAutoscale(poolId, schedule, version),
  } satisfies HandlersFor<'pools'>
}
