import type { ResourceSku } from '@azure/arm-compute'
import type {
  Quota,
  Region,
  ResourceGroupInfo,
  StorageAccountInfo,
  VmSizeInfo,
} from '../../../shared/deploy'
import type { ArmClients } from './clients'

/**
 * What the wizard offers to choose from: regions, resource groups, storage accounts, and the
 * VM sizes of a region with their restrictions and the quota that limits each.
 */

export async function listRegions(clients: ArmClients): Promise<Region[]> {
  const regions: Region[] = []
  for await (const location of clients.subscriptions.subscriptions.listLocations(
    clients.context.subscriptionId,
  )) {
    if (!location.name) continue
    const type = (location as { metadata?: { regionType?: string } }).metadata?.regionType
    if (type && type !== 'Physical') continue
    regions.push({ name: location.name, displayName: location.displayName ?? location.name })
  }
  return regions.sort((a, b) => a.displayName.localeCompare(b.displayName))
}

export async function listResourceGroups(clients: ArmClients): Promise<ResourceGroupInfo[]> {
  const groups: ResourceGroupInfo[] = []
  for await (const group of clients.resources.resourceGroups.list()) {
    if (group.name && group.location) groups.push({ name: group.name, location: group.location })
  }
  return groups.sort((a, b) => a.name.localeCompare(b.name))
}

export async function listStorageAccounts(clients: ArmClients): Promise<StorageAccountInfo[]> {
  const accounts: StorageAccountInfo[] = []
  for await (const account of clients.storage.storageAccounts.list()) {
    const group = account.id ? /\/resourceGroups\/([^/]+)/i.exec(account.id)?.[1] : undefined
    if (account.name && group && account.location)
      accounts.push({ name: account.name, resourceGroup: group, location: account.location })
  }
  return accounts.sort((a, b) => a.name.localeCompare(b.name))
}

const capability = (sku: ResourceSku, name: string): string | undefined =>
  sku.capabilities?.find((c) => c.name === name)?.value

/** Why a SKU cannot be used in `location` by this subscription, or undefined. */
export function restrictionOf(sku: ResourceSku, location: string): string | undefined {
  const restriction = sku.restrictions?.find(
    (r) =>
      r.type === 'Location' &&
      (r.values ?? []).some((v) => v.toLowerCase() === location.toLowerCase()),
  )
  if (!restriction) return undefined
  return restriction.reasonCode === 'NotAvailableForSubscription'
    ? 'Not available to this subscription in this region'
    : 'Restricted in this region'
}

/** How long a SKU list is reused: sizes and restrictions change rarely, and Review re-checks often. */
const skuListTtlMs = 15 * 60_000
const skuLists = new Map<string, { at: number; skus: Promise<ResourceSku[]> }>()

/** The VM sizes (resource SKUs) of one region, or of every region when `location` is not given. */
export function listVmSkus(clients: ArmClients, location?: string): Promise<ResourceSku[]> {
  const { cloud, subscriptionId } = clients.context
  const key = `${cloud.armEndpoint}|${subscriptionId}|${location ?? '*'}`.toLowerCase()
  const cached = skuLists.get(key)
  if (cached && Date.now() - cached.at < skuListTtlMs) return cached.skus
  const skus = fetchVmSkus(clients, location)
  skuLists.set(key, { at: Date.now(), skus })
  // A failed list is not kept: the next check asks again.
  skus.catch(() => skuLists.delete(key))
  return skus
}

async function fetchVmSkus(clients: ArmClients, location?: string): Promise<ResourceSku[]> {
  const skus: ResourceSku[] = []
  for await (const sku of clients.compute.resourceSkus.list(
    location ? { filter: `location eq '${location.replace(/'/g, "''")}'` } : {},
  )) {
    if (sku.resourceType === 'virtualMachines' && sku.name) skus.push(sku)
  }
  return skus
}

export async function regionalQuotas(
  clients: ArmClients,
  location: string,
): Promise<Map<string, Quota>> {
  const quotas = new Map<string, Quota>()
  for await (const usage of clients.compute.usage.list(location)) {
    const name = usage.name?.value
    if (!name) continue
    quotas.set(name, {
      name,
      displayName: usage.name?.localizedValue ?? name,
      limit: Number(usage.limit),
      used: Number(usage.currentValue),
    })
  }
  return quotas
}

/** The quota a pool of this size and priority draws from (family for Regular, Spot vCPUs). */
export function limitingQuota(
  quotas: Map<string, Quota>,
  family: string,
  priority: 'Regular' | 'Spot',
): Quota | undefined {
  return priority === 'Spot' ? quotas.get('lowPriorityCores') : quotas.get(family)
}

export function sizeInfo(
  sku: ResourceSku,
  location: string,
  quotas: Map<string, Quota>,
  priority: 'Regular' | 'Spot',
): VmSizeInfo {
  const restriction = restrictionOf(sku, location)
  const family = sku.family ?? ''
  const quota = limitingQuota(quotas, family, priority)
  return {
    name: sku.name!,
    family,
    vCPUs: Number(capability(sku, 'vCPUs') ?? 0),
    memoryGB: Number(capability(sku, 'MemoryGB') ?? 0),
    gpus: Number(capability(sku, 'GPUs') ?? 0),
    available: restriction === undefined,
    ...(restriction ? { restriction } : {}),
    ...(quota ? { quota } : {}),
  }
}

/** The sizes a pool can use in a region: x64 sizes with premium disks, smallest first. */
export async function listVmSizes(
  clients: ArmClients,
  location: string,
  priority: 'Regular' | 'Spot',
): Promise<VmSizeInfo[]> {
  const [skus, quotas] = await Promise.all([
    listVmSkus(clients, location),
    regionalQuotas(clients, location),
  ])
  return skus
    .filter(
      (sku) =>
        (capability(sku, 'CpuArchitectureType') ?? 'x64') === 'x64' &&
        capability(sku, 'PremiumIO') !== 'False' &&
        (priority === 'Regular' || capability(sku, 'LowPriorityCapable') === 'True'),
    )
    .map((sku) => sizeInfo(sku, location, quotas, priority))
    .sort((a, b) => a.gpus - b.gpus || a.vCPUs - b.vCPUs || a.name.localeCompare(b.name))
}
