import { createHash } from 'node:crypto'
import {
  lowPriorityDiscount,
  regions,
  spotDiscount,
  vmSizes,
  type RegionInfo,
  type VmSize,
} from '../seed/vm-sizes'

/** One meter as the Retail Prices API returns it (field order as in Microsoft's sample). */
export interface RetailPriceItem {
  currencyCode: string
  tierMinimumUnits: number
  reservationTerm?: string
  retailPrice: number
  unitPrice: number
  armRegionName: string
  location: string
  effectiveStartDate: string
  meterId: string
  meterName: string
  productId: string
  skuId: string
  productName: string
  skuName: string
  serviceName: string
  serviceId: string
  serviceFamily: string
  unitOfMeasure: string
  type: 'Consumption' | 'DevTestConsumption' | 'Reservation'
  isPrimaryMeterRegion: boolean
  armSkuName: string
  /** api-version 2023-01-01-preview and later, on pay-as-you-go VM meters. */
  savingsPlan?: Array<{ unitPrice: number; retailPrice: number; term: '1 Year' | '3 Years' }>
}

const serviceIds: Record<string, string> = {
  'Virtual Machines': 'DZH313Z7MMC8',
  Storage: 'DZH317F1HKN0',
  'Virtual Network': 'DZH3180HX10K',
  'Load Balancer': 'DZH318Z0BNVX',
}

const hash = (text: string) => createHash('sha1').update(text).digest('hex')

