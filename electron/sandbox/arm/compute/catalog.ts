import { regions, vmSizes as sharedSizes } from '../../seed/vm-sizes'

/**
 * The VM sizes the sandbox offers (the shared catalogue in seed/vm-sizes.ts, which prices the
 * same sizes), where they are restricted, and the default regional quota per family.
 */
export interface VmSize {
  name: string
  /** Quota family, as the usages API names it. */
  family: string
  familyDisplayName: string
  vCPUs: number
  memoryGB: number
  gpus: number
  premiumIO: boolean
  lowPriorityCapable: boolean
  /** Regions where the size exists (listed by the SKU API there). */
  regions: string[]
  /** Regions where it is listed but not available to the sandbox's subscriptions. */
  restrictedIn: string[]
  /** Availability zones per region, when the region has zones. */
  zones: string[]
}

export const sandboxRegions: string[] = regions.map((r) => r.name)

/** Where a size is listed but not available to the sandbox's subscriptions (SKU restrictions). */
const restrictions: Record<string, string[]> = {
  Standard_NC6s_v3: ['northeurope'],
  Standard_NC12s_v3: ['northeurope'],
  Standard_NC4as_T4_v3: ['westus2'],
  Standard_NC8as_T4_v3: ['westus2'],
  Standard_NC24ads_A100_v4: ['westeurope'],
}

export const vmSizes: VmSize[] = sharedSizes.map((size) => ({
  name: size.vmSize,
  family: size.family,
  familyDisplayName: size.familyDisplayName,
  vCPUs: size.vCPUs,
  memoryGB: size.memoryGiB,
  gpus: size.gpus,
  premiumIO: size.premiumIO,
  lowPriorityCapable: size.spot,
  regions: Object.keys(size.prices),
  restrictedIn: restrictions[size.vmSize] ?? [],
  zones: ['1', '2', '3'],
}))

/** Default regional quota per family on a quotaScale 1 subscription (Azure's defaults are similar). */
export const baseQuota: Record<string, number> = {
  cores: 100,
  lowPriorityCores: 100,
  virtualMachines: 25000,
  virtualMachineScaleSets: 2500,
  availabilitySets: 2500,
  standardBSFamily: 20,
  standardDSv5Family: 64,
  standardDASv5Family: 64,
  standardESv5Family: 64,
  standardNCSv3Family: 24,
  'Standard NCASv3_T4 Family': 16,
  // New subscriptions get no A100 quota until they ask for it, as in Azure.
  StandardNCADSA100v4Family: 0,
}

export const normalizeRegion = (location: string) => location.replace(/\s+/g, '').toLowerCase()

export function findVmSize(name: string): VmSize | undefined {
  const lower = name.toLowerCase()
  return vmSizes.find((s) => s.name.toLowerCase() === lower)
}

export type SizeAvailability = 'available' | 'restricted' | 'notOffered' | 'unknown'

export function availabilityOf(sizeName: string, location: string): SizeAvailability {
  const size = findVmSize(sizeName)
  if (!size) return 'unknown'
  const region = normalizeRegion(location)
  if (!size.regions.includes(region)) return 'notOffered'
  return size.restrictedIn.includes(region) ? 'restricted' : 'available'
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
    capability('MemoryGB', size.memoryGB),
    capability('MaxDataDiskCount', Math.min(64, size.vCPUs * 4)),
    capability('CpuArchitectureType', 'x64'),
    capability('LowPriorityCapable', size.lowPriorityCapable),
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
  const restricted = size.restrictedIn.includes(region)
  return {
    resourceType: 'virtualMachines',
    name: size.name,
    tier: 'Standard',
    size: size.name.replace(/^Standard_/, ''),
    family: size.family,
    locations: [region],
    locationInfo: [
      {
        location: region,
        zones: size.zones,
        // Ultra disks exist in every zone for the general-purpose and memory sizes, as in Azure.
        zoneDetails:
          size.gpus === 0
            ? [{ name: size.zones, capabilities: [{ name: 'UltraSSDAvailable', value: 'True' }] }]
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
