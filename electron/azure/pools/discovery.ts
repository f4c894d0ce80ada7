import { poolTags } from '../../../shared/pool-tags'
import { collect, type PoolClients } from './arm-clients'

/**
 * Finds pools by tag (DESIGN.md decision 5): every resource a pool consists of carries
 * `dsvm-pool: <name>`, whoever's app created it. One resources list per subscription plus one
 * resource group list (to learn which groups the pool created) finds them all.
 */

export interface PoolRecord {
  /** The scale set's resource id: the pool's id. */
  id: string
  name: string
  subscriptionId: string
  resourceGroup: string
  scaleSetName: string
  loadBalancerId?: string
  publicIpId?: string
  autoscaleId?: string
  /** Every resource tagged with this pool in its group (what deleting the pool removes). */
  taggedIds: string[]
  /** The resource group carries the pool tag: the app created it for this pool. */
  ownsResourceGroup: boolean
}

const typeIs = (id: string, type: string) =>
  id.toLowerCase().includes(`/providers/${type.toLowerCase()}/`)

function groupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? ''
}

export async function discoverPools(clients: PoolClients): Promise<PoolRecord[]> {
  const filter = `tagName eq '${poolTags.pool}'`
  const [tagged, groups] = await Promise.all([
    collect(clients.resources.resources.list({ filter })),
    collect(clients.resources.resourceGroups.list({ filter })),
  ])
  const ownedGroups = new Map(
    groups.map((g) => [`${(g.name ?? '').toLowerCase()}|${g.tags?.[poolTags.pool] ?? ''}`, true]),
  )
  const byPool = new Map<string, Array<{ id: string; type: string }>>()
  for (const resource of tagged) {
    const name = resource.tags?.[poolTags.pool]
    if (!resource.id || !name) continue
    const key = `${groupOf(resource.id).toLowerCase()}|${name}`
    byPool.set(key, [...(byPool.get(key) ?? []), { id: resource.id, type: resource.type ?? '' }])
  }
  const pools: PoolRecord[] = []
  for (const [key, resources] of byPool) {
    const name = key.slice(key.indexOf('|') + 1)
    const scaleSet = resources.find((r) =>
      typeIs(r.id, 'Microsoft.Compute/virtualMachineScaleSets'),
    )
    if (!scaleSet) continue
    const find = (type: string) => resources.find((r) => typeIs(r.id, type))?.id
    const loadBalancerId = find('Microsoft.Network/loadBalancers')
    const publicIpId = find('Microsoft.Network/publicIPAddresses')
    const autoscaleId = find('Microsoft.Insights/autoscaleSettings')
    const resourceGroup = groupOf(scaleSet.id)
    pools.push({
      id: scaleSet.id,
      name,
      subscriptionId: clients.subscriptionId,
      resourceGroup,
      scaleSetName: scaleSet.id.split('/').pop()!,
      ...(loadBalancerId ? { loadBalancerId } : {}),
      ...(publicIpId ? { publicIpId } : {}),
      ...(autoscaleId ? { autoscaleId } : {}),
      taggedIds: resources.map((r) => r.id),
      ownsResourceGroup: ownedGroups.has(`${resourceGroup.toLowerCase()}|${name}`),
    })
  }
  return pools.sort((a, b) => a.name.localeCompare(b.name))
}

/** Resource group and name from an ARM id (…/resourceGroups/<g>/providers/<ns>/<type>/<name>). */
export function groupAndName(id: string): { resourceGroup: string; name: string } {
  return { resourceGroup: groupOf(id), name: id.split('/').pop() ?? '' }
}
