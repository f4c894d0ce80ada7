import { ResourceManagementClient } from '@azure/arm-resources'
import { StorageManagementClient } from '@azure/arm-storage'
import { AppError } from '../../../shared/errors'
import { poolTags } from '../../../shared/pool-tags'
import { armClient, armClientOptions, type ArmContext } from '../arm-context'
import { rotateAccountKey } from '../files/account-keys'

/**
 * "Rotate storage key" on a pool: the safe two-key rotation of its storage account (see
 * files/account-keys). Only for pools whose instances read the key through the pool's
 * managed identity: instances that got the key in protected settings would not follow, and
 * the next rotation would lock them out.
 */

export interface PoolRef {
  subscriptionId: string
  resourceGroup: string
  /** The pool's name: the value of its tag. */
  name: string
}

export async function rotatePoolStorageKey(
  pool: PoolRef,
  context: ArmContext,
): Promise<{ keyName: 'key1' | 'key2'; message: string }> {
  // Read now, not from the poller's last discovery: an identity may have been added since.
  const resources = armClient(
    context,
    new ResourceManagementClient(
      context.credential,
      pool.subscriptionId,
      armClientOptions(context),
    ),
  )
  const taggedIds: string[] = []
  for await (const resource of resources.resources.listByResourceGroup(pool.resourceGroup, {
    filter: `tagName eq '${poolTags.pool}' and tagValue eq '${pool.name.replace(/'/g, "''")}'`,
  }))
    if (resource.id) taggedIds.push(resource.id)
  const accountId = taggedIds.find((id) =>
    /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(id),
  )
  if (!accountId)
    throw new AppError(
      'NotFound',
      'This pool has no storage account with its tag, so no key to rotate.',
    )
  const hasIdentity = taggedIds.some((id) =>
    /\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.test(id),
  )
  if (!hasIdentity)
    throw new AppError(
      'Validation',
      'This pool’s instances were given the storage key when the pool was created (its creator could not assign roles), so they would not pick up a new key and a second rotation would cut them off from the share. Have an Owner of the resource group create the pool again to give it a managed identity; its keys can be rotated from here then.',
    )
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(accountId)![1]!
  const account = accountId.slice(accountId.lastIndexOf('/') + 1)
  const storage = armClient(
    context,
    new StorageManagementClient(context.credential, pool.subscriptionId, armClientOptions(context)),
  )
  const { keyName, previousKeyName } = await rotateAccountKey(storage, resourceGroup, account)
  return {
    keyName: keyName as 'key1' | 'key2',
    message: `The storage key was rotated: ${keyName} is new and now in use. Instances switch to it within a minute, without restarting. ${previousKeyName} stays valid until the next rotation; after a leak, rotate again in a few minutes to retire it too.`,
  }
}
