import { StorageManagementClient } from '@azure/arm-storage'
import {
  ShareServiceClient,
  StorageSharedKeyCredential,
  type ShareClient,
  type ShareClientOptions,
} from '@azure/storage-file-share'
import type { Cloud } from '../../../shared/clouds'
import { AppError } from '../../../shared/errors'
import { armClient, armClientOptions, type ArmContext } from '../arm-context'
import { activeKey } from './account-keys'

/*
 * Reaching a pool's file share over HTTPS (port 443, where SMB's 445 is often blocked): the
 * account key is read with listKeys on demand, here in main. It is kept in memory in the
 * SDK's credential and never sent to the renderer, logged or put on a command line.
 */

export interface ShareLocation {
  subscriptionId: string
  resourceGroup: string
  account: string
  share: string
}

/** The file service URL: path-style on the sandbox's IP host, <account>.file.<suffix> in Azure. */
export function fileServiceUrl(
  cloud: Pick<Cloud, 'name' | 'storageSuffix'>,
  account: string,
): string {
  if (!/^[a-z0-9]{3,24}$/.test(account))
    throw new AppError('Validation', 'Expected a storage account name.')
  return cloud.name === 'Sandbox'
    ? `https://${cloud.storageSuffix}/${account}`
    : `https://${account}.file.${cloud.storageSuffix}`
}

/**
 * Client options with the CA to trust. @azure/storage-file-share has no `tlsOptions` in its
 * typed options but passes them on to core-rest-pipeline's TLS policy.
 */
export function shareClientOptions(tlsCa: string | undefined): ShareClientOptions {
  return {
    retryOptions: { maxTries: 5, retryDelayInMs: 200, maxRetryDelayInMs: 4000 },
    ...(tlsCa ? ({ tlsOptions: { ca: tlsCa } } as ShareClientOptions) : {}),
  }
}

/** The account's key in use (the newest), read through ARM now (listKeys). Keep it in main. */
export async function readAccountKey(
  context: ArmContext,
  location: Omit<ShareLocation, 'share'>,
): Promise<string> {
  const storage = armClient(
    context,
    new StorageManagementClient(
      context.credential,
      location.subscriptionId,
      armClientOptions(context),
    ),
  )
  const { keys } = await storage.storageAccounts.listKeys(location.resourceGroup, location.account)
  const key = activeKey(keys ?? [])?.value
  if (!key)
    throw new AppError(
      'Forbidden',
      'The storage account’s keys could not be read. Reading them needs the Contributor role (listKeys) on the account.',
    )
  return key
}

/** SMB host of the account: <account>.file.<suffix>; the sandbox's own host (it has no SMB). */
export function smbHost(cloud: Pick<Cloud, 'name' | 'storageSuffix'>, account: string): string {
  return cloud.name === 'Sandbox'
    ? new URL(`https://${cloud.storageSuffix}`).hostname
    : new URL(fileServiceUrl(cloud, account)).hostname
}

/** The account's file service, authorised with its key in use, read through ARM now. */
export async function openShareService(
  context: ArmContext,
  location: Omit<ShareLocation, 'share'>,
  /** Retry timing (tests use short delays). */
  retryOptions?: ShareClientOptions['retryOptions'],
): Promise<ShareServiceClient> {
  const key = await readAccountKey(context, location)
  return new ShareServiceClient(
    fileServiceUrl(context.cloud, location.account),
    new StorageSharedKeyCredential(location.account, key),
    { ...shareClientOptions(context.tlsCa), ...(retryOptions ? { retryOptions } : {}) },
  )
}

/** A share client of the account (see openShareService). */
export async function openShare(
  context: ArmContext,
  location: ShareLocation,
  retryOptions?: ShareClientOptions['retryOptions'],
): Promise<ShareClient> {
  return (await openShareService(context, location, retryOptions)).getShareClient(location.share)
}

/** The pool's share: the one named `preferred` if the account has it, else its only share. */
export async function pickShare(
  service: { listShares(): AsyncIterable<{ name: string }> },
  preferred = 'notebooks',
): Promise<string> {
  const names: string[] = []
  for await (const share of service.listShares()) names.push(share.name)
  if (names.includes(preferred)) return preferred
  if (names.length === 1) return names[0]!
  throw new AppError(
    'NotFound',
    names.length === 0
      ? 'The pool’s storage account has no file share.'
      : `The pool’s storage account has several shares (${names.join(', ')}) and none is named ${preferred}.`,
  )
}
