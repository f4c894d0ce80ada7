import type { UsageInterval } from '../core/usage'
import { findVmSize } from '../seed/vm-sizes'
import {
  diskMeterName,
  diskTiers,
  filesMeterOf,
  findMeter,
  hoursPerMonth,
  includedLoadBalancerRules,
  loadBalancerMeterNames,
  publicIpMeterOf,
  vmProductName,
  type RetailPriceItem,
} from './catalogue'

/** A meter a running usage interval consumes, and how many of its units per hour. */
export interface MeteredRate {
  meter: RetailPriceItem
  unitsPerHour: number
}

export type RatedUsage = Pick<
  UsageInterval,
  'meter' | 'sku' | 'location' | 'os' | 'priority' | 'quantity'
>

const diskProductOf: Record<string, string> = {
  P: 'Premium SSD Managed Disks',
  E: 'Standard SSD Managed Disks',
  S: 'Standard HDD Managed Disks',
}

/**
 * The retail meters behind one usage interval, priced from the sandbox's own price table,
 * so that Cost Management and the Retail Prices API always agree. Empty when the sandbox
 * has no price for it (an unknown size or region): that usage costs nothing.
 *
 * Quantity: compute and public IPs count instances (1); disks count disks; Azure Files
 * counts GiB (provisioned for premium shares, stored for standard ones; the sku is
 * "<tier> <redundancy>"); a load balancer counts its load-balancing and outbound rules (at least 1).
 */
export function ratesForUsage(usage: RatedUsage): MeteredRate[] {
  const region = usage.location.toLowerCase().replace(/\s+/g, '')
  const quantity = usage.quantity > 0 ? usage.quantity : 1
  const one = (meter: RetailPriceItem | undefined, unitsPerHour: number): MeteredRate[] =>
    meter && unitsPerHour > 0 ? [{ meter, unitsPerHour }] : []

  switch (usage.meter) {
    case 'compute': {
      const size = findVmSize(usage.sku)
      if (!size) return []
      const os = usage.os ?? 'Linux'
      const name = usage.priority === 'Spot' ? `${size.meterName} Spot` : size.meterName
      return one(findMeter(region, vmProductName(size, os), name, name), quantity)
    }
    case 'osDisk': {
      // The sku names the tier ("P10"); a storage type prefix ("Premium_LRS P10") is allowed.
      const tierName = /\b([PES]\d+)\b/i.exec(usage.sku)?.[1]?.toUpperCase()
      const tier = diskTiers.find((t) => t.tier === tierName)
      if (!tier) return []
      const product = diskProductOf[tier.tier[0]!]!
      return one(
        findMeter(region, product, `${tier.tier} LRS`, diskMeterName(tier.tier)),
        quantity / hoursPerMonth,
      )
    }
    case 'filesStorage': {
      const [tier = '', redundancy = 'LRS'] = usage.sku.trim().split(/\s+/)
      const names = filesMeterOf(tier, redundancy)
      if (!names) return []
      return one(
        findMeter(region, names.productName, names.skuName, names.meterName),
        quantity / hoursPerMonth,
      )
    }
    case 'publicIp': {
      const names = publicIpMeterOf[usage.sku.toLowerCase()]
      if (!names) return []
      return one(findMeter(region, 'IP Addresses', names.skuName, names.meterName), quantity)
    }
    case 'loadBalancer': {
      if (usage.sku.toLowerCase() !== 'standard') return []
      const base = one(
        findMeter(region, 'Load Balancer', 'Standard', loadBalancerMeterNames.includedRules),
        1,
      )
      const overage = one(
        findMeter(region, 'Load Balancer', 'Standard', loadBalancerMeterNames.overageRules),
        Math.max(0, quantity - includedLoadBalancerRules),
      )
      return [...base, ...overage]
    }
  }
}
