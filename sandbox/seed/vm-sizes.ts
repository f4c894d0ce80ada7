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
/** H100 and ND capacity: fewer regions still, as in Azure. */
const h100Regions: SandboxRegion[] = ['eastus', 'southcentralus', 'westeurope']

/**
 * One size series as Microsoft's size pages and the Retail Prices API describe it (see
 * README.md beside this file): per size vCPUs, memory (GiB), East US Linux pay-as-you-go
 * USD per hour, GPUs and the maximum number of data disks.
 */
interface Series {
  series: string
  family: string
  familyDisplayName: string
  /** ARM size name and Retail Prices meter name from the vCPU count. */
  name: (vCPUs: number) => { vmSize: string; meterName: string }
  sizes: Array<[vCPUs: number, memoryGiB: number, usd: number, maxDataDisks: number, gpus?: number]>
  spot: boolean
  regions: SandboxRegion[]
  restrictedIn?: SandboxRegion[]
  burstable?: boolean
}

const generalPurpose =
  (letter: string, version: string, amd = false) =>
  (n: number) => ({
    vmSize: `Standard_${letter}${n}${amd ? 'as' : 's'}_${version}`,
    meterName: `${letter}${n}${amd ? 'as' : 's'} ${version}`,
  })

const series: Series[] = [
  {
    series: 'BS',
    family: 'standardBSFamily',
    familyDisplayName: 'Standard BS Family vCPUs',
    name: (n) => ({ vmSize: `Standard_B${n}`, meterName: `B${n}` }),
    sizes: [],
    spot: false,
    regions: everywhere,
    burstable: true,
  },
  {
    series: 'Dsv3',
    family: 'standardDSv3Family',
    familyDisplayName: 'Standard DSv3 Family vCPUs',
    name: generalPurpose('D', 'v3'),
    sizes: [
      [2, 8, 0.096, 4],
      [4, 16, 0.192, 8],
      [8, 32, 0.384, 16],
      [16, 64, 0.768, 32],
      [32, 128, 1.536, 32],
      [48, 192, 2.304, 32],
      [64, 256, 3.072, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Dsv4',
    family: 'standardDSv4Family',
    familyDisplayName: 'Standard DSv4 Family vCPUs',
    name: generalPurpose('D', 'v4'),
    sizes: [
      [2, 8, 0.096, 4],
      [4, 16, 0.192, 8],
      [8, 32, 0.384, 16],
      [16, 64, 0.768, 32],
      [32, 128, 1.536, 32],
      [48, 192, 2.304, 32],
      [64, 256, 3.072, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Dsv5',
    family: 'standardDSv5Family',
    familyDisplayName: 'Standard DSv5 Family vCPUs',
    name: generalPurpose('D', 'v5'),
    sizes: [
      [2, 8, 0.096, 4],
      [4, 16, 0.192, 8],
      [8, 32, 0.384, 16],
      [16, 64, 0.768, 32],
      [32, 128, 1.536, 32],
      [48, 192, 2.304, 32],
      [64, 256, 3.072, 32],
      [96, 384, 4.608, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Dsv6',
    family: 'standardDSv6Family',
    familyDisplayName: 'Standard DSv6 Family vCPUs',
    name: generalPurpose('D', 'v6'),
    sizes: [
      [2, 8, 0.101, 8],
      [4, 16, 0.202, 12],
      [8, 32, 0.404, 24],
      [16, 64, 0.808, 48],
      [32, 128, 1.616, 64],
      [48, 192, 2.424, 64],
      [64, 256, 3.232, 64],
      [96, 384, 4.848, 64],
      [128, 512, 6.464, 64],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Dasv5',
    family: 'standardDASv5Family',
    familyDisplayName: 'Standard DASv5 Family vCPUs',
    name: generalPurpose('D', 'v5', true),
    sizes: [
      [2, 8, 0.086, 4],
      [4, 16, 0.172, 8],
      [8, 32, 0.344, 16],
      [16, 64, 0.688, 32],
      [32, 128, 1.376, 32],
      [48, 192, 2.064, 32],
      [64, 256, 2.752, 32],
      [96, 384, 4.128, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Dasv6',
    family: 'standardDASv6Family',
    familyDisplayName: 'Standard DASv6 Family vCPUs',
    name: generalPurpose('D', 'v6', true),
    sizes: [
      [2, 8, 0.0865, 4],
      [4, 16, 0.173, 8],
      [8, 32, 0.346, 16],
      [16, 64, 0.692, 32],
      [32, 128, 1.384, 32],
      [48, 192, 2.076, 32],
      [64, 256, 2.768, 32],
      [96, 384, 4.152, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Esv3',
    family: 'standardESv3Family',
    familyDisplayName: 'Standard ESv3 Family vCPUs',
    name: generalPurpose('E', 'v3'),
    sizes: [
      [2, 16, 0.126, 4],
      [4, 32, 0.252, 8],
      [8, 64, 0.504, 16],
      [16, 128, 1.008, 32],
      [32, 256, 2.016, 32],
      [48, 384, 3.024, 32],
      [64, 432, 3.629, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Esv4',
    family: 'standardESv4Family',
    familyDisplayName: 'Standard ESv4 Family vCPUs',
    name: generalPurpose('E', 'v4'),
    sizes: [
      [2, 16, 0.126, 4],
      [4, 32, 0.252, 8],
      [8, 64, 0.504, 16],
      [16, 128, 1.008, 32],
      [32, 256, 2.016, 32],
      [48, 384, 3.024, 32],
      [64, 504, 4.032, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Esv5',
    family: 'standardESv5Family',
    familyDisplayName: 'Standard ESv5 Family vCPUs',
    name: generalPurpose('E', 'v5'),
    sizes: [
      [2, 16, 0.126, 4],
      [4, 32, 0.252, 8],
      [8, 64, 0.504, 16],
      [16, 128, 1.008, 32],
      [32, 256, 2.016, 32],
      [48, 384, 3.024, 32],
      [64, 512, 4.032, 32],
      [96, 672, 6.048, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'Esv6',
    family: 'standardESv6Family',
    familyDisplayName: 'Standard ESv6 Family vCPUs',
    name: generalPurpose('E', 'v6'),
    sizes: [
      [2, 16, 0.1323, 8],
      [4, 32, 0.2646, 12],
      [8, 64, 0.5292, 24],
      [16, 128, 1.0584, 48],
      [32, 256, 2.1168, 64],
      [48, 384, 3.1752, 64],
      [64, 512, 4.2336, 64],
      [96, 768, 6.3504, 64],
      [128, 1024, 8.4672, 64],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'FSv2',
    family: 'standardFSv2Family',
    familyDisplayName: 'Standard FSv2 Family vCPUs',
    name: (n) => ({ vmSize: `Standard_F${n}s_v2`, meterName: `F${n}s v2` }),
    sizes: [
      [2, 4, 0.0846, 4],
      [4, 8, 0.169, 8],
      [8, 16, 0.338, 16],
      [16, 32, 0.677, 32],
      [32, 64, 1.353, 32],
      [48, 96, 2.03, 32],
      [64, 128, 2.706, 32],
      [72, 144, 3.045, 32],
    ],
    spot: true,
    regions: everywhere,
  },
  {
    series: 'NCSv3',
    family: 'standardNCSv3Family',
    familyDisplayName: 'Standard NCSv3 Family vCPUs',
    name: (n) => ({ vmSize: `Standard_NC${n}s_v3`, meterName: `NC${n}s v3` }),
    sizes: [
      [6, 112, 3.06, 12, 1],
      [12, 224, 6.12, 24, 2],
      [24, 448, 12.24, 32, 4],
    ],
    spot: true,
    regions: everywhere,
    restrictedIn: ['northeurope'],
  },
  {
    series: 'NCasT4_v3',
    family: 'Standard NCASv3_T4 Family',
    familyDisplayName: 'Standard NCASv3_T4 Family vCPUs',
    name: (n) => ({ vmSize: `Standard_NC${n}as_T4_v3`, meterName: `NC${n}as T4 v3` }),
    sizes: [
      [4, 28, 0.526, 8, 1],
      [8, 56, 0.752, 16, 1],
      [16, 110, 1.204, 32, 1],
      [64, 440, 4.352, 32, 4],
    ],
    spot: true,
    regions: everywhere,
    restrictedIn: ['westus2'],
  },
  {
    series: 'NCads A100 v4',
    family: 'StandardNCADSA100v4Family',
    familyDisplayName: 'Standard NCADS_A100_v4 Family vCPUs',
    name: (n) => ({ vmSize: `Standard_NC${n}ads_A100_v4`, meterName: `NC${n}ads A100 v4` }),
    sizes: [
      [24, 220, 3.673, 8, 1],
      [48, 440, 7.346, 16, 2],
      [96, 880, 14.692, 32, 4],
    ],
    spot: true,
    regions: a100Regions,
    restrictedIn: ['westeurope'],
  },
  {
    series: 'NCadsH100v5',
    family: 'StandardNCadsH100v5Family',
    familyDisplayName: 'Standard NCadsH100v5 Family vCPUs',
    name: (n) =>
      n === 40
        ? { vmSize: 'Standard_NC40ads_H100_v5', meterName: 'NC40ads H100 v5' }
        : { vmSize: `Standard_NC${n}adis_H100_v5`, meterName: `NC${n}adis H100 v5` },
    sizes: [
      [40, 320, 6.98, 12, 1],
      [80, 640, 13.96, 24, 2],
    ],
    spot: true,
    regions: h100Regions,
  },
  {
    series: 'NDasrA100v4',
    family: 'standardNDASv4_A100Family',
    familyDisplayName: 'Standard NDASv4_A100 Family vCPUs',
    name: () => ({ vmSize: 'Standard_ND96asr_v4', meterName: 'ND96asr A100 v4' }),
    sizes: [[96, 900, 27.197, 16, 8]],
    spot: true,
    regions: a100Regions,
  },
  {
    series: 'NDamsrA100v4',
    family: 'StandardNDAMSv4_A100Family',
    familyDisplayName: 'Standard NDAMSv4_A100 Family vCPUs',
    name: () => ({ vmSize: 'Standard_ND96amsr_A100_v4', meterName: 'ND96amsr A100 v4' }),
    sizes: [[96, 1900, 32.77, 16, 8]],
    spot: true,
    regions: a100Regions,
  },
  {
    series: 'NDsrH100v5',
    family: 'standardNDSH100v5Family',
    familyDisplayName: 'Standard NDSH100v5 Family vCPUs',
    name: () => ({ vmSize: 'Standard_ND96isr_H100_v5', meterName: 'ND96isr H100 v5' }),
    sizes: [[96, 1900, 98.32, 16, 8]],
    spot: true,
    regions: h100Regions,
  },
]

/** B-series names carry the memory letter: B2s (4 GiB), B2ms (8 GiB). */
const burstable: Array<
  [name: string, vCPUs: number, memoryGiB: number, usd: number, disks: number]
> = [
  ['B1s', 1, 1, 0.0104, 2],
  ['B1ms', 1, 2, 0.0207, 2],
  ['B2s', 2, 4, 0.0416, 4],
  ['B2ms', 2, 8, 0.0832, 4],
  ['B4ms', 4, 16, 0.166, 8],
  ['B8ms', 8, 32, 0.333, 16],
  ['B12ms', 12, 48, 0.499, 16],
  ['B16ms', 16, 64, 0.666, 32],
  ['B20ms', 20, 80, 0.832, 32],
]

function sizesOf(spec: Series): VmSize[] {
  const rows =
    spec.series === 'BS'
      ? burstable.map(([name, vCPUs, memoryGiB, usd, disks]) => ({
          names: { vmSize: `Standard_${name}`, meterName: name },
          row: [vCPUs, memoryGiB, usd, disks, 0] as const,
        }))
      : spec.sizes.map((row) => ({ names: spec.name(row[0]), row }))
  return rows.map(({ names, row: [vCPUs, memoryGiB, usd, maxDataDisks, gpus] }) => ({
    ...names,
    family: spec.family,
    familyDisplayName: spec.familyDisplayName,
    series: spec.series,
    vCPUs,
    memoryGiB,
    gpus: gpus ?? 0,
    premiumIO: true,
    maxDataDisks,
    spot: spec.spot,
    prices: pricesIn(usd, vCPUs, spec.regions, spec.burstable),
    ...(spec.restrictedIn ? { restrictedIn: spec.restrictedIn } : {}),
  }))
}

export const vmSizes: VmSize[] = series.flatMap(sizesOf)

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
  // Six places, as the Retail Prices meters carry the discounted rate.
  const discounted = base * (1 - (priority === 'Spot' ? spotDiscount : lowPriorityDiscount))
  return Math.round(discounted * 1_000_000) / 1_000_000
}