/** A stable GUID-shaped meter id, so ids do not change between starts. */
function meterIdOf(key: string): string {
  const h = hash(key)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** Product and SKU ids look like Microsoft's (DZH318Z0BQPS, DZH318Z0BQPS/00TG). */
function codeOf(key: string, length: number): string {
  return BigInt(`0x${hash(key)}`)
    .toString(36)
    .toUpperCase()
    .slice(0, length)
    .padStart(length, '0')
}

interface MeterSpec {
  region: RegionInfo
  usd: number
  meterName: string
  productName: string
  skuName: string
  serviceName: string
  serviceFamily: string
  unitOfMeasure: string
  type: RetailPriceItem['type']
  armSkuName: string
  effectiveStartDate: string
  reservationTerm?: string
}

const round6 = (value: number) => Math.round(value * 1_000_000) / 1_000_000

function item(spec: MeterSpec): RetailPriceItem {
  const productId = `DZH318Z0${codeOf(spec.productName, 4)}`
  const skuId = `${productId}/${codeOf(`${spec.productName}|${spec.skuName}`, 4)}`
  const usd = round6(spec.usd)
  return {
    currencyCode: 'USD',
    tierMinimumUnits: 0,
    ...(spec.reservationTerm ? { reservationTerm: spec.reservationTerm } : {}),
    retailPrice: usd,
    unitPrice: usd,
    armRegionName: spec.region.name,
    location: spec.region.priceLocation,
    effectiveStartDate: spec.effectiveStartDate,
    meterId: meterIdOf(
      `${spec.region.name}|${spec.productName}|${spec.skuName}|${spec.meterName}|${spec.type}|${spec.reservationTerm ?? ''}`,
    ),
    meterName: spec.meterName,
    productId,
    skuId,
    productName: spec.productName,
    skuName: spec.skuName,
    serviceName: spec.serviceName,
    serviceId: serviceIds[spec.serviceName] ?? 'DZH318Z0SRV0',
    serviceFamily: spec.serviceFamily,
    unitOfMeasure: spec.unitOfMeasure,
    type: spec.type,
    isPrimaryMeterRegion: true,
    armSkuName: spec.armSkuName,
  }
}

/** Hours Azure uses to turn a monthly price into an hourly one. */
export const hoursPerMonth = 730
const reservationTerms = [
  { term: '1 Year', hours: 8760, factor: 0.59 },
  { term: '3 Years', hours: 26280, factor: 0.38 },
] as const

export const vmProductName = (size: VmSize, os: 'Linux' | 'Windows') =>
  `Virtual Machines ${size.series} Series${os === 'Windows' ? ' Windows' : ''}`

function vmMeters(size: VmSize, region: RegionInfo): RetailPriceItem[] {
  const price = size.prices[region.name]
  if (!price) return []
  const common = {
    region,
    serviceName: 'Virtual Machines',
    serviceFamily: 'Compute',
    unitOfMeasure: '1 Hour',
    armSkuName: size.vmSize,
    effectiveStartDate: size.series.includes('v5')
      ? '2021-11-01T00:00:00Z'
      : '2020-08-01T00:00:00Z',
  }
  const variants: Array<{ suffix: string; factor: number }> = [{ suffix: '', factor: 1 }]
  if (size.spot) {
    variants.push({ suffix: ' Spot', factor: 1 - spotDiscount })
    variants.push({ suffix: ' Low Priority', factor: 1 - lowPriorityDiscount })
  }
  const items: RetailPriceItem[] = []
  for (const { suffix, factor } of variants) {
    const name = `${size.meterName}${suffix}`
    const meter = { ...common, meterName: name, skuName: name }
    items.push(
      item({
        ...meter,
        productName: vmProductName(size, 'Linux'),
        usd: price.linux * factor,
        type: 'Consumption',
      }),
    )
    items.push(
      item({
        ...meter,
        productName: vmProductName(size, 'Windows'),
        usd: price.windows * factor,
        type: 'Consumption',
      }),
    )
    // Dev/Test subscriptions pay no Windows licence: the Windows meter at the Linux rate.
    items.push(
      item({
        ...meter,
        productName: vmProductName(size, 'Windows'),
        usd: price.linux * factor,
        type: 'DevTestConsumption',
      }),
    )
  }
  for (const { term, hours, factor } of reservationTerms) {
    const name = size.meterName
    items.push(
      item({
        ...common,
        meterName: name,
        skuName: name,
        productName: vmProductName(size, 'Linux'),
        usd: Math.round(price.linux * hours * factor),
        type: 'Reservation',
        reservationTerm: term,
      }),
    )
  }
  return items
}

export interface DiskTier {
  /** P10, E10, S10 ... */
  tier: string
  /** ARM storageAccountType of the managed disk. */
  storageAccountType: 'Premium_LRS' | 'StandardSSD_LRS' | 'Standard_LRS'
  sizeGiB: number
  /** East US price per month. */
  monthlyUsd: number
}

const diskProducts: Record<DiskTier['storageAccountType'], string> = {
  Premium_LRS: 'Premium SSD Managed Disks',
  StandardSSD_LRS: 'Standard SSD Managed Disks',
  Standard_LRS: 'Standard HDD Managed Disks',
}

const diskSizes = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767]
const diskNumbers = [1, 2, 3, 4, 6, 10, 15, 20, 30, 40, 50, 60, 70, 80]
/** East US per month; Standard HDD starts at S4 (32 GiB), as in Azure. */
const diskPrices: Record<
  DiskTier['storageAccountType'],
  { letter: string; usd: Array<number | null> }
> = {
  Premium_LRS: {
    letter: 'P',
    usd: [
      0.77, 1.54, 3.01, 5.28, 10.21, 19.71, 38.01, 73.22, 135.17, 259.05, 495.57, 946.08, 1802.06,
      3604.12,
    ],
  },
  StandardSSD_LRS: {
    letter: 'E',
    usd: [0.3, 0.6, 1.2, 2.4, 4.8, 9.6, 19.2, 38.4, 76.8, 153.6, 307.2, 614.4, 1228.8, 2457.6],
  },
  Standard_LRS: {
    letter: 'S',
    usd: [
      null,
      null,
      null,
      1.54,
      3.01,
      5.89,
      11.33,
      21.76,
      40.96,
      77.83,
      148.68,
      262.14,
      524.29,
      1048.58,
    ],
  },
}

export const diskTiers: DiskTier[] = Object.entries(diskPrices).flatMap(([type, { letter, usd }]) =>
  diskNumbers.flatMap((n, i) =>
    usd[i] === null || usd[i] === undefined
      ? []
      : [
          {
            tier: `${letter}${n}`,
            storageAccountType: type as DiskTier['storageAccountType'],
            sizeGiB: diskSizes[i]!,
            monthlyUsd: usd[i],
          },
        ],
  ),
)

