/**
 * What the cost math needs to know about a pool, and the unit prices it multiplies. Pure
 * data: the wizard, the pool detail and main's price lookup all speak these shapes.
 */

export type OsType = 'Linux' | 'Windows'
/** Regular pay-as-you-go, Spot, or Batch Low Priority (only when chosen on purpose). */
export type VmPriority = 'Regular' | 'Spot' | 'LowPriority'
/** Pay-as-you-go prices, or Dev/Test subscription prices (no Windows licence). */
export type PriceType = 'Consumption' | 'DevTestConsumption'
/** ARM `storageAccountType` of a managed disk (the template's OS disk). */
export type DiskStorageType = 'Premium_LRS' | 'StandardSSD_LRS' | 'Standard_LRS'
/** Azure Files share tier. Premium bills provisioned GiB; the others bill GiB stored. */
export type ShareTier = 'Premium' | 'TransactionOptimized' | 'Hot' | 'Cool'
export type ShareRedundancy = 'LRS' | 'ZRS' | 'GRS'

export interface CostPoolSpec {
  /** ARM region name, e.g. "eastus". */
  region: string
  /** ARM size name, e.g. "Standard_D4s_v5". */
  vmSize: string
  os: OsType
  priority: VmPriority
  /** Dev/Test prices instead of pay-as-you-go; default Consumption. */
  priceType?: PriceType
  /** Instances while the pool is in use (in working hours, or always without a schedule). */
  instanceCount: number
  /** One OS disk per instance. */
  osDisk: { storageAccountType: DiskStorageType; sizeGiB: number }
  /** The team's share: provisioned GiB for Premium, expected GiB stored for the other tiers. */
  share: { tier: ShareTier; redundancy: ShareRedundancy; sizeGiB: number }
  /** Standard public IPs and load-balancing (plus outbound) rules of the Standard load balancer. */
  network: { publicIps: number; loadBalancerRules: number }
}

/** Unit prices for one pool spec, all in `currency`. */
export interface PoolRates {
  currency: string
  /** One running instance. */
  computePerHour: number
  /** One OS disk at its billed tier. */
  osDiskPerMonth: number
  /** Per GiB provisioned (Premium) or stored (other tiers). */
  sharePerGiBMonth: number
  /** One Standard public IP. */
  publicIpPerHour: number
  /** Standard load balancer: covers the first `includedLoadBalancerRules` rules. */
  loadBalancerPerHour: number
  /** Each rule beyond the included ones. */
  loadBalancerRulePerHour: number
}

/** Hours Azure counts in a month (8,760 / 12); monthly prices are billed pro rata by hour. */
export const hoursPerMonth = 730
/** Rules covered by the Standard load balancer's base charge. */
export const includedLoadBalancerRules = 5

export type CostPart = 'compute' | 'disks' | 'storage' | 'network'
export const costParts: readonly CostPart[] = ['compute', 'disks', 'storage', 'network']
