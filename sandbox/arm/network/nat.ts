import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { ArmResource } from '../../core/resources'
import {
  listScaleSets,
  nicConfigsOf,
  subscriptionOf,
  type InstanceRecord,
  type ScaleSetResource,
} from '../compute/model'

/**
 * Inbound NAT pools on a load balancer turn into one NAT rule per scale-set instance, named
 * `<pool>.<instanceId>`, whose backend is that instance's NIC ip configuration. Ports are
 * assigned when the instance is created (rangeStart + instanceId when free, as Azure does for
 * a fresh scale set) and kept until it is deleted.
 */

type Json = Record<string, unknown>

export interface NatPoolRef {
  loadBalancer: ArmResource
  pool: Json
  id: string
}

export function findNatPool(ctx: SandboxContext, poolId: string): NatPoolRef | undefined {
  const m = /^(.*\/loadBalancers\/[^/]+)\/inboundNatPools\/([^/]+)$/i.exec(poolId)
  if (!m) return undefined
  const loadBalancer = ctx.resources.get(m[1]!)
  const pools = (loadBalancer?.properties?.inboundNatPools as Json[] | undefined) ?? []
  const pool = pools.find((p) => String(p.name).toLowerCase() === m[2]!.toLowerCase())
  return loadBalancer && pool
    ? { loadBalancer, pool, id: `${loadBalancer.id}/inboundNatPools/${String(pool.name)}` }
    : undefined
}

const poolProps = (pool: Json) => (pool.properties as Json | undefined) ?? {}

/** Ports of the pool already handed to instances of any scale set. */
function takenPorts(ctx: SandboxContext, poolId: string, subscriptionId: string): Set<number> {
  const key = poolId.toLowerCase()
  const taken = new Set<number>()
  for (const scaleSet of listScaleSets(ctx, subscriptionId)) {
    for (const instance of scaleSet.sandbox.instances) {
      const port = instance.natPorts[key]
      if (port !== undefined) taken.add(port)
    }
  }
  return taken
}

/** The NAT pools the scale set's NICs use, in NIC order, with their frontend port range. */
function* natPoolsOf(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
): Generator<{ found: NatPoolRef; start: number; end: number }> {
  for (const nic of nicConfigsOf(scaleSet)) {
    for (const poolId of nic.natPoolIds) {
      const found = findNatPool(ctx, poolId)
      if (!found) continue
      const { frontendPortRangeStart: start, frontendPortRangeEnd: end } = poolProps(
        found.pool,
      ) as {
        frontendPortRangeStart: number
        frontendPortRangeEnd: number
      }
      yield { found, start, end }
    }
  }
}

/** Fails like Azure when the NAT pools cannot give `additional` more instances a port. */
export function checkNatCapacity(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  additional: number,
): void {
  if (additional <= 0) return
  for (const { found, start, end } of natPoolsOf(ctx, scaleSet)) {
    const free = end - start + 1 - takenPorts(ctx, found.id, subscriptionOf(scaleSet.id)).size
    if (free < additional) {
      throw new ArmError(
        400,
        'InboundNatPoolFrontendPortRangeSmallerThanRequestedPorts',
        `The frontend port range of inbound NAT pool ${found.id} has ${free} free ports, fewer than the ${additional} virtual machines requested for ${scaleSet.id}.`,
      )
    }
  }
}

/** Gives a new instance its frontend port on every NAT pool its NICs use. */
export function assignNatPorts(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  instance: InstanceRecord,
): void {
  for (const { found, start, end } of natPoolsOf(ctx, scaleSet)) {
    const taken = takenPorts(ctx, found.id, subscriptionOf(scaleSet.id))
    const preferred = start + Number(instance.instanceId)
    let port: number | undefined = preferred <= end && !taken.has(preferred) ? preferred : undefined
    for (let p = start; port === undefined && p <= end; p++) if (!taken.has(p)) port = p
    if (port !== undefined) instance.natPorts[found.id.toLowerCase()] = port
  }
}

export const instanceIpConfigId = (
  scaleSetId: string,
  instanceId: string,
  nicName: string,
  ipConfigName: string,
) =>
  `${scaleSetId}/virtualMachines/${instanceId}/networkInterfaces/${nicName}/ipConfigurations/${ipConfigName}`

/** The NAT rules a load balancer's pools produce for the scale-set instances behind them. */
export function derivedNatRules(ctx: SandboxContext, loadBalancer: ArmResource): Json[] {
  const pools = (loadBalancer.properties?.inboundNatPools as Json[] | undefined) ?? []
  if (pools.length === 0) return []
  const rules: Json[] = []
  const scaleSets = listScaleSets(ctx, subscriptionOf(loadBalancer.id))
  for (const pool of pools) {
    const poolId = `${loadBalancer.id}/inboundNatPools/${String(pool.name)}`.toLowerCase()
    const props = poolProps(pool)
    for (const scaleSet of scaleSets) {
      for (const nic of nicConfigsOf(scaleSet)) {
        if (!nic.natPoolIds.some((id) => id.toLowerCase() === poolId)) continue
        for (const instance of scaleSet.sandbox.instances) {
          const frontendPort = instance.natPorts[poolId]
          if (frontendPort === undefined) continue
          const name = `${String(pool.name)}.${instance.instanceId}`
          rules.push({
            name,
            id: `${loadBalancer.id}/inboundNatRules/${name}`,
            etag: loadBalancer.etag,
            type: 'Microsoft.Network/loadBalancers/inboundNatRules',
            properties: {
              provisioningState: 'Succeeded',
              frontendIPConfiguration: props.frontendIPConfiguration,
              frontendPort,
              backendPort: props.backendPort,
              enableFloatingIP: props.enableFloatingIP ?? false,
              idleTimeoutInMinutes: props.idleTimeoutInMinutes ?? 4,
              protocol: props.protocol,
              enableTcpReset: props.enableTcpReset ?? false,
              backendIPConfiguration: {
                id: instanceIpConfigId(
                  scaleSet.id,
                  instance.instanceId,
                  nic.nicName,
                  nic.ipConfigName,
                ),
              },
            },
          })
        }
      }
    }
  }
  return rules.sort((a, b) => naturalCompare(String(a.name), String(b.name)))
}

const naturalCompare = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })
