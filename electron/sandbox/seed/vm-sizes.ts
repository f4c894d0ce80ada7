/**
 * The VM sizes and regions the sandbox offers: one list shared by compute (resource SKUs,
 * quota families, availability) and Retail Prices (meters). Hourly pay-as-you-go prices in
 * USD follow the public Azure price list closely enough for estimates to look familiar;
 * Windows adds a per-vCPU licence charge that does not vary by region, as in Azure.
 */

export type SandboxRegion = 'eastus' | 'westeurope' | 'southcentralus' | 'westus2' | 'northeurope'

export interface RegionInfo {
  name: SandboxRegion
  /** ARM display name ("East US"). */
  displayName: string
  /** Retail Prices `location` ("US East"). */
  priceLocation: string
}

export const regions: RegionInfo[] = [
  { name: 'eastus', displayName: 'East US', priceLocation: 'US East' },
  { name: 'westeurope', displayName: 'West Europe', priceLocation: 'EU West' },
  { name: 'southcentralus', displayName: 'South Central US', priceLocation: 'US South Central' },
  { name: 'westus2', displayName: 'West US 2', priceLocation: 'US West 2' },
  { name: 'northeurope', displayName: 'North Europe', priceLocation: 'EU North' },
]

export interface HourlyPrice {
  linux: number
  windows: number
}

export interface VmSize {
  /** ARM size name, e.g. Standard_D4s_v5. */
  vmSize: string
  /**
   * Compute quota family (usages `name.value`), e.g. standardDSv5Family; Azure spells the
   * newer GPU families differently ('Standard NCASv3_T4 Family', 'StandardNCADSA100v4Family').
   */
  family: string
  /** Quota family display name, e.g. "Standard DSv5 Family vCPUs". */
  familyDisplayName: string
  /** Retail Prices series: productName is `Virtual Machines ${series} Series[ Windows]`. */
  series: string
  /** Retail Prices skuName/meterName base, e.g. "D4s v5". */
  meterName: string
  vCPUs: number
  memoryGiB: number
  gpus: number
  /** Premium SSD disks allowed (all sizes here are "s" sizes). */
  premiumIO: boolean
  maxDataDisks: number
  /** Spot and Batch Low Priority meters exist for this size (not for B-series). */
  spot: boolean
  /** Offered in these regions only; the USD hourly price per region. */
  prices: Partial<Record<SandboxRegion, HourlyPrice>>
  /** Regions where the SKU API lists the size but not for the sandbox's subscriptions. */
  restrictedIn?: SandboxRegion[]
}

/** Regional price level relative to East US (West Europe is dearer, as in Azure). */
const regionFactor: Record<SandboxRegion, number> = {
  eastus: 1,
  westus2: 1,
  southcentralus: 1.02,
  northeurope: 1.08,
  westeurope: 1.16,
}

/** Windows licence per vCPU-hour (USD); B-series burstable pays a lower rate. */
const windowsPerVcpu = 0.046
const windowsPerVcpuBurstable = 0.004

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000

function pricesIn(
  eastusLinux: number,
  vCPUs: number,
  available: SandboxRegion[],
  burstable = false,
): Partial<Record<SandboxRegion, HourlyPrice>> {
  const licence = vCPUs * (burstable ? windowsPerVcpuBurstable : windowsPerVcpu)
  const prices: Partial<Record<SandboxRegion, HourlyPrice>> = {}
  for (const region of available) {
    const linux = round4(eastusLinux * regionFactor[region])
    prices[region] = { linux, windows: round4(linux + licence) }
  }
  return prices
}

const everywhere: SandboxRegion[] = regions.map((r) => r.name)
/** A100 capacity is not offered in North Europe or West US 2 in the sandbox. */
const a100Regions: SandboxRegion[] = ['eastus', 'southcentralus', 'westeurope']