/** The billed tier of a managed disk: the smallest tier of its type that holds its size. */
export function diskTierFor(storageAccountType: string, sizeGiB: number): DiskTier | undefined {
  const wanted = storageAccountType.toLowerCase()
  return diskTiers.find(
    (t) => t.storageAccountType.toLowerCase() === wanted && t.sizeGiB >= sizeGiB,
  )
}

/** Storage is a little dearer in Europe, as in Azure. */
const storageRegionFactor: Record<string, number> = {
  eastus: 1,
  westus2: 1,
  southcentralus: 1.05,
  northeurope: 1.05,
  westeurope: 1.1,
}

export const diskMeterName = (tier: string) => `${tier} LRS Disk`

function diskMeters(region: RegionInfo): RetailPriceItem[] {
  return diskTiers.map((disk) =>
    item({
      region,
      usd: disk.monthlyUsd * (storageRegionFactor[region.name] ?? 1),
      meterName: diskMeterName(disk.tier),
      productName: diskProducts[disk.storageAccountType],
      skuName: `${disk.tier} LRS`,
      serviceName: 'Storage',
      serviceFamily: 'Storage',
      unitOfMeasure: '1/Month',
      type: 'Consumption',
      armSkuName: '',
      effectiveStartDate: '2019-06-01T00:00:00Z',
    }),
  )
}

/** Azure Files data-stored meters per share tier and redundancy; East US USD per GiB-month. */
const filesPrices: Record<string, Record<string, number>> = {
  premium: { LRS: 0.16, ZRS: 0.2 },
  transactionoptimized: { LRS: 0.06, ZRS: 0.075, GRS: 0.1 },
  hot: { LRS: 0.0255, ZRS: 0.032, GRS: 0.0459 },
  cool: { LRS: 0.015, ZRS: 0.0188, GRS: 0.027 },
}

/**
 * The Files meter names for a share tier and redundancy (a filesStorage usage's sku, e.g.
 * "Premium LRS", "TransactionOptimized GRS", "Hot"); undefined for unknown combinations.
 */
export function filesMeterOf(
  tier: string,
  redundancy = 'LRS',
): { productName: string; skuName: string; meterName: string } | undefined {
  const key = tier.toLowerCase()
  const red = redundancy.toUpperCase()
  if (filesPrices[key]?.[red] === undefined) return undefined
  if (key === 'premium')
    return {
      productName: 'Premium Files',
      skuName: `Premium ${red}`,
      meterName: `Premium ${red} Provisioned`,
    }
  if (key === 'transactionoptimized')
    return { productName: 'Files v2', skuName: `Standard ${red}`, meterName: `${red} Data Stored` }
  const label = key === 'hot' ? 'Hot' : 'Cool'
  return {
    productName: 'Files v2',
    skuName: `${label} ${red}`,
    meterName: `${label} ${red} Data Stored`,
  }
}

function filesMeters(region: RegionInfo): RetailPriceItem[] {
  const factor = storageRegionFactor[region.name] ?? 1
  const storage = (
    productName: string,
    skuName: string,
    meterName: string,
    usd: number,
    unit: string,
  ) =>
    item({
      region,
      usd: usd * factor,
      meterName,
      productName,
      skuName,
      serviceName: 'Storage',
      serviceFamily: 'Storage',
      unitOfMeasure: unit,
      type: 'Consumption',
      armSkuName: '',
      effectiveStartDate: '2023-03-01T00:00:00Z',
    })
  const items: RetailPriceItem[] = []
  for (const [tier, byRedundancy] of Object.entries(filesPrices)) {
    for (const [redundancy, usd] of Object.entries(byRedundancy)) {
      const names = filesMeterOf(tier, redundancy)!
      const unit = tier === 'premium' ? '1 GiB/Month' : '1 GB/Month'
      items.push(storage(names.productName, names.skuName, names.meterName, usd, unit))
      if (tier === 'premium') continue
      const writes = tier === 'cool' ? 0.13 : tier === 'hot' ? 0.065 : 0.015
      items.push(
        storage(
          names.productName,
          names.skuName,
          names.meterName.replace('Data Stored', 'Write Operations'),
          writes,
          '10K',
        ),
      )
    }
  }
  items.push(storage('Premium Files', 'Premium LRS', 'Premium LRS Snapshots', 0.12, '1 GiB/Month'))
  return items
}

