import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { SandboxReply, SandboxRequest } from '../../core/http'
import type { Router } from '../../core/router'
import { parseResourceId, view, type ArmResource } from '../../core/resources'
import { normalizeRegion } from '../compute/catalog'
import { listScaleSets, nicConfigsOf, subscriptionOf } from '../compute/model'
import { allocatePrivateIp, subnetOf } from './addresses'
import { child, findOrThrow, type NetworkResourceType } from './crud'
import { derivedNatRules, instanceIpConfigId } from './nat'

type Json = Record<string, unknown>

const lbType = 'Microsoft.Network/loadBalancers'
const childTypes: Record<string, string> = {
  frontendIPConfigurations: `${lbType}/frontendIPConfigurations`,
  backendAddressPools: `${lbType}/backendAddressPools`,
  loadBalancingRules: `${lbType}/loadBalancingRules`,
  probes: `${lbType}/probes`,
  inboundNatRules: `${lbType}/inboundNatRules`,
  inboundNatPools: `${lbType}/inboundNatPools`,
  outboundRules: `${lbType}/outboundRules`,
}

const props = (item: Json) => (item.properties as Json | undefined) ?? {}
const refId = (value: unknown) =>
  value && typeof value === 'object' ? String((value as Json).id ?? '') : ''
const idsOf = (items: Json[]) => new Set(items.map((i) => String(i.id).toLowerCase()))

