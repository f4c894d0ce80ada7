import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { subscriptions } from '../../seed/directory'
import { findVmSize, vmSizes } from '../../seed/vm-sizes'
import { baseQuota, normalizeRegion } from './catalog'
import { isSpot, listScaleSets } from './model'

/**
 * Regional compute quota: per VM family, total regional vCPUs and low-priority (Spot) vCPUs.
 * Every instance that exists holds quota, deallocated or not, as in Azure.
 */

const displayNames: Record<string, string> = {
  cores: 'Total Regional vCPUs',
  lowPriorityCores: 'Total Regional Low-priority vCPUs',
  virtualMachines: 'Virtual Machines',
  virtualMachineScaleSets: 'Virtual Machine Scale Sets',
  availabilitySets: 'Availability Sets',
  ...Object.fromEntries(vmSizes.map((s) => [s.family, s.familyDisplayName])),
}

/** The default limit of a quota on a subscription (before any increase). */
export function defaultQuotaLimit(subscriptionId: string, name: string): number {
  const scale =
    subscriptions.find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase())?.quotaScale ?? 1
  return Math.floor((baseQuota[name] ?? 0) * scale)
}

const increases = (ctx: SandboxContext) => ctx.state.table<number>('computeQuotaIncreases')
const increaseKey = (subscriptionId: string, location: string, name: string) =>
  `${subscriptionId}/${normalizeRegion(location)}/${name}`

export function quotaLimit(
  ctx: SandboxContext,
  subscriptionId: string,
  location: string,
  name: string,
): number {
  return (
    increases(ctx).get(increaseKey(subscriptionId, location, name)) ??
    defaultQuotaLimit(subscriptionId, name)
  )
}

/**
 * An approved quota increase request (what a support ticket does in Azure): for tests and
 * benchmarks that need large pools, e.g. 1,000 instances.
 */
export function setQuotaLimit(
  ctx: SandboxContext,
  subscriptionId: string,
  location: string,
  name: string,
  limit: number,
): void {
  if (!(limit >= 0)) throw new RangeError('A quota limit cannot be negative')
  increases(ctx).set(increaseKey(subscriptionId, location, name), limit)
}

/** Current usage per quota name in one region of a subscription. */
export function currentUsage(
  ctx: SandboxContext,
  subscriptionId: string,
  location: string,
): Map<string, number> {
  const region = normalizeRegion(location)
  const usage = new Map<string, number>(Object.keys(baseQuota).map((name) => [name, 0]))
  const add = (name: string, amount: number) => usage.set(name, (usage.get(name) ?? 0) + amount)
  for (const scaleSet of listScaleSets(ctx, subscriptionId)) {
    if (normalizeRegion(scaleSet.location ?? '') !== region) continue
    add('virtualMachineScaleSets', 1)
    const size = findVmSize(scaleSet.sku.name)
    const count = scaleSet.sandbox.instances.length
    add('virtualMachines', count)
    if (!size) continue
    if (isSpot(scaleSet)) {
      add('lowPriorityCores', count * size.vCPUs)
    } else {
      add('cores', count * size.vCPUs)
      add(size.family, count * size.vCPUs)
    }
  }
  return usage
}

/** GET /subscriptions/{id}/providers/Microsoft.Compute/locations/{location}/usages */
export function usageList(
  ctx: SandboxContext,
  subscriptionId: string,
  location: string,
): { value: unknown[] } {
  const usage = currentUsage(ctx, subscriptionId, location)
  return {
    value: [...usage.entries()].map(([name, currentValue]) => ({
      unit: 'Count',
      currentValue,
      limit: quotaLimit(ctx, subscriptionId, location, name),
      name: { value: name, localizedValue: displayNames[name] ?? name },
    })),
  }
}

function quotaError(
  subscriptionId: string,
  location: string,
  quotaName: string,
  label: string,
  limit: number,
  used: number,
  required: number,
) {
  const newLimit = used + required
  const blade = encodeURIComponent(
    JSON.stringify({
      subscriptionId,
      command: 'openQuotaApprovalBlade',
      quotas: [
        {
          location,
          providerId: 'Microsoft.Compute',
          resourceName: quotaName,
          quotaRequest: {
            properties: { limit: newLimit, unit: 'Count', name: { value: quotaName } },
          },
        },
      ],
    }),
  )
  const docs =
    quotaName === 'cores'
      ? 'https://docs.microsoft.com/en-us/azure/azure-supportability/regional-quota-requests'
      : quotaName === 'lowPriorityCores'
        ? 'https://docs.microsoft.com/en-us/azure/azure-supportability/low-priority-quota'
        : 'https://docs.microsoft.com/en-us/azure/azure-supportability/per-vm-quota-requests'
  return new ArmError(
    409,
    'OperationNotAllowed',
    `Operation could not be completed as it results in exceeding approved ${label} quota. Additional details - Deployment Model: Resource Manager, Location: ${location}, Current Limit: ${limit}, Current Usage: ${used}, Additional Required: ${required}, (Minimum) New Limit Required: ${newLimit}. Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView/Parameters/${blade} by specifying parameters listed in the ‘Details’ section for deployment to succeed. Please read more about quota limits at ${docs}`,
  )
}

/**
 * Throws OperationNotAllowed (409) when adding `instances` VMs of `sizeName` (or changing
 * `resizedInstances` existing ones from `fromSize`) would exceed a quota.
 */
export function checkQuota(
  ctx: SandboxContext,
  request: {
    subscriptionId: string
    location: string
    sizeName: string
    spot: boolean
    instances: number
    resizedInstances?: number
    fromSize?: string
  },
): void {
  const size = findVmSize(request.sizeName)
  if (!size) return
  const region = normalizeRegion(request.location)
  const usage = currentUsage(ctx, request.subscriptionId, region)
  const from = request.fromSize ? findVmSize(request.fromSize) : undefined
  const resized = request.resizedInstances ?? 0
  // Regional totals grow by the difference; a resize into another family needs all its cores there.
  const required =
    request.instances * size.vCPUs + Math.max(0, resized * (size.vCPUs - (from?.vCPUs ?? 0)))
  const familyRequired =
    from && from.family !== size.family ? (resized + request.instances) * size.vCPUs : required
  const check = (name: string, label: string, extra: number) => {
    if (extra <= 0) return
    const limit = quotaLimit(ctx, request.subscriptionId, region, name)
    const used = usage.get(name) ?? 0
    if (used + extra > limit)
      throw quotaError(request.subscriptionId, region, name, label, limit, used, extra)
  }
  if (request.spot) {
    check('lowPriorityCores', 'Low Priority Cores', required)
    return
  }
  check(size.family, `${size.family} Cores`, familyRequired)
  check('cores', 'Total Regional Cores', required)
}
