import { randomBytes } from 'node:crypto'
import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { resourceId, view, type ArmResource } from '../../core/resources'
import { regions } from '../../seed/vm-sizes'
import { accountNameTakenMessage, invalidAccountNameMessage, isValidAccountName } from './names'

export const storageAccountType = 'Microsoft.Storage/storageAccounts'

export type KeyName = 'key1' | 'key2'

export interface AccountKey {
  keyName: KeyName
  /** Base64 of 64 random bytes, as Azure's account keys are. */
  value: string
  creationTime: string
}

/** What the sandbox keeps about an account beside its ARM JSON (never sent). */
interface AccountBookkeeping {
  keys: AccountKey[]
  /** Properties of fileServices/default, once set. */
  fileServiceProperties?: Record<string, unknown>
}

export interface StorageAccountInput {
  subscriptionId: string
  resourceGroup: string
  name: string
  location: string
  /** Standard_LRS, Standard_GRS, Premium_LRS ... */
  skuName: string
  /** StorageV2, Storage, FileStorage, BlobStorage, BlockBlobStorage. */
  kind: string
  tags?: Record<string, string>
  properties?: Record<string, unknown>
  extendedLocation?: { type?: string; name?: string }
}

interface EncryptionService {
  keyType?: string
  enabled?: boolean
}

/** The encryption settings as the service reports them: every service enabled since creation. */
function encryptionOf(requested: unknown, since: string): Record<string, unknown> {
  const given = (requested ?? {}) as {
    services?: Record<string, EncryptionService>
    keySource?: string
    requireInfrastructureEncryption?: boolean
  }
  const services = given.services ?? { file: {}, blob: {} }
  return {
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => [
        name,
        { keyType: service.keyType ?? 'Account', enabled: true, lastEnabledTime: since },
      ]),
    ),
    requireInfrastructureEncryption: given.requireInfrastructureEncryption ?? false,
    keySource: given.keySource ?? 'Microsoft.Storage',
  }
}

const skuNames = [
  'Standard_LRS',
  'Standard_GRS',
  'Standard_RAGRS',
  'Standard_ZRS',
  'Standard_GZRS',
  'Standard_RAGZRS',
  'Premium_LRS',
  'Premium_ZRS',
]
const kinds = ['Storage', 'StorageV2', 'BlobStorage', 'FileStorage', 'BlockBlobStorage']
const pairedRegion: Record<string, string> = {
  eastus: 'westus',
  westus2: 'westcentralus',
  southcentralus: 'northcentralus',
  westeurope: 'northeurope',
  northeurope: 'westeurope',
}

/** Account names are global across the sandbox (as they are across Azure): name → resource id. */
const nameRegistry = (ctx: SandboxContext) => ctx.state.table<string>('storageAccountNames')

export const generateAccountKey = () => randomBytes(64).toString('base64')

export function isAccountNameTaken(ctx: SandboxContext, name: string): boolean {
  return nameRegistry(ctx).has(name)
}

/** The account with this name in any subscription (the data plane addresses accounts by name). */
export function findAccountByName(ctx: SandboxContext, name: string): ArmResource | undefined {
  const id = nameRegistry(ctx).get(name)
  return id ? ctx.resources.get(id) : undefined
}

export function accountKeys(account: ArmResource): AccountKey[] {
  return (account.sandbox as unknown as AccountBookkeeping).keys
}

export const isPremium = (account: ArmResource) =>
  String(account.sku?.name ?? '').startsWith('Premium')

/** LRS, GRS, ZRS, RAGRS ... from the SKU name. */
export const redundancyOf = (account: ArmResource) =>
  String(account.sku?.name ?? 'Standard_LRS').split('_')[1] ?? 'LRS'

/** Checks a create request the way Microsoft.Storage does, before anything is stored. */
export function validateAccountInput(ctx: SandboxContext, input: StorageAccountInput): void {
  if (!isValidAccountName(input.name)) {
    throw new ArmError(400, 'AccountNameInvalid', invalidAccountNameMessage(input.name))
  }
  const existingId = nameRegistry(ctx).get(input.name)
  const id = resourceId(input.subscriptionId, input.resourceGroup, storageAccountType, input.name)
  if (existingId && existingId.toLowerCase() !== id.toLowerCase()) {
    throw new ArmError(409, 'StorageAccountAlreadyTaken', accountNameTakenMessage(input.name))
  }
  const location = input.location.replace(/\s+/g, '').toLowerCase()
  if (!regions.some((r) => r.name === location)) {
    throw new ArmError(
      400,
      'LocationNotAvailableForResourceType',
      `The provided location '${input.location}' is not available for resource type '${storageAccountType}'. List of available regions for the resource type is '${regions.map((r) => r.name).join(',')}'.`,
    )
  }
  if (!skuNames.includes(input.skuName)) {
    throw new ArmError(
      400,
      'InvalidRequestPropertyValue',
      `The value '${input.skuName}' is not a valid value for property 'sku.name'. Valid values are ${skuNames.join(', ')}.`,
    )
  }
  if (!kinds.includes(input.kind)) {
    throw new ArmError(
      400,
      'InvalidRequestPropertyValue',
      `The value '${input.kind}' is not a valid value for property 'kind'.`,
    )
  }
  if (input.kind === 'FileStorage' && !input.skuName.startsWith('Premium')) {
    throw new ArmError(
      400,
      'InvalidRequestPropertyValue',
      `The kind 'FileStorage' is only supported with the Premium_LRS and Premium_ZRS SKUs.`,
    )
  }
}

/**
 * Stores a new account (or replaces an existing one's settings, keeping its keys) in the
 * resource table and reserves its name. `provisioningState` is 'Creating' while an ARM
 * create runs and 'Succeeded' once it is done.
 */
