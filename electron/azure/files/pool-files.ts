import type { EventHub } from '../../ipc/events'
import type { CloudSession } from '../cloud-session'
import type { PoolRecord } from '../pools/discovery'
import { FilesService } from './files-service'
import { storageAccountOf } from './pool-storage-account'

export interface PoolFilesDeps {
  session(): Promise<CloudSession>
  /** The poller's record of a pool (its tagged resources), or NotFound. */
  poolRecord(poolId: string): Promise<PoolRecord>
  /** Where downloads from a pool's share are saved. */
  downloadsDir: string
  events: EventHub
  /** Shows a saved download in the file manager. */
  showInFolder(file: string): Promise<void>
}

/** A pool's share over HTTPS: its storage account from the pool's tags, the member's folder. */
export function createPoolFiles({
  session,
  poolRecord,
  downloadsDir,
  events,
  showInFolder,
}: PoolFilesDeps): FilesService {
  return new FilesService({
    shareOf: async (poolId) => storageAccountOf(await poolRecord(poolId)),
    context: async (subscriptionId) => (await session()).arm.for(subscriptionId),
    userName: async (poolId) => {
      const current = await session()
      const context = await current.arm.for((await poolRecord(poolId)).subscriptionId)
      const account = (await current.auth.accounts()).find((a) => a.id === context.accountId)
      return account?.username ?? 'me'
    },
    downloadsDir,
    onProgress: (progress) => events.emit('files.progress', progress),
    showInFolder,
  })
}
