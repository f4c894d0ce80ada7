import type { CloudSession } from '../cloud-session'
import { storageAccountOf } from '../files/pool-storage-account'
import { openShareService, pickShare } from '../files/share-client'
import type { PoolRecord } from '../pools/discovery'
import { findPool } from '../pools/find-pool'
import type { PoolService } from '../pools/pool-service'
import type { PoolAccountsPool } from './pool-accounts-service'

export interface PoolAccountsPoolDeps {
  session(): Promise<CloudSession>
  poolService(): Promise<PoolService>
  /** The poller's record of a pool (its tagged resources), or NotFound. */
  poolRecord(poolId: string): Promise<PoolRecord>
}

/** What pool accounts need of a pool: its admin, and the share its account list lives on. */
export function poolAccountsPool({ session, poolService, poolRecord }: PoolAccountsPoolDeps) {
  return async (poolId: string): Promise<PoolAccountsPool> => {
    const service = await poolService()
    const pool = await findPool(service, poolId)
    const { resourceGroup: storageGroup, account } = storageAccountOf(await poolRecord(poolId))
    const context = await (await session()).arm.for(pool.subscriptionId)
    const shareService = await openShareService(context, {
      subscriptionId: pool.subscriptionId,
      resourceGroup: storageGroup,
      account,
    })
    const adminUsername = service.poller.scaleSet(pool.id)?.virtualMachineProfile?.osProfile
      ?.adminUsername
    return {
      id: pool.id,
      name: pool.name,
      subscriptionId: pool.subscriptionId,
      resourceGroup: pool.resourceGroup,
      os: pool.os,
      ...(adminUsername ? { adminUsername } : {}),
      storage: { resourceGroup: storageGroup, account, share: await pickShare(shareService) },
    }
  }
}
