import type { SandboxContext } from '../core/context'
import { resourceId } from '../core/resources'
import type { UsageInterval } from '../core/usage'
import { subscriptions } from './directory'

/**
 * The demo seed's month of spend: finished usage intervals for the two demo pools, so that
 * Cost Management has real history to answer with from the first start. The pattern is
 * what a team pool looks like in practice: instances during working hours on weekdays
 * (autoscale removes them at night, their OS disks go with them), a GPU pool used on some
 * days only, and the pool's fixed parts (public IP, load balancer, file share) all month.
 */
export interface DemoPoolHistory {
  pool: string
  resourceGroup: string
  location: string
  vmSize: string
  os: 'Linux' | 'Windows'
  osDiskTier: string
  /** Name of the storage account holding the pool's share. */
  storageAccount: string
  /** Share tier and redundancy, as the storage provider meters it. */
  shareSku: string
  /** GiB stored at the start and at the end of the month (grows linearly). */
  shareGiB: [number, number]
  /** The instances running on a given day: [instanceId, startHourUtc, endHourUtc]. */
  instancesOn(
    day: Date,
    random: () => number,
  ): Array<[instanceId: string, from: number, to: number]>
}

const isWeekday = (day: Date) => day.getUTCDay() >= 1 && day.getUTCDay() <= 5

export const demoPoolHistories: DemoPoolHistory[] = [
  {
    pool: 'team-pool',
    resourceGroup: 'rg-team-pool',
    location: 'eastus',
    vmSize: 'Standard_D4s_v5',
    os: 'Linux',
    osDiskTier: 'P10',
    storageAccount: 'stteampoolfiles',
    shareSku: 'TransactionOptimized LRS',
    shareGiB: [38, 56],
    instancesOn(day, random) {
      if (!isWeekday(day)) return []
      const instances: Array<[string, number, number]> = [
        ['0', 8, 18],
        ['1', 8.5, 17.5 + Math.round(random() * 2) / 2],
      ]
      // The third instance only on busier days, when autoscale scaled out.
      if (random() < 0.7) instances.push(['2', 9 + Math.round(random() * 4) / 2, 16.5])
      return instances
    },
  },
  {
    pool: 'gpu-pool',
    resourceGroup: 'rg-gpu-pool',
    location: 'eastus',
    vmSize: 'Standard_NC4as_T4_v3',
    os: 'Linux',
    osDiskTier: 'P10',
    storageAccount: 'stgpupoolfiles',
    shareSku: 'TransactionOptimized LRS',
    shareGiB: [110, 124],
    instancesOn(day, random) {
      if (!isWeekday(day) || random() > 0.45) return []
      const start = 10 + Math.round(random() * 4) / 2
      const instances: Array<[string, number, number]> = [
        ['0', start, start + 4 + Math.round(random() * 6) / 2],
      ]
      if (random() < 0.5) instances.push(['1', start + 0.5, start + 4])
      return instances
    },
  },
]

const hour = 60 * 60 * 1000
const day = 24 * hour

/** A small deterministic generator, so that the demo month is the same on every start. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function demoPoolResourceIds(history: DemoPoolHistory, subscriptionId: string) {
  const id = (type: string, name: string) =>
    resourceId(subscriptionId, history.resourceGroup, type, name)
  return {
    scaleSet: id('Microsoft.Compute/virtualMachineScaleSets', history.pool),
    publicIp: id('Microsoft.Network/publicIPAddresses', `${history.pool}-ip`),
    loadBalancer: id('Microsoft.Network/loadBalancers', `${history.pool}-lb`),
    storageAccount: id('Microsoft.Storage/storageAccounts', history.storageAccount),
  }
}

/** Finished usage intervals for `days` days before `now` (pure; the seed adds them). */
export function demoUsageHistory(
  now: number,
  days = 30,
  subscriptionId = subscriptions[0]!.id,
): Array<Omit<UsageInterval, 'id'>> {
  const from = now - days * day
  const intervals: Array<Omit<UsageInterval, 'id'>> = []
  for (const history of demoPoolHistories) {
    const ids = demoPoolResourceIds(history, subscriptionId)
    const base = {
      subscriptionId,
      resourceGroup: history.resourceGroup,
      location: history.location,
    }
    const clip = (start: number, end: number) => ({
      start: Math.max(start, from),
      end: Math.min(end, now),
    })

    const firstDay = Math.floor(from / day) * day
    for (let dayStart = firstDay; dayStart < now; dayStart += day) {
      const random = seededRandom(dayStart / day + history.pool.length * 7919)
      for (const [instanceId, startHour, endHour] of history.instancesOn(
        new Date(dayStart),
        random,
      )) {
        const span = clip(dayStart + startHour * hour, dayStart + endHour * hour)
        if (span.end <= span.start) continue
        const instance = { ...base, resourceId: ids.scaleSet, instanceId, ...span }
        intervals.push({
          ...instance,
          meter: 'compute',
          sku: history.vmSize,
          os: history.os,
          priority: 'Regular',
          quantity: 1,
        })
        intervals.push({ ...instance, meter: 'osDisk', sku: history.osDiskTier, quantity: 1 })
      }
    }

    intervals.push({
      ...base,
      resourceId: ids.publicIp,
      meter: 'publicIp',
      sku: 'Standard',
      quantity: 1,
      start: from,
      end: now,
    })
    intervals.push({
      ...base,
      resourceId: ids.loadBalancer,
      meter: 'loadBalancer',
      sku: 'Standard',
      quantity: 1,
      start: from,
      end: now,
    })
    // The share grows a little every day: one interval per day with that day's size.
    const [startGiB, endGiB] = history.shareGiB
    for (let d = 0; d < days; d++) {
      const span = clip(from + d * day, from + (d + 1) * day)
      const gib =
        Math.round((startGiB + ((endGiB - startGiB) * d) / Math.max(1, days - 1)) * 10) / 10
      intervals.push({
        ...base,
        resourceId: ids.storageAccount,
        meter: 'filesStorage',
        sku: history.shareSku,
        quantity: gib,
        ...span,
      })
    }
  }
  return intervals
}

/** Adds the demo month to the sandbox's usage log (called by the cost module's 'demo' seed). */
export function seedCostHistory(ctx: SandboxContext, days = 30): void {
  for (const interval of demoUsageHistory(ctx.clock.now(), days)) ctx.usage.add(interval)
}
