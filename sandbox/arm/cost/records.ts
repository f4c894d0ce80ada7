import { parseResourceId } from '../../core/resources'
import type { UsageInterval } from '../../core/usage'
import { ratesForUsage } from '../../prices/usage-rates'
import { subscriptions } from '../../seed/directory'
import type { DimensionName } from './definition'

/** One day of one meter of one resource: what Cost Management's usage records look like. */
export interface CostRecord {
  /** UTC day as yyyymmdd. */
  usageDate: number
  /** USD (the sandbox's subscriptions are billed in USD). */
  cost: number
  /** In the meter's unit (hours, months, GiB-months). */
  quantity: number
  dimensions: Record<DimensionName, string>
  tags: Record<string, string>
}

const hour = 60 * 60 * 1000
const day = 24 * hour

const consumedServiceOf: Record<UsageInterval['meter'], string> = {
  compute: 'Microsoft.Compute',
  osDisk: 'Microsoft.Compute',
  filesStorage: 'Microsoft.Storage',
  publicIp: 'Microsoft.Network',
  loadBalancer: 'Microsoft.Network',
}

export const usageDateOf = (t: number): number => {
  const d = new Date(t)
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate()
}

/**
 * Splits usage intervals into daily cost records inside [from, to), priced with the
 * sandbox's retail price table. Open intervals run until `now`.
 */
export function costRecords(
  intervals: UsageInterval[],
  range: { from: number; to: number },
  now: number,
  tagsOf: (resourceId: string) => Record<string, string>,
): CostRecord[] {
  const records: CostRecord[] = []
  for (const usage of intervals) {
    const start = Math.max(usage.start, range.from)
    const end = Math.min(usage.end ?? now, range.to, now)
    if (end <= start) continue
    const rates = ratesForUsage(usage)
    if (rates.length === 0) continue
    const tags = tagsOf(usage.resourceId)
    for (let dayStart = Math.floor(start / day) * day; dayStart < end; dayStart += day) {
      const hours = (Math.min(end, dayStart + day) - Math.max(start, dayStart)) / hour
      if (hours <= 0) continue
      for (const { meter, unitsPerHour } of rates) {
        const quantity = unitsPerHour * hours
        records.push({
          usageDate: usageDateOf(dayStart),
          cost: quantity * meter.retailPrice,
          quantity,
          dimensions: dimensionsOf(usage, meter),
          tags,
        })
      }
    }
  }
  return records
}

function dimensionsOf(
  usage: UsageInterval,
  meter: ReturnType<typeof ratesForUsage>[number]['meter'],
): Record<DimensionName, string> {
  const subscription = subscriptions.find(
    (s) => s.id.toLowerCase() === usage.subscriptionId.toLowerCase(),
  )
  const subcategory = meter.productName.replace(/^Virtual Machines /, '')
  return {
    // Cost Management reports resource groups and ids in lower case.
    ResourceGroup: usage.resourceGroup.toLowerCase(),
    ResourceGroupName: usage.resourceGroup.toLowerCase(),
    ResourceLocation: usage.location.toLowerCase().replace(/\s+/g, ''),
    ConsumedService: consumedServiceOf[usage.meter],
    ResourceType: (parseResourceId(usage.resourceId)?.type ?? '').toLowerCase(),
    ResourceId: usage.resourceId.toLowerCase(),
    MeterId: meter.meterId,
    MeterCategory: meter.serviceName,
    MeterSubcategory: subcategory,
    Meter: meter.meterName,
    SubscriptionId: usage.subscriptionId,
    SubscriptionName: subscription?.displayName ?? '',
    ServiceName: meter.serviceName,
    ServiceTier: subcategory,
    ChargeType: 'Usage',
    PublisherType: 'Azure',
    PricingModel: usage.priority === 'Spot' ? 'Spot' : 'OnDemand',
  }
}
