import { workingHoursPerMonth, type CostSchedule } from './schedule'
import {
  costParts,
  hoursPerMonth,
  includedLoadBalancerRules,
  type CostPart,
  type CostPoolSpec,
  type PoolRates,
} from './types'

/**
 * What the estimate leaves out, for the UI to say next to it: usage-based charges that
 * depend on how the team works, not on the pool's shape.
 */
export const estimateExclusions = [
  'Azure Files transactions and snapshots',
  'load balancer data processed',
  'outbound data transfer',
  'Spot price changes (Spot is estimated at the current Spot price)',
] as const

export interface PartEstimate {
  part: CostPart
  /** With every in-use instance running. */
  perHourRunning: number
  /** Running all month (730 h). */
  perMonthAlwaysOn: number
  /** Running in working hours only (equals always-on without a schedule). */
  perMonthOnSchedule: number
}

export interface PoolEstimate {
  currency: string
  perHourRunning: number
  perMonthAlwaysOn: number
  perMonthOnSchedule: number
  /** What keeping to the schedule saves against always-on. */
  savingsPerMonth: number
  /** In-use hours per month the schedule gives (730 without one). */
  scheduledHoursPerMonth: number
  parts: PartEstimate[]
}

/** Storage and network cost the same whether instances run or not. */
function fixedPerHour(spec: CostPoolSpec, rates: PoolRates): Record<'storage' | 'network', number> {
  const rules = spec.network.loadBalancerRules
  // A Standard load balancer with no rules is not billed.
  const loadBalancer =
    rules > 0
      ? rates.loadBalancerPerHour +
        Math.max(0, rules - includedLoadBalancerRules) * rates.loadBalancerRulePerHour
      : 0
  return {
    storage: (spec.share.sizeGiB * rates.sharePerGiBMonth) / hoursPerMonth,
    network: spec.network.publicIps * rates.publicIpPerHour + loadBalancer,
  }
}

/** Cost per hour of each part with `running` instances running and `stopped` deallocated. */
export function partsPerHour(
  spec: CostPoolSpec,
  rates: PoolRates,
  instances: { running: number; deallocated?: number },
): Record<CostPart, number> {
  const disks = instances.running + (instances.deallocated ?? 0)
  return {
    compute: instances.running * rates.computePerHour,
    disks: (disks * rates.osDiskPerMonth) / hoursPerMonth,
    ...fixedPerHour(spec, rates),
  }
}

/**
 * Estimate for a pool before (or while) it exists: per hour with every in-use instance
 * running, per month always on, per month on the working-hours schedule, and the saving.
 */
export function estimatePool(
  spec: CostPoolSpec,
  rates: PoolRates,
  schedule?: CostSchedule,
): PoolEstimate {
  const count = spec.instanceCount
  const running = partsPerHour(spec, rates, { running: count })
  const inUse = schedule ? workingHoursPerMonth(schedule) : hoursPerMonth
  const outside = hoursPerMonth - inUse
  const keep = Math.min(schedule?.instancesOutside ?? 0, count)
  const deallocate = schedule?.outsideMode === 'deallocate'

  // Outside the hours `keep` instances run; the others are removed (no disk) or deallocated.
  const offHours = partsPerHour(spec, rates, {
    running: keep,
    deallocated: deallocate ? count - keep : 0,
  })
  const parts = costParts.map((part): PartEstimate => {
    const perMonthAlwaysOn = running[part] * hoursPerMonth
    return {
      part,
      perHourRunning: running[part],
      perMonthAlwaysOn,
      perMonthOnSchedule: schedule
        ? running[part] * inUse + offHours[part] * outside
        : perMonthAlwaysOn,
    }
  })
  const sum = (key: keyof Omit<PartEstimate, 'part'>) => parts.reduce((s, p) => s + p[key], 0)
  const perMonthAlwaysOn = sum('perMonthAlwaysOn')
  const perMonthOnSchedule = sum('perMonthOnSchedule')
  return {
    currency: rates.currency,
    perHourRunning: sum('perHourRunning'),
    perMonthAlwaysOn,
    perMonthOnSchedule,
    savingsPerMonth: perMonthAlwaysOn - perMonthOnSchedule,
    scheduledHoursPerMonth: inUse,
    parts,
  }
}

export interface BurnRate {
  currency: string
  perHour: number
  parts: Record<CostPart, number>
}

/**
 * What a pool costs right now, per hour: running instances × the instance rate, the OS disks
 * of running and deallocated instances, and the fixed parts (share, public IP, load balancer).
 */
export function burnRate(
  spec: CostPoolSpec,
  rates: PoolRates,
  instances: { running: number; deallocated?: number },
): BurnRate {
  const parts = partsPerHour(spec, rates, instances)
  return {
    currency: rates.currency,
    perHour: costParts.reduce((s, p) => s + parts[p], 0),
    parts,
  }
}
