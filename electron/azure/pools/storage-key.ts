import { StorageManagementClient } from '@azure/arm-storage'
import { AppError } from '../../../shared/errors'
import { armClientOptions, type ArmContext } from '../arm-context'
import { rotateAccountKey } from '../files/account-keys'

/**
 * "Rotate storage key" on a pool: the safe two-key rotation of its storage account (see
 * files/account-keys). Only for pools whose instances read the key through the pool's
 * managed identity: instances that got the key in protected settings would not follow, and
 * the next rotation would lock them out.
 */

export interface PoolResources {
  subscriptionId: string
  /** Ids of the resources tagged with the pool. */
  taggedIds: string[]
}

export async function rotatePoolStorageKey(
  pool: PoolResources,
  context: ArmContext,
): Promise<{ keyName: 'key1' | 'key2'; message: string }> {
  const accountId = pool.taggedIds.find((id) =>
    /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(id),
  )
  if (!accountId)
    throw new AppError(
      'NotFound',
      'This pool has no storage account with its tag, so no key to rotate.',
    )
  const hasIdentity = pool.taggedIds.some((id) =>
    /\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.test(id),
  )
  if (!hasIdentity)
    throw new AppError(
      'Validation',
      'This pool’s instances were given the storage key when the pool was created (its creator could not assign roles), so they would not pick up a new key and a second rotation would cut them off from the share. Have an Owner of the resource group create the pool again to give it a managed identity; its keys can be rotated from here then.',
    )
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(accountId)![1]!
  const account = accountId.slice(accountId.lastIndexOf('/') + 1)
  const storage = new StorageManagementClient(
    context.credential,
    pool.subscriptionId,
    armClientOptions(context),
  )
  const { keyName, previousKeyName } = await rotateAccountKey(storage, resourceGroup, account)
  return {
    keyName: keyName as 'key1' | 'key2',
    message: `The storage key was rotated: ${keyName} is new and now in use. Instances switch to it within a minute, without restarting. ${previousKeyName} stays valid until the next rotation; after a leak, rotate again in a few minutes to retire it too.`,
  }
}
