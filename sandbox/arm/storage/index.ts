import type { SandboxModule } from '../../core/module'
import { releaseAccountName, storageAccountType } from './accounts'
import { stopMeteringShare } from './metering'
import { accountCreated, completeAccountCreate, storageRoutes } from './routes'
import { fileShareType } from './shares'

export {
  provisionStorageAccount,
  findAccountByName,
  accountKeys,
  type AccountKey,
  type StorageAccountInput,
} from './accounts'
export { findShare, createShare, type ShareSettings } from './shares'

/** Microsoft.Storage: accounts, keys, name checks and file shares (control plane). */
export const storageModule: SandboxModule = {
  name: 'storage',
  install(ctx, router) {
    ctx.lro.register(completeAccountCreate, (args: { id: string }) => accountCreated(ctx, args))
    router.add(...storageRoutes())
    // However a share or account goes (its own DELETE, or its resource group's), stop
    // billing it and free the global account name.
    ctx.resources.onDelete(fileShareType, (share) => stopMeteringShare(ctx, share))
    ctx.resources.onDelete(storageAccountType, (account) => releaseAccountName(ctx, account))
  },
}
