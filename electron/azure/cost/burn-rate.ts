import { burnRate, type BurnRate } from '../../../shared/cost/estimate'
import { templateCostFacts } from '../../../shared/cost/from-pool-spec'
import type { CostPoolSpec, OsType, VmPriority } from '../../../shared/cost/types'
import type { PoolPrices } from '../prices/pool-prices'

/** What the poller knows about a live pool. */
export interface LivePool {
  region: string
  vmSize: string
  os: OsType
  priority?: VmPriority
  /** Instances running now (compute is billed). */
  running: number
  /** Instances that exist in any state (each keeps its OS disk, also while deallocated). */
  total: number
  /** Public pools have a Standard public IP and an outbound rule; default true. */
  publicAccess?: boolean
  /** GiB in the pool's own share, when known; 0 leaves the share out. */
  shareGiB?: number
}

export interface LiveBurnRate extends BurnRate {
  /** ISO time of the oldest price used. */
  asOf: string
  /** Saved prices older than a day (the price list could not be reached). */
  stale: boolean
}

/**
 * Cost per hour of a pool now, for pool cards, the pool detail and the tray tooltip: running
 * instances at the size's rate, the OS disks of every instance that exists, the share, the
 * public IP and the load balancer, priced from the Retail Prices API (cached for a day).
 */
export async function liveBurnRate(
  prices: PoolPrices,
  pool: LivePool,
  currency = 'USD',
): Promise<LiveBurnRate> {
  const access = pool.publicAccess === false ? 'Internal' : 'Public'
  const spec: CostPoolSpec = {
    region: pool.region.toLowerCase(),
    vmSize: pool.vmSize,
    os: pool.os,
    priority: pool.priority ?? 'Regular',
    instanceCount: pool.total,
    osDisk: { ...templateCostFacts.osDisk },
    share: {
      tier: templateCostFacts.share.tier,
      redundancy: templateCostFacts.share.redundancy,
      sizeGiB: pool.shareGiB ?? 0,
    },
    network: {
      publicIps: templateCostFacts.publicIps[access],
      loadBalancerRules: templateCostFacts.loadBalancerRules[access],
    },
  }
  const { rates, asOf, stale } = await prices.ratesFor(spec, currency)
  const running = Math.min(pool.running, pool.total)
  return {
    ...burnRate(spec, rates, { running, deallocated: pool.total - running }),
    asOf,
    stale,
  }
}
