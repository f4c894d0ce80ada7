import type { ResourceSku } from '@azure/arm-compute'
import type { PreflightFix } from '../../../../shared/deploy'
import type { PoolSpec } from '../../../../shared/pool-spec'
import type { ArmClients } from '../clients'
import { limitingQuota, listVmSkus, regionalQuotas, restrictionOf } from '../catalog'
import { check, type Check } from './check'

/*
 * The size in the region (or sizes and regions that would do), and the vCPU quota it draws from.
 */

const vCPUsOf = (sku: ResourceSku) =>
  Number(sku.capabilities?.find((c) => c.name === 'vCPUs')?.value ?? 0)
const gpusOf = (sku: ResourceSku) =>
  Number(sku.capabilities?.find((c) => c.name === 'GPUs')?.value ?? 0)

export async function checkSizeAndQuota(spec: PoolSpec, clients: ArmClients): Promise<Check[]> {
  const skus = await listVmSkus(clients, spec.location)
  const wanted = spec.vmSku.toLowerCase()
  const sku = skus.find((s) => s.name!.toLowerCase() === wanted)
  const restriction = sku ? restrictionOf(sku, spec.location) : undefined
  if (!sku || restriction) {
    return [
      await sizeProblem(spec, clients, skus, sku, restriction),
      check('quota', 'Quota', 'skipped', 'Quota is checked once the size is available.'),
    ]
  }
  const sizeOk = check('size', 'VM size', 'ok', `${spec.vmSku} is available in ${spec.location}.`)
  return [sizeOk, await checkQuota(spec, clients, sku)]
}

async function sizeProblem(
  spec: PoolSpec,
  clients: ArmClients,
  regionSkus: ResourceSku[],
  sku: ResourceSku | undefined,
  restriction: string | undefined,
): Promise<Check> {
  const all = await listVmSkus(clients)
  const regions = [
    ...new Set(
      all
        .filter((s) => s.name!.toLowerCase() === spec.vmSku.toLowerCase())
        .flatMap((s) => (s.locations ?? []).filter((l) => !restrictionOf(s, l)))
        .map((l) => l.toLowerCase()),
    ),
  ]
    .filter((l) => l !== spec.location.toLowerCase())
    .sort()
    .slice(0, 3)
  const reference = sku ?? all.find((s) => s.name!.toLowerCase() === spec.vmSku.toLowerCase())
  const vCPUs = reference ? vCPUsOf(reference) : 4
  const gpus = reference ? gpusOf(reference) : 0
  const sizes = regionSkus
    .filter((s) => !restrictionOf(s, spec.location) && gpusOf(s) > 0 === gpus > 0)
    .sort((a, b) => Math.abs(vCPUsOf(a) - vCPUs) - Math.abs(vCPUsOf(b) - vCPUs))
    .slice(0, 3)
  const fixes: PreflightFix[] = [
    ...sizes.map((s): PreflightFix => ({
      kind: 'change',
      label: `Use ${s.name} (${vCPUsOf(s)} vCPUs${gpusOf(s) ? `, ${gpusOf(s)} GPU` : ''})`,
      field: 'vmSku',
      value: s.name!,
    })),
    ...regions.map((region): PreflightFix => ({
      kind: 'change',
      label: `Deploy in ${region}`,
      field: 'location',
      value: region,
    })),
  ]
  const reason = sku
    ? `${spec.vmSku} is listed in ${spec.location} but cannot be used: ${restriction}.`
    : `${spec.vmSku} is not offered in ${spec.location}.`
  return check(
    'size',
    'VM size',
    'problem',
    `${reason} Choose a similar size here${regions.length ? ' or a region where it is available' : ''}.`,
    fixes,
  )
}

async function checkQuota(spec: PoolSpec, clients: ArmClients, sku: ResourceSku): Promise<Check> {
  const title = 'Quota'
  const quotas = await regionalQuotas(clients, spec.location)
  const perInstance = vCPUsOf(sku)
  const limits = [
    limitingQuota(quotas, sku.family ?? '', spec.priority),
    spec.priority === 'Regular' ? quotas.get('cores') : undefined,
  ].filter((q) => q !== undefined)
  const free = Math.min(...limits.map((q) => q.limit - q.used))
  const tightest = limits.find((q) => q.limit - q.used === free)
  if (!tightest)
    return check('quota', title, 'skipped', `No quota figures for ${sku.family} were found.`)
  const needed = spec.instanceCount * perInstance
  const portal = quotaRequestUrl(clients.context.cloud.portalUrl)
  if (needed > free) {
    const fits = Math.floor(Math.max(0, free) / perInstance)
    return check(
      'quota',
      title,
      'problem',
      `${spec.instanceCount} × ${spec.vmSku} need ${needed} vCPUs, but only ${Math.max(0, free)} of your ${tightest.limit} ${tightest.displayName} are free in ${spec.location} (${tightest.used} in use). Request more quota, or start with fewer instances.`,
      [
        { kind: 'link', label: 'Request more quota in the Azure portal', url: portal },
        ...(fits >= 1 && fits < spec.instanceCount
          ? [
              {
                kind: 'change' as const,
                label: `Start with ${fits} instance${fits > 1 ? 's' : ''}`,
                field: 'instanceCount' as const,
                value: fits,
              },
            ]
          : []),
      ],
    )
  }
  const peak = Math.max(spec.instanceCount, spec.autoscale.enabled ? spec.autoscale.maximum : 0)
  if (peak * perInstance > free) {
    return check(
      'quota',
      title,
      'warning',
      `Enough quota to start (${needed} of ${free} free vCPUs), but autoscale's maximum of ${peak} instances needs ${peak * perInstance}: it will stop at ${Math.floor(free / perInstance)}.`,
      [{ kind: 'link', label: 'Request more quota in the Azure portal', url: portal }],
    )
  }
  return check(
    'quota',
    title,
    'ok',
    `${needed} vCPUs needed now, up to ${peak * perInstance} at the autoscale maximum; ${free} of ${tightest.limit} ${tightest.displayName} are free.`,
  )
}

/** The portal's "My quotas" page of the cloud (the place to request more). */
export function quotaRequestUrl(portalUrl: string): string {
  return `${portalUrl.replace(/\/$/, '')}/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas`
}
