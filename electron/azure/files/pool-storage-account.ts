import { AppError } from '../../../shared/errors'
import type { PoolRecord } from '../pools/discovery'
import type { PoolShareRef } from './files-service'

/** The pool's storage account, found among the resources tagged with the pool. */
export function storageAccountOf(
  record: Pick<PoolRecord, 'subscriptionId' | 'taggedIds'>,
): PoolShareRef {
  const accountId = record.taggedIds.find((id) =>
    /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(id),
  )
  if (!accountId)
    throw new AppError('NotFound', 'This pool has no storage account with its tag, so no share.')
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(accountId)![1]!
  return {
    subscriptionId: record.subscriptionId,
    resourceGroup,
    account: accountId.slice(accountId.lastIndexOf('/') + 1),
  }
}
