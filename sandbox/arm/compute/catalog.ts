import { findVmSize, isOfferedIn, isRestrictedIn, regions, type VmSize } from '../../seed/vm-sizes'

/**
 * How compute shows the sandbox's VM sizes (the one catalogue in seed/vm-sizes.ts, which also
 * prices them): availability per region, Resource SKU entries and the default regional quota
 * per family.
 */

export const sandboxRegions: string[] = regions.map((r) => r.name)

/** Every region has three availability zones. */
const zones = ['1', '2', '3']

/** Default regional quota per family on a quotaScale 1 subscription (Azure's defaults are similar). */
export const baseQuota: Record<string, number> = {
  cores: 100,
  lowPriorityCores: 100,
  virtualMachines: 25000,
  virtualMachineScaleSets: 2500,
  availabilitySets: 2500,
  standardBSFamily: 20,
  standardDSv3Family: 64,
  standardDSv4Family: 64,
  standardDSv5Family: 64,
  standardDSv6Family: 64,
  standardDASv5Family: 64,
  standardDASv6Family: 64,
  standardESv3Family: 64,
  standardESv4Family: 64,
  standardESv5Family: 64,
  standardESv6Family: 64,
  standardFSv2Family: 64,
  standardNCSv3Family: 24,
  'Standard NCASv3_T4 Family': 16,
  // New subscriptions get no A100, H100 or ND quota until they ask for it, as in Azure.
  StandardNCADSA100v4Family: 0,
  StandardNCadsH100v5Family: 0,
  standardNDASv4_A100Family: 0,
  StandardNDAMSv4_A100Family: 0,
  standardNDSH100v5Family: 0,
}

export const normalizeRegion = (location: string) => location.replace(/\s+/g, '').toLowerCase()

export type SizeAvailability = 'available' | 'restricted' | 'notOffered' | 'unknown'

export function availabilityOf(sizeName: string, location: string): SizeAvailability {
  const size = findVmSize(sizeName)
  if (!size) return 'unknown'
  const region = normalizeRegion(location)
  if (!isOfferedIn(size, region)) return 'notOffered'
  return isRestrictedIn(size, region) ? 'restricted' : 'available'
}

/** One entry of GET /subscriptions/{id}/providers/Microsoft.Compute/skus, as Azure shapes it. */
export function resourceSkuView(size: VmSize, region: string): Record<string, unknown> {
  const capability = (name: string, value: string | number | boolean) => ({
    name,
    value: typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value),
  })
  const capabilities = [
    capability('MaxResourceVolumeMB', size.vCPUs * 32768),
    capability('OSVhdSizeMB', 1047552),
    capability('vCPUs', size.vCPUs),
    capability('MemoryPreservingMaintenanceSupported', true),
    capability('HyperVGenerations', 'V1,V2'),
    capability('MemoryGB', size.memoryGiB),
    capability('MaxDataDiskCount', Math.min(64, size.vCPUs * 4)),
    capability('CpuArchitectureType', 'x64'),
    capability('LowPriorityCapable', size.spot),
    capability('PremiumIO', size.premiumIO),
    capability('VMDeploymentTypes', 'IaaS'),
    capability('vCPUsAvailable', size.vCPUs),
    capability('ACUs', 195),
    capability('vCPUsPerCore', size.gpus > 0 ? 1 : 2),
    capability('EphemeralOSDiskSupported', true),
    capability('AcceleratedNetworkingEnabled', true),
    capability('RdmaEnabled', false),
    capability('MaxNetworkInterfaces', Math.max(2, Math.min(8, size.vCPUs / 2))),
    ...(size.gpus > 0 ? [capability('GPUs', size.gpus)] : []),
  ]
  const restricted = isRestrictedIn(size, region)
  return {
    resourceType: 'virtualMachines',
    name: size.vmSize,
    tier: 'Standard',
    size: size.vmSize.replace(/^Standard_/, ''),
    family: size.family,
    locations: [region],
    locationInfo: [
      {
        location: region,
        zones,
        // Ultra disks exist in every zone for the general-purpose and memory sizes, as in Azure.
        zoneDetails:
          size.gpus === 0
            ? [{ name: zones, capabilities: [{ name: 'UltraSSDAvailable', value: 'True' }] }]
            : [],
      },
    ],
    capabilities,
    ...(restricted
      ? {
          restrictions: [
            {
              type: 'Location',
              values: [region],
              restrictionInfo: { locations: [region] },
              reasonCode: 'NotAvailableForSubscription',
            },
          ],
        }
      : {}),
  }
}
