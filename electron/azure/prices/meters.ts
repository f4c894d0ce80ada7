import { diskProductNames, diskTierFor } from '../../../shared/cost/disk-tiers'
import type {
  CostPart,
  CostPoolSpec,
  DiskStorageType,
  ShareRedundancy,
  ShareTier,
} from '../../../shared/cost/types'
import type { PriceQuery } from './odata'
import type { RetailPriceItem } from './types'

/*
 * Which retail meter prices which part of a pool, chosen by rule and never by guess: a rule
 * that leaves no meter, or more than one, is a MeterProblem the caller reports.
 */

export interface MeterProblem {
  part: CostPart
  kind: 'none' | 'ambiguous'
  /** What was looked for, in words ("Standard_D4s_v5 Linux Spot in eastus"). */
  wanted: string
  /** The meters that matched (ambiguous) or came closest (none: same query, other rules). */
  candidates: Array<
    Pick<
      RetailPriceItem,
      'productName' | 'skuName' | 'meterName' | 'type' | 'retailPrice' | 'unitOfMeasure'
    >
  >
}

export type MeterMatch = { meter: RetailPriceItem } | { problem: MeterProblem }

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

function pick(
  part: CostPart,
  wanted: string,
  pool: RetailPriceItem[],
  matches: (item: RetailPriceItem) => boolean,
): MeterMatch {
  let found = pool.filter(matches)
  // The same meter listed twice (a non-primary region copy) is one meter.
  if (found.length > 1) {
    const primary = found.filter((m) => m.isPrimaryMeterRegion)
    if (primary.length > 0) found = primary
    found = [...new Map(found.map((m) => [m.meterId, m])).values()]
  }
  if (found.length === 1) return { meter: found[0]! }
  const shown = (found.length === 0 ? pool : found).slice(0, 10).map((m) => ({
    productName: m.productName,
    skuName: m.skuName,
    meterName: m.meterName,
    type: m.type,
    retailPrice: m.retailPrice,
    unitOfMeasure: m.unitOfMeasure,
  }))
  return {
    problem: { part, kind: found.length === 0 ? 'none' : 'ambiguous', wanted, candidates: shown },
  }
}

// ---- compute --------------------------------------------------------------------------

export type VmWanted = Pick<CostPoolSpec, 'region' | 'vmSize' | 'os' | 'priority' | 'priceType'>

export const vmPriceQuery = (want: VmWanted): PriceQuery => ({
  serviceName: 'Virtual Machines',
  armRegionName: want.region,
  armSkuName: want.vmSize,
  priceType: want.priceType ?? 'Consumption',
})

/**
 * The hourly meter of one instance. Windows meters' product names end in " Windows"; Spot
 * and Low Priority meters' SKU names end in " Spot" / " Low Priority"; Dev/Test prices are
 * type DevTestConsumption. Each is taken only when asked for.
 */
export function selectVmMeter(items: RetailPriceItem[], want: VmWanted): MeterMatch {
  const priceType = want.priceType ?? 'Consumption'
  const priorityOf = (skuName: string) =>
    / Spot$/i.test(skuName) ? 'Spot' : / Low Priority$/i.test(skuName) ? 'LowPriority' : 'Regular'
  const wanted = `${want.vmSize} ${want.os} ${want.priority}${priceType === 'DevTestConsumption' ? ' Dev/Test' : ''} in ${want.region}`
  return pick(
    'compute',
    wanted,
    items,
    (m) =>
      same(m.serviceName, 'Virtual Machines') &&
      same(m.armRegionName, want.region) &&
      same(m.armSkuName, want.vmSize) &&
      same(m.type, priceType) &&
      m.unitOfMeasure === '1 Hour' &&
      / Windows$/i.test(m.productName) === (want.os === 'Windows') &&
      priorityOf(m.skuName) === want.priority,
  )
}

// ---- OS disk ----------------------------------------------------------------------------

export type DiskWanted = { region: string } & CostPoolSpec['osDisk']

export const diskPriceQuery = (want: DiskWanted): PriceQuery => ({
  serviceName: 'Storage',
  armRegionName: want.region,
  priceType: 'Consumption',
  productName: diskProductNames[want.storageAccountType],
})