function invalidReference(reference: string, from: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceReference',
    `Resource ${reference} referenced by resource ${from} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
  )
}

function requireChildRef(
  known: Set<string>,
  value: unknown,
  from: string,
  required: boolean,
): void {
  const id = refId(value)
  if (!id) {
    if (required)
      throw new ArmError(
        400,
        'InvalidRequestFormat',
        `Resource ${from} is missing a required reference.`,
      )
    return
  }
  if (!known.has(id.toLowerCase())) throw invalidReference(id, from)
}

function checkPort(value: unknown, field: string, from: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ArmError(
      400,
      'InvalidRequestFormat',
      `Property ${field} of ${from} must be a port between 1 and 65535, not '${String(value)}'.`,
    )
  }
  return port
}

function buildFrontends(
  ctx: SandboxContext,
  lbId: string,
  location: string,
  items: Json[],
  existing: Json[],
): Json[] {
  return items.map((item) => {
    const built = child(
      lbId,
      'frontendIPConfigurations',
      item,
      undefined,
      childTypes.frontendIPConfigurations,
    )
    const p = built.properties as Json
    const publicIpId = refId(p.publicIPAddress)
    if (publicIpId) {
      const ip = ctx.resources.get(publicIpId)
      if (!ip || normalizeRegion(ip.location ?? '') !== normalizeRegion(location))
        throw invalidReference(publicIpId, String(built.id))
      p.publicIPAddress = { id: ip.id }
    } else {
      const subnetId = refId(p.subnet)
      if (!subnetId || !subnetOf(ctx, subnetId))
        throw invalidReference(subnetId || 'subnet', String(built.id))
      const previous = existing.find(
        (e) => String(e.name).toLowerCase() === String(built.name).toLowerCase(),
      )
      const address =
        (previous ? props(previous).privateIPAddress : undefined) ??
        p.privateIPAddress ??
        allocatePrivateIp(ctx, subnetId)
      Object.assign(p, {
        privateIPAddress: address,
        privateIPAllocationMethod: p.privateIPAllocationMethod ?? 'Dynamic',
        privateIPAddressVersion: 'IPv4',
      })
    }
    return built
  })
}

export const loadBalancers: NetworkResourceType = {
  type: lbType,
  collection: 'loadBalancers',
  provisionMs: 5_000,
  build(ctx, { id, name, body, existing }) {
    const input = (body.properties as Json | undefined) ?? {}
    const list = (key: string) =>
      ((input[key] as Json[] | undefined) ?? []).map((item) =>
        child(id, key, item, undefined, childTypes[key]),
      )
    const frontendIPConfigurations = buildFrontends(
      ctx,
      id,
      String(body.location),
      (input.frontendIPConfigurations as Json[] | undefined) ?? [],
      (existing?.properties?.frontendIPConfigurations as Json[] | undefined) ?? [],
    )
    const backendAddressPools = list('backendAddressPools')
    const probes = list('probes')
    const loadBalancingRules = list('loadBalancingRules')
    const inboundNatRules = list('inboundNatRules')
    const inboundNatPools = list('inboundNatPools')
    const outboundRules = list('outboundRules')

    const frontends = idsOf(frontendIPConfigurations)
    const pools = idsOf(backendAddressPools)
    const probeIds = idsOf(probes)
    for (const probe of probes) checkPort(props(probe).port, 'port', String(probe.id))
    for (const rule of loadBalancingRules) {
      const p = props(rule)
      requireChildRef(frontends, p.frontendIPConfiguration, String(rule.id), true)
      requireChildRef(pools, p.backendAddressPool, String(rule.id), false)
      requireChildRef(probeIds, p.probe, String(rule.id), false)
      checkPort(p.frontendPort, 'frontendPort', String(rule.id))
      checkPort(p.backendPort, 'backendPort', String(rule.id))
      Object.assign(p, {
        enableFloatingIP: p.enableFloatingIP ?? false,
        idleTimeoutInMinutes: p.idleTimeoutInMinutes ?? 4,
        enableTcpReset: p.enableTcpReset ?? false,
        loadDistribution: p.loadDistribution ?? 'Default',
        disableOutboundSnat: p.disableOutboundSnat ?? false,
      })
    }
    for (const rule of inboundNatRules) {
      const p = props(rule)
      requireChildRef(frontends, p.frontendIPConfiguration, String(rule.id), true)
      checkPort(p.frontendPort, 'frontendPort', String(rule.id))
      checkPort(p.backendPort, 'backendPort', String(rule.id))
    }
    for (const pool of inboundNatPools) {
      const p = props(pool)
      requireChildRef(frontends, p.frontendIPConfiguration, String(pool.id), true)
      const start = checkPort(p.frontendPortRangeStart, 'frontendPortRangeStart', String(pool.id))
      const end = checkPort(p.frontendPortRangeEnd, 'frontendPortRangeEnd', String(pool.id))
      checkPort(p.backendPort, 'backendPort', String(pool.id))
      if (end < start) {
        throw new ArmError(
          400,
          'InvalidRequestFormat',
          `Inbound NAT pool ${String(pool.id)} has frontendPortRangeEnd ${end} lower than frontendPortRangeStart ${start}.`,
        )
      }
      Object.assign(p, {
        idleTimeoutInMinutes: p.idleTimeoutInMinutes ?? 4,
        enableFloatingIP: p.enableFloatingIP ?? false,
        enableTcpReset: p.enableTcpReset ?? false,
      })
    }
    const skuName = String((body.sku as Json | undefined)?.name ?? 'Basic')
    return {
      id,
      name,
      type: lbType,
      location: String(body.location),
      ...(body.tags ? { tags: body.tags as Record<string, string> } : {}),
      sku: { name: skuName, tier: String((body.sku as Json | undefined)?.tier ?? 'Regional') },
      properties: {
        resourceGuid: (existing?.properties?.resourceGuid as string | undefined) ?? ctx.newId(),
        frontendIPConfigurations,
        backendAddressPools,
        loadBalancingRules,
        probes,
        inboundNatRules,
        outboundRules,
        inboundNatPools,
      },
      sandbox: existing?.sandbox ?? {},
    }
  },
  present: presentLoadBalancer,
  beforeDelete(ctx, resource) {
    const user = scaleSetsUsing(ctx, resource)[0]
    if (user) {
      throw new ArmError(
        400,
        'LoadBalancerInUseByVirtualMachineScaleSet',
        `Cannot delete load balancer ${resource.id} since its child resources are in use by virtual machine scale set ${user}.`,
      )
    }
  },
  created(ctx, resource) {
    if (String(resource.sku?.name).toLowerCase() !== 'standard') return
    const parts = parseResourceId(resource.id)!
    resource.sandbox = {
      ...(resource.sandbox ?? {}),
      usageId: ctx.usage.open({
        subscriptionId: parts.subscriptionId,
        resourceGroup: parts.resourceGroup ?? '',
        resourceId: resource.id,
        meter: 'loadBalancer',
        sku: 'Standard',
        location: normalizeRegion(resource.location ?? ''),
        quantity: 1,
        start: ctx.clock.now(),
      }),
    }
    ctx.resources.touch()
  },
}

function scaleSetsUsing(ctx: SandboxContext, lb: ArmResource): string[] {
  const prefix = `${lb.id.toLowerCase()}/`
  return listScaleSets(ctx, subscriptionOf(lb.id))
    .filter((scaleSet) =>
      nicConfigsOf(scaleSet).some((nic) =>
        [...nic.backendPoolIds, ...nic.natPoolIds].some((id) =>
          id.toLowerCase().startsWith(prefix),
        ),
      ),
    )
    .map((scaleSet) => scaleSet.id)
}

/** The load balancer as Azure shows it: back-references filled in, NAT-pool rules listed per instance. */
export function presentLoadBalancer(ctx: SandboxContext, resource: ArmResource): Json {
  const visible = structuredClone(view(resource)) as Json
  const p = visible.properties as Json
  const etag = resource.etag
  const derived = derivedNatRules(ctx, resource)
  const natRules = [...((p.inboundNatRules as Json[]) ?? []), ...derived]
  const rules = (p.loadBalancingRules as Json[]) ?? []
  const refsTo = (items: Json[], field: string, id: unknown) =>
    items
      .filter((item) => refId(props(item)[field]).toLowerCase() === String(id).toLowerCase())
      .map((item) => ({ id: item.id }))
  const withEtag = (item: Json) => {
    item.etag = etag
    return item
  }

  for (const frontend of (p.frontendIPConfigurations as Json[]) ?? []) {
    withEtag(frontend)
    const fp = props(frontend)
    const byRule = refsTo(rules, 'frontendIPConfiguration', frontend.id)
    const byNat = refsTo(natRules, 'frontendIPConfiguration', frontend.id)
    const byPool = refsTo(
      (p.inboundNatPools as Json[]) ?? [],
      'frontendIPConfiguration',
      frontend.id,
    )
    if (byRule.length) fp.loadBalancingRules = byRule
    if (byNat.length) fp.inboundNatRules = byNat
    if (byPool.length) fp.inboundNatPools = byPool
  }
  for (const pool of (p.backendAddressPools as Json[]) ?? []) {
    withEtag(pool)
    const pp = props(pool)
    const byRule = refsTo(rules, 'backendAddressPool', pool.id)
    if (byRule.length) pp.loadBalancingRules = byRule
    const members = backendMembers(ctx, resource, String(pool.id))
    if (members.length) pp.backendIPConfigurations = members.map((id) => ({ id }))
  }
  for (const probe of (p.probes as Json[]) ?? []) {
    withEtag(probe)
    const byRule = refsTo(rules, 'probe', probe.id)
    if (byRule.length) props(probe).loadBalancingRules = byRule
  }
  rules.forEach(withEtag)
  ;((p.inboundNatPools as Json[]) ?? []).forEach(withEtag)
  ;((p.outboundRules as Json[]) ?? []).forEach(withEtag)
  p.inboundNatRules = natRules.map(withEtag)
  return visible
}

function backendMembers(ctx: SandboxContext, lb: ArmResource, poolId: string): string[] {
  const members: string[] = []
  for (const scaleSet of listScaleSets(ctx, subscriptionOf(lb.id))) {
    for (const nic of nicConfigsOf(scaleSet)) {
      if (!nic.backendPoolIds.some((id) => id.toLowerCase() === poolId.toLowerCase())) continue
      for (const instance of scaleSet.sandbox.instances) {
        members.push(
          instanceIpConfigId(scaleSet.id, instance.instanceId, nic.nicName, nic.ipConfigName),
        )
      }
    }
  }
  return members
}

/** GET .../loadBalancers/{lb}/inboundNatRules[/{rule}]: explicit rules and those made by NAT pools. */
export function addInboundNatRuleRoutes(router: Router): void {
  const base =
    '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/loadBalancers/{name}/inboundNatRules'
  const rulesOf = (req: SandboxRequest, ctx: SandboxContext): Json[] => {
    const lb = findOrThrow(loadBalancers, ctx, req)
    return ((presentLoadBalancer(ctx, lb).properties as Json).inboundNatRules as Json[]).map(
      ({ type: _t, etag: _e, ...rule }) => rule,
    )
  }
  router.add(
    {
      service: 'arm',
      method: 'GET',
      pattern: base,
      handler: (req, ctx): SandboxReply => ({ status: 200, body: { value: rulesOf(req, ctx) } }),
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${base}/{ruleName}`,
      handler: (req, ctx): SandboxReply => {
        const rule = rulesOf(req, ctx).find(
          (r) => String(r.name).toLowerCase() === req.params.ruleName!.toLowerCase(),
        )
        if (!rule) {
          throw new ArmError(
            404,
            'NotFound',
            `Resource ${findOrThrow(loadBalancers, ctx, req).id}/inboundNatRules/${req.params.ruleName} not found.`,
          )
        }
        return { status: 200, body: rule }
      },
    },
  )
}