export const publicIpMeterOf: Record<string, { skuName: string; meterName: string }> = {
  standard: { skuName: 'Standard', meterName: 'Standard IPv4 Static Public IP' },
  basic: { skuName: 'Basic', meterName: 'Basic IPv4 Static Public IP' },
}

export const loadBalancerMeterNames = {
  includedRules: 'Standard Included LB Rules and Outbound Rules',
  overageRules: 'Standard Overage LB Rules and Outbound Rules',
  dataProcessed: 'Standard Data Processed',
} as const
/** Rules covered by the Standard load balancer's base hourly charge. */
export const includedLoadBalancerRules = 5

function networkMeters(region: RegionInfo): RetailPriceItem[] {
  const network = (
    serviceName: string,
    productName: string,
    skuName: string,
    meterName: string,
    usd: number,
    unit: string,
  ) =>
    item({
      region,
      usd,
      meterName,
      productName,
      skuName,
      serviceName,
      serviceFamily: 'Networking',
      unitOfMeasure: unit,
      type: 'Consumption',
      armSkuName: '',
      effectiveStartDate: '2023-07-01T00:00:00Z',
    })
  return [
    network(
      'Virtual Network',
      'IP Addresses',
      'Standard',
      'Standard IPv4 Static Public IP',
      0.005,
      '1 Hour',
    ),
    network(
      'Virtual Network',
      'IP Addresses',
      'Basic',
      'Basic IPv4 Static Public IP',
      0.0036,
      '1 Hour',
    ),
    network(
      'Virtual Network',
      'IP Addresses',
      'Basic',
      'Basic IPv4 Dynamic Public IP',
      0.004,
      '1 Hour',
    ),
    network(
      'Load Balancer',
      'Load Balancer',
      'Standard',
      loadBalancerMeterNames.includedRules,
      0.025,
      '1 Hour',
    ),
    network(
      'Load Balancer',
      'Load Balancer',
      'Standard',
      loadBalancerMeterNames.overageRules,
      0.01,
      '1/Hour',
    ),
    network(
      'Load Balancer',
      'Load Balancer',
      'Standard',
      loadBalancerMeterNames.dataProcessed,
      0.005,
      '1 GB',
    ),
  ]
}

function buildCatalogue(): RetailPriceItem[] {
  const items: RetailPriceItem[] = []
  for (const region of regions) {
    for (const size of vmSizes) items.push(...vmMeters(size, region))
    items.push(...diskMeters(region), ...filesMeters(region), ...networkMeters(region))
  }
  return items
}

/** Every meter the sandbox prices, in USD, in a stable order (the order pages are cut from). */
export const retailCatalogue: readonly RetailPriceItem[] = buildCatalogue()

const byKey = new Map<string, RetailPriceItem>()
const keyOf = (
  region: string,
  productName: string,
  skuName: string,
  meterName: string,
  type: string,
) => [region, productName, skuName, meterName, type].join('|').toLowerCase()
for (const entry of retailCatalogue) {
  if (entry.type === 'Reservation') continue
  byKey.set(
    keyOf(entry.armRegionName, entry.productName, entry.skuName, entry.meterName, entry.type),
    entry,
  )
}

/** The pay-as-you-go (or Dev/Test) meter with exactly these names, if the sandbox has it. */
export function findMeter(
  region: string,
  productName: string,
  skuName: string,
  meterName: string,
  type: 'Consumption' | 'DevTestConsumption' = 'Consumption',
): RetailPriceItem | undefined {
  return byKey.get(keyOf(region, productName, skuName, meterName, type))
}