/** The monthly meter of the disk's billed tier (e.g. "P10 LRS Disk", 1/Month). */
export function selectDiskMeter(items: RetailPriceItem[], want: DiskWanted): MeterMatch {
  const tier = diskTierFor(want.storageAccountType as DiskStorageType, want.sizeGiB)
  const wanted = `${want.storageAccountType} ${want.sizeGiB} GiB OS disk${tier ? ` (${tier.tier})` : ''} in ${want.region}`
  if (!tier) return { problem: { part: 'disks', kind: 'none', wanted, candidates: [] } }
  return pick(
    'disks',
    wanted,
    items,
    (m) =>
      same(m.armRegionName, want.region) &&
      same(m.productName, diskProductNames[want.storageAccountType]) &&
      same(m.skuName, `${tier.tier} LRS`) &&
      same(m.meterName, `${tier.tier} LRS Disk`) &&
      same(m.type, 'Consumption') &&
      /^1 ?\/? ?Month$/i.test(m.unitOfMeasure),
  )
}

// ---- Azure Files ------------------------------------------------------------------------

export type ShareWanted = { region: string; tier: ShareTier; redundancy: ShareRedundancy }

/** Product, SKU and meter of a share's capacity: provisioned (Premium) or stored (others). */
export function shareMeterNames(tier: ShareTier, redundancy: ShareRedundancy) {
  switch (tier) {
    case 'Premium':
      return {
        productName: 'Premium Files',
        skuName: `Premium ${redundancy}`,
        meterName: `Premium ${redundancy} Provisioned`,
      }
    case 'TransactionOptimized':
      return {
        productName: 'Files v2',
        skuName: `Standard ${redundancy}`,
        meterName: `${redundancy} Data Stored`,
      }
    case 'Hot':
    case 'Cool':
      return {
        productName: 'Files v2',
        skuName: `${tier} ${redundancy}`,
        meterName: `${tier} ${redundancy} Data Stored`,
      }
  }
}

export const sharePriceQuery = (want: ShareWanted): PriceQuery => ({
  serviceName: 'Storage',
  armRegionName: want.region,
  priceType: 'Consumption',
  productName: shareMeterNames(want.tier, want.redundancy).productName,
})

/** Per GiB-month (GB-month for standard tiers, as Azure labels them). */
export function selectShareMeter(items: RetailPriceItem[], want: ShareWanted): MeterMatch {
  const names = shareMeterNames(want.tier, want.redundancy)
  return pick(
    'storage',
    `${want.tier} ${want.redundancy} file share in ${want.region}`,
    items,
    (m) =>
      same(m.armRegionName, want.region) &&
      same(m.productName, names.productName) &&
      same(m.skuName, names.skuName) &&
      same(m.meterName, names.meterName) &&
      same(m.type, 'Consumption') &&
      /^1 Gi?B\/Month$/i.test(m.unitOfMeasure),
  )
}

// ---- network ----------------------------------------------------------------------------

export const publicIpPriceQuery = (region: string): PriceQuery => ({
  serviceName: 'Virtual Network',
  armRegionName: region,
  priceType: 'Consumption',
  productName: 'IP Addresses',
})

/** A Standard static IPv4 address, per hour. */
export function selectPublicIpMeter(items: RetailPriceItem[], region: string): MeterMatch {
  return pick(
    'network',
    `Standard public IP in ${region}`,
    items,
    (m) =>
      same(m.armRegionName, region) &&
      same(m.productName, 'IP Addresses') &&
      same(m.skuName, 'Standard') &&
      same(m.meterName, 'Standard IPv4 Static Public IP') &&
      same(m.type, 'Consumption') &&
      /^1 ?\/? ?Hour$/i.test(m.unitOfMeasure),
  )
}

export const loadBalancerPriceQuery = (region: string): PriceQuery => ({
  serviceName: 'Load Balancer',
  armRegionName: region,
  priceType: 'Consumption',
  productName: 'Load Balancer',
})

/** The Standard load balancer's base hourly charge (first five rules) and the per-rule overage. */
export function selectLoadBalancerMeters(
  items: RetailPriceItem[],
  region: string,
): { base: MeterMatch; rule: MeterMatch } {
  const meter = (meterName: string, what: string) =>
    pick(
      'network',
      `Standard load balancer ${what} in ${region}`,
      items,
      (m) =>
        same(m.armRegionName, region) &&
        same(m.productName, 'Load Balancer') &&
        same(m.skuName, 'Standard') &&
        same(m.meterName, meterName) &&
        same(m.type, 'Consumption') &&
        /^1 ?\/? ?Hour$/i.test(m.unitOfMeasure),
    )
  return {
    base: meter('Standard Included LB Rules and Outbound Rules', 'rules (first five)'),
    rule: meter('Standard Overage LB Rules and Outbound Rules', 'rules (each further rule)'),
  }
}
