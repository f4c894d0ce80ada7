import type { PoolSpec } from '../pool-spec'
import type { CostSchedule, CostScheduleDay } from './schedule'
import type { CostPoolSpec } from './types'

/**
 * What resources/templates/dsvm-pool.json creates besides the scale set, as far as cost goes:
 * a Standard SSD OS disk per instance (the image's size; 128 GiB for the DSVM images, as the
 * sandbox assumes), a new Standard_LRS StorageV2 account whose share (transaction optimized,
 * the default tier) has a 100 GiB quota, and a Standard load balancer with the JupyterHub rule,
 * plus an outbound rule and a Standard public IP when the pool is public. SSH/RDP NAT pool
 * rules are not billed.
 */
export const templateCostFacts = {
  osDisk: { storageAccountType: 'StandardSSD_LRS', sizeGiB: 128 },
  share: { tier: 'TransactionOptimized', redundancy: 'LRS', quotaGiB: 100 },
  loadBalancerRules: { Public: 2, Internal: 1 },
  publicIps: { Public: 1, Internal: 0 },
} as const

const dayNumbers: Record<string, CostScheduleDay> = {
  Sunday: 0,
  Monday: 1,
  Tuesday: 2,
  Wednesday: 3,
  Thursday: 4,
  Friday: 5,
  Saturday: 6,
}

/** The parts of a pool spec the estimate reads. */
export type PoolCostAnswers = Pick<
  PoolSpec,
  'location' | 'vmSku' | 'osType' | 'priority' | 'instanceCount' | 'autoscale'
> & {
  network: Pick<PoolSpec['network'], 'access'>
  storage: Pick<PoolSpec['storage'], 'mode'>
}

/**
 * The estimate's inputs for the wizard's answers. In working hours autoscale sets the pool to
 * its default count (the instance count without autoscale); outside them the template's
 * profile scales to zero, and removed instances take their OS disks with them. A new share is
 * estimated at `shareUsedGiB` (default: its whole quota); an existing account is billed where
 * it lives, not to the pool.
 */
export function costInputsOf(
  pool: PoolCostAnswers,
  options: { shareUsedGiB?: number; osDiskSizeGiB?: number } = {},
): { spec: CostPoolSpec; schedule?: CostSchedule } {
  const { autoscale } = pool
  const access = pool.network.access
  const spec: CostPoolSpec = {
    region: pool.location,
    vmSize: pool.vmSku,
    os: pool.osType,
    priority: pool.priority,
    instanceCount: autoscale.enabled ? autoscale.default : pool.instanceCount,
    osDisk: {
      storageAccountType: templateCostFacts.osDisk.storageAccountType,
      sizeGiB: options.osDiskSizeGiB ?? templateCostFacts.osDisk.sizeGiB,
    },
    share: {
      tier: templateCostFacts.share.tier,
      redundancy: templateCostFacts.share.redundancy,
      sizeGiB:
        pool.storage.mode === 'new'
          ? Math.min(
              options.shareUsedGiB ?? templateCostFacts.share.quotaGiB,
              templateCostFacts.share.quotaGiB,
            )
          : 0,
    },
    network: {
      publicIps: templateCostFacts.publicIps[access],
      loadBalancerRules: templateCostFacts.loadBalancerRules[access],
    },
  }
  const hours = autoscale.enabled ? autoscale.schedule : null
  if (!hours) return { spec }
  return {
    spec,
    schedule: {
      days: hours.days.map((d) => dayNumbers[d]!),
      start: hours.start,
      end: hours.end,
      instancesOutside: 0,
      outsideMode: 'remove',
    },
  }
}