export function putAccount(
  ctx: SandboxContext,
  input: StorageAccountInput,
  provisioningState: 'Creating' | 'Succeeded',
): ArmResource {
  const id = resourceId(input.subscriptionId, input.resourceGroup, storageAccountType, input.name)
  const existing = ctx.resources.get(id)
  const now = ctx.clock.nowIso()
  const location = input.location.replace(/\s+/g, '').toLowerCase()
  const keys: AccountKey[] = existing
    ? accountKeys(existing)
    : (['key1', 'key2'] as const).map((keyName) => ({
        keyName,
        value: generateAccountKey(),
        creationTime: now,
      }))
  const premium = input.skuName.startsWith('Premium')
  const geo = /GRS|GZRS/.test(input.skuName)
  const requested = input.properties ?? {}
  const previous = existing?.properties ?? {}
  // Settings the client may give, kept from earlier PUTs and overridden by this one;
  // what the service computes comes after and cannot be set.
  const settings: Record<string, unknown> = { ...previous, ...requested }
  delete settings.primaryEndpoints
  const properties: Record<string, unknown> = {
    allowBlobPublicAccess: false,
    minimumTlsVersion: 'TLS1_2',
    allowSharedKeyAccess: true,
    largeFileSharesState: 'Enabled',
    networkAcls: {
      bypass: 'AzureServices',
      virtualNetworkRules: [],
      ipRules: [],
      defaultAction: 'Allow',
    },
    supportsHttpsTrafficOnly: true,
    ...settings,
    keyCreationTime: { key1: keys[0]!.creationTime, key2: keys[1]!.creationTime },
    encryption: encryptionOf(
      requested.encryption ?? previous.encryption,
      (previous.creationTime as string) ?? now,
    ),
    creationTime: previous.creationTime ?? now,
    primaryLocation: location,
    statusOfPrimary: 'available',
    provisioningState,
    ...(input.kind === 'StorageV2' || input.kind === 'BlobStorage'
      ? { accessTier: requested.accessTier ?? previous.accessTier ?? 'Hot' }
      : {}),
    ...(geo
      ? { secondaryLocation: pairedRegion[location] ?? location, statusOfSecondary: 'available' }
      : {}),
  }
  const resource: ArmResource = {
    id,
    name: input.name,
    type: storageAccountType,
    location,
    ...(input.extendedLocation ? { extendedLocation: input.extendedLocation } : {}),
    kind: input.kind,
    sku: { name: input.skuName, tier: premium ? 'Premium' : 'Standard' },
    tags: input.tags ?? {},
    properties,
    sandbox: { ...existing?.sandbox, keys } satisfies AccountBookkeeping as unknown as Record<
      string,
      unknown
    >,
  }
  ctx.resources.put(resource)
  nameRegistry(ctx).set(input.name, id)
  return resource
}

/** Creates a ready account directly (demo seed, deployments' tests, data-plane tests). */
export function provisionStorageAccount(
  ctx: SandboxContext,
  input: StorageAccountInput,
): { account: ArmResource; keys: AccountKey[] } {
  validateAccountInput(ctx, input)
  const account = putAccount(ctx, input, 'Succeeded')
  return { account, keys: accountKeys(account) }
}

/** Removes the account; its shares cascade and the delete hook frees its name. */
export function deleteAccount(ctx: SandboxContext, account: ArmResource): void {
  ctx.resources.delete(account.id)
}

export function releaseAccountName(ctx: SandboxContext, account: ArmResource): void {
  if (nameRegistry(ctx).get(account.name)?.toLowerCase() === account.id.toLowerCase()) {
    nameRegistry(ctx).delete(account.name)
  }
}

export function regenerateAccountKey(
  ctx: SandboxContext,
  account: ArmResource,
  keyName: string,
): AccountKey[] {
  const keys = accountKeys(account)
  const key = keys.find((k) => k.keyName === keyName.toLowerCase())
  if (!key) {
    throw new ArmError(
      400,
      'InvalidValuesForRequestParameters',
      `Values for request parameters are invalid: keyName. The key name '${keyName}' is not valid; use key1 or key2.`,
    )
  }
  key.value = generateAccountKey()
  key.creationTime = ctx.clock.nowIso()
  const creation = (account.properties!.keyCreationTime ??= {}) as Record<string, string>
  creation[key.keyName] = key.creationTime
  ctx.resources.touch()
  return keys
}

export const listKeysBody = (keys: AccountKey[]) => ({
  keys: keys.map((k) => ({
    keyName: k.keyName,
    value: k.value,
    permissions: 'Full',
    creationTime: k.creationTime,
  })),
})

/**
 * The account as ARM shows it. Endpoints are derived at read time because the sandbox's
 * port can change between runs; Azure Files is path-style on the sandbox's IP host.
 */
export function accountView(ctx: SandboxContext, account: ArmResource): Record<string, unknown> {
  const base = `${ctx.endpoints.filesEndpoint}/${account.name}/`
  const routing = account.properties?.routingPreference as
    { publishMicrosoftEndpoints?: boolean; publishInternetEndpoints?: boolean } | undefined
  const endpoints = (names: string[]) => Object.fromEntries(names.map((n) => [n, base]))
  const all = ['web', 'dfs', 'blob', 'file', 'queue', 'table']
  return {
    ...view(account),
    properties: {
      ...account.properties,
      primaryEndpoints: {
        ...endpoints(all),
        ...(routing?.publishMicrosoftEndpoints ? { microsoftEndpoints: endpoints(all) } : {}),
        ...(routing?.publishInternetEndpoints
          ? { internetEndpoints: endpoints(['web', 'dfs', 'blob', 'file']) }
          : {}),
      },
    },
  }
}
