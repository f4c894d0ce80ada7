import type { PoolSummary } from '../../../shared/pools'
import type { PoolRecord } from './discovery'
import { poolNotFound } from './pool-not-found'
import type { PoolService } from './pool-service'

/** The pool with this id from the current list (ids compare without case), or NotFound. */
export async function findPool(service: PoolService, poolId: string): Promise<PoolSummary> {
  const { pools } = await service.list()
  const pool = pools.find((p) => p.id.toLowerCase() === poolId.toLowerCase())
  if (!pool) throw poolNotFound()
  return pool
}

/** The poller's record of the pool (its tagged resources) once the list is read, or NotFound. */
export async function findPoolRecord(service: PoolService, poolId: string): Promise<PoolRecord> {
  await service.list()
  const record = service.poller.record(poolId)
  if (!record) throw poolNotFound()
  return record
}

/** findPool and findPoolRecord on the pool service of the current session. */
export function poolLookup(poolService: () => Promise<PoolService>) {
  return {
    pool: async (poolId: string) => findPool(await poolService(), poolId),
    record: async (poolId: string) => findPoolRecord(await poolService(), poolId),
  }
}
