import type { VirtualMachineScaleSet } from '@azure/arm-compute'
import type { LoadBalancer } from '@azure/arm-network'
import { burnRate } from '../../../shared/cost/estimate'
import type { CostPoolSpec, DiskStorageType, PoolRates } from '../../../shared/cost/types'
import { osOf } from './model'

/**
 * "Cost per hour now" of a pool: running instances' compute, the OS disks of every instance
 * that exists (deallocated ones still pay for them), the public IP and the load balancer, at
 * Retail Prices rates (shared/cost burnRate). The file share is left out: outside Premium it is
 * billed by the data stored, which the poll does not read.
 */

export type RatesFor = (spec: CostPoolSpec) => Promise<PoolRates | undefined>

const diskTypes: DiskStorageType[] = ['Premium_LRS', 'StandardSSD_LRS', 'Standard_LRS']

export function costSpecOf(
  scaleSet: VirtualMachineScaleSet,
  loadBalancer: LoadBalancer | undefined,
  osDiskSizeGiB: number | undefined,
): CostPoolSpec {
  const profile = scaleSet.virtualMachineProfile
  const disk = profile?.storageProfile?.osDisk
  const diskType =
    diskTypes.find((t) => t === disk?.managedDisk?.storageAccountType) ?? 'Premium_LRS'
  const priority = profile?.priority
  return {
    region: scaleSet.location,
    vmSize: scaleSet.sku?.name ?? '',
    os: osOf(scaleSet),
    priority: priority === 'Spot' ? 'Spot' : priority === 'Low' ? 'LowPriority' : 'Regular',
    instanceCount: scaleSet.sku?.capacity ?? 0,
    osDisk: { storageAccountType: diskType, sizeGiB: disk?.diskSizeGB ?? osDiskSizeGiB ?? 128 },
    share: { tier: 'TransactionOptimized', redundancy: 'LRS', sizeGiB: 0 },
    network: {
      publicIps:
        loadBalancer?.frontendIPConfigurations?.filter((f) => f.publicIPAddress).length ?? 0,
      loadBalancerRules: loadBalancer
        ? (loadBalancer.loadBalancingRules?.length ?? 0) + (loadBalancer.outboundRules?.length ?? 0)
        : 0,
    },
  }
}

export function costPerHourNow(
  spec: CostPoolSpec,
  rates: PoolRates,
  counts: { running: number; deallocated: number },
): { perHour: number; currency: string } {
  const rate = burnRate(spec, rates, counts)
  return { perHour: rate.perHour, currency: rate.currency }
}

/** Rates per distinct spec, asked once; a failed lookup is retried on a later poll. */
export class RatesCache {
  private readonly cache = new Map<string, Promise<PoolRates | undefined>>()
  constructor(private readonly ratesFor: RatesFor) {}

  get(spec: CostPoolSpec): Promise<PoolRates | undefined> {
    const { instanceCount: _ignored, ...priced } = spec
    const key = JSON.stringify(priced)
    let found = this.cache.get(key)
    if (!found) {
      found = this.ratesFor(spec).catch(() => {
        this.cache.delete(key)
        return undefined
      })
      this.cache.set(key, found)
    }
    return found
  }
}