export const vmSizes: VmSize[] = [
  ...(
    [
      [2, 4, 0.0416],
      [2, 8, 0.0832],
      [4, 16, 0.166],
    ] as const
  ).map(([vCPUs, memoryGiB, usd]): VmSize => ({
    vmSize: `Standard_B${vCPUs}${memoryGiB === 4 ? 's' : 'ms'}`,
    family: 'standardBSFamily',
    familyDisplayName: 'Standard BS Family vCPUs',
    series: 'BS',
    meterName: `B${vCPUs}${memoryGiB === 4 ? 's' : 'ms'}`,
    vCPUs,
    memoryGiB,
    gpus: 0,
    premiumIO: true,
    maxDataDisks: vCPUs * 2,
    spot: false,
    prices: pricesIn(usd, vCPUs, everywhere, true),
  })),
  ...[2, 4, 8, 16].map((n): VmSize => ({
    vmSize: `Standard_D${n}s_v5`,
    family: 'standardDSv5Family',
    familyDisplayName: 'Standard DSv5 Family vCPUs',
    series: 'Dsv5',
    meterName: `D${n}s v5`,
    vCPUs: n,
    memoryGiB: n * 4,
    gpus: 0,
    premiumIO: true,
    maxDataDisks: Math.min(32, n * 2 + 4),
    spot: true,
    prices: pricesIn(0.048 * n, n, everywhere),
  })),
  ...[4, 8].map((n): VmSize => ({
    vmSize: `Standard_D${n}as_v5`,
    family: 'standardDASv5Family',
    familyDisplayName: 'Standard DASv5 Family vCPUs',
    series: 'Dasv5',
    meterName: `D${n}as v5`,
    vCPUs: n,
    memoryGiB: n * 4,
    gpus: 0,
    premiumIO: true,
    maxDataDisks: n * 2 + 4,
    spot: true,
    prices: pricesIn(0.043 * n, n, everywhere),
  })),
  ...[4, 8, 16].map((n): VmSize => ({
    vmSize: `Standard_E${n}s_v5`,
    family: 'standardESv5Family',
    familyDisplayName: 'Standard ESv5 Family vCPUs',
    series: 'Esv5',
    meterName: `E${n}s v5`,
    vCPUs: n,
    memoryGiB: n * 8,
    gpus: 0,
    premiumIO: true,
    maxDataDisks: Math.min(32, n * 2),
    spot: true,
    prices: pricesIn(0.063 * n, n, everywhere),
  })),
  ...(
    [
      [6, 112, 1, 3.06],
      [12, 224, 2, 6.12],
    ] as const
  ).map(([vCPUs, memoryGiB, gpus, usd]): VmSize => ({
    vmSize: `Standard_NC${vCPUs}s_v3`,
    family: 'standardNCSv3Family',
    familyDisplayName: 'Standard NCSv3 Family vCPUs',
    series: 'NCSv3',
    meterName: `NC${vCPUs}s v3`,
    vCPUs,
    memoryGiB,
    gpus,
    premiumIO: true,
    maxDataDisks: vCPUs * 2,
    spot: true,
    prices: pricesIn(usd, vCPUs, everywhere),
    restrictedIn: ['northeurope'],
  })),
  {
    vmSize: 'Standard_NC4as_T4_v3',
    family: 'Standard NCASv3_T4 Family',
    familyDisplayName: 'Standard NCASv3_T4 Family vCPUs',
    series: 'NCasT4_v3',
    meterName: 'NC4as T4 v3',
    vCPUs: 4,
    memoryGiB: 28,
    gpus: 1,
    premiumIO: true,
    maxDataDisks: 8,
    spot: true,
    prices: pricesIn(0.526, 4, everywhere),
    restrictedIn: ['westus2'],
  },
  {
    vmSize: 'Standard_NC8as_T4_v3',
    family: 'Standard NCASv3_T4 Family',
    familyDisplayName: 'Standard NCASv3_T4 Family vCPUs',
    series: 'NCasT4_v3',
    meterName: 'NC8as T4 v3',
    vCPUs: 8,
    memoryGiB: 56,
    gpus: 1,
    premiumIO: true,
    maxDataDisks: 16,
    spot: true,
    prices: pricesIn(0.752, 8, everywhere),
    restrictedIn: ['westus2'],
  },
  {
    vmSize: 'Standard_NC24ads_A100_v4',
    family: 'StandardNCADSA100v4Family',
    familyDisplayName: 'Standard NCADS_A100_v4 Family vCPUs',
    series: 'NCads A100 v4',
    meterName: 'NC24ads A100 v4',
    vCPUs: 24,
    memoryGiB: 220,
    gpus: 1,
    premiumIO: true,
    maxDataDisks: 8,
    spot: true,
    prices: pricesIn(3.673, 24, a100Regions),
    restrictedIn: ['westeurope'],
  },
]

/** Spot and Low Priority discount against the Linux or Windows pay-as-you-go rate. */
export const spotDiscount = 0.82
export const lowPriorityDiscount = 0.8

/** The regions a size is offered in: those it has a price in. */
export function offeredRegions(size: VmSize): SandboxRegion[] {
  return Object.keys(size.prices) as SandboxRegion[]
}

export const isOfferedIn = (size: VmSize, region: string): boolean =>
  Object.hasOwn(size.prices, region)

export const isRestrictedIn = (size: VmSize, region: string): boolean =>
  size.restrictedIn?.some((restricted) => restricted === region) ?? false

/** Case-insensitive lookup, as ARM treats size names. */
export function findVmSize(vmSize: string): VmSize | undefined {
  const wanted = vmSize.toLowerCase()
  return vmSizes.find((s) => s.vmSize.toLowerCase() === wanted)
}

/**
 * Hourly USD rate of one running instance; undefined where the size is not offered.
 * Spot uses the Spot meter (Azure bills Spot at the current Spot price, fixed here).
 */
export function hourlyUsd(
  vmSize: string,
  region: string,
  os: 'Linux' | 'Windows',
  priority: 'Regular' | 'Spot' | 'Low' = 'Regular',
): number | undefined {
  const size = findVmSize(vmSize)
  const price = size?.prices[region.toLowerCase() as SandboxRegion]
  if (!size || !price) return undefined
  const base = os === 'Windows' ? price.windows : price.linux
  if (priority === 'Regular') return base
  if (!size.spot) return undefined
  return round4(base * (1 - (priority === 'Spot' ? spotDiscount : lowPriorityDiscount)))
}
