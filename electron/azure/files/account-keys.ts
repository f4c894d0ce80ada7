import type { StorageManagementClient } from '@azure/arm-storage'
import { AppError } from '../../../shared/errors'

/*
 * The two keys of a pool's storage account and their safe rotation. Everyone who uses a key
 * (the instances through the pool's managed identity, this app's file browser) uses the
 * newest one: the key with the latest creation time, key1 when both are as old. A rotation
 * regenerates the other, older key, so nothing in use breaks at that moment: instances move
 * to the new key within a minute and the file browser when its key is refused. The key that
 * was in use stays valid until the next rotation regenerates it (rotate twice, a few minutes
 * apart, to retire both keys after a leak). This is how Key Vault rotates storage keys.
 */

export interface AccountKeyInfo {
  keyName?: string
  value?: string
  permissions?: string
  creationTime?: Date | string
}

const time = (key: AccountKeyInfo) =>
  key.creationTime === undefined ? 0 : new Date(key.creationTime).getTime()

/** The key in use: the newest full-permission key (key1 when both are as old). */
export function activeKey<K extends AccountKeyInfo>(keys: K[]): K | undefined {
  return keys
    .filter((k) => k.value && (k.permissions ?? 'FULL').toUpperCase() === 'FULL')
    .sort((a, b) => time(b) - time(a) || (a.keyName ?? '').localeCompare(b.keyName ?? ''))[0]
}

/** Regenerates the key not in use, which becomes the one in use; returns its name. */
export async function rotateAccountKey(
  storage: Pick<StorageManagementClient, 'storageAccounts'>,
  resourceGroup: string,
  account: string,
): Promise<{ keyName: string; previousKeyName: string }> {
  const { keys = [] } = await storage.storageAccounts.listKeys(resourceGroup, account)
  const inUse = activeKey(keys)
  if (!inUse?.keyName)
    throw new AppError(
      'Forbidden',
      'The storage account’s keys could not be read. Rotating them needs the Contributor role on the account.',
    )
  const other = inUse.keyName.toLowerCase() === 'key1' ? 'key2' : 'key1'
  const { keys: after = [] } = await storage.storageAccounts.regenerateKey(resourceGroup, account, {
    keyName: other,
  })
  if (activeKey(after)?.keyName?.toLowerCase() !== other)
    throw new AppError(
      'Transient',
      'Azure regenerated the key but still reports the previous one as newest. Try again in a minute.',
    )
  return { keyName: other, previousKeyName: inUse.keyName }
}

/** Did the storage service refuse the request's key (after a rotation)? */
export function keyRefused(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string; details?: Record<string, unknown> }
  if (e instanceof AppError)
    return e.code === 'Forbidden' && e.details?.azureCode === 'AuthenticationFailed'
  return e?.statusCode === 403 && (e.code === undefined || e.code === 'AuthenticationFailed')
}
