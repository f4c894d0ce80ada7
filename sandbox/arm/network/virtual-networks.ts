import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, type SandboxReply, type SandboxRequest } from '../../core/http'
import type { Router } from '../../core/router'
import { view, type ArmResource } from '../../core/resources'
import { listScaleSets, nicConfigsOf, subscriptionOf } from '../compute/model'
import { apiVersionOf, requireResourceGroup } from '../compute/request-helpers'
import { child, findOrThrow, newNetworkEtag, resourceIdOf, type NetworkResourceType } from './crud'
import { instanceIpConfigId } from './nat'

type Json = Record<string, unknown>

const cidr = (prefix: string): { base: number; size: number } | undefined => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(prefix.trim())
  if (!m) return undefined
  const bits = Number(m[5])
  if (bits > 32 || m.slice(1, 5).some((o) => Number(o) > 255)) return undefined
  const ip = m.slice(1, 5).reduce((n, o) => n * 256 + Number(o), 0)
  const size = 2 ** (32 - bits)
  return { base: ip - (ip % size), size }
}
const within = (inner: { base: number; size: number }, outer: { base: number; size: number }) =>
  inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size
const overlaps = (a: { base: number; size: number }, b: { base: number; size: number }) =>
  a.base < b.base + b.size && b.base < a.base + a.size

/** NIC ip configurations (scale-set instances) that sit in the subnet. */
export function subnetUsers(ctx: SandboxContext, subnetId: string): string[] {
  const users: string[] = []
  for (const scaleSet of listScaleSets(ctx, subscriptionOf(subnetId))) {
    for (const nic of nicConfigsOf(scaleSet)) {
      if (nic.subnetId?.toLowerCase() !== subnetId.toLowerCase()) continue
      for (const instance of scaleSet.sandbox.instances) {
        users.push(
          instanceIpConfigId(scaleSet.id, instance.instanceId, nic.nicName, nic.ipConfigName),
        )
      }
    }
  }
  return users
}

/** Internal load balancer frontends placed in the subnet. */
function frontendsIn(ctx: SandboxContext, subnetId: string): string[] {
  return ctx.resources
    .list({ subscriptionId: subscriptionOf(subnetId), type: 'Microsoft.Network/loadBalancers' })
    .flatMap((lb) => (lb.properties?.frontendIPConfigurations as Json[] | undefined) ?? [])
    .filter(
      (f) =>
        String(
          ((f.properties as Json | undefined)?.subnet as Json | undefined)?.id ?? '',
        ).toLowerCase() === subnetId.toLowerCase(),
    )
    .map((f) => String(f.id))
}

function inUseError(subnetName: string, user: string): ArmError {
  return new ArmError(
    400,
    'InUseSubnetCannotBeDeleted',
    `Subnet ${subnetName} is in use by ${user} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
  )
}

function validateSubnets(vnetName: string, addressPrefixes: string[], subnets: Json[]): void {
  const spaces = addressPrefixes.map((p) => {
    const range = cidr(p)
    if (!range)
      throw new ArmError(
        400,
        'InvalidAddressPrefixFormat',
        `Address prefix ${p} of resource ${vnetName} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.`,
      )
    return range
  })
  const seen: Array<{ name: string; range: { base: number; size: number } }> = []
  for (const subnet of subnets) {
    const name = String(subnet.name)
    const prefix = String((subnet.properties as Json | undefined)?.addressPrefix ?? '')
    const range = cidr(prefix)
    if (!range || !spaces.some((space) => within(range, space))) {
      throw new ArmError(
        400,
        'NetcfgInvalidSubnet',
        `Subnet '${name}' is not valid in virtual network '${vnetName}'.`,
      )
    }
    const clash = seen.find((s) => overlaps(s.range, range))
    if (clash) {
      throw new ArmError(
        400,
        'NetcfgSubnetRangesOverlap',
        `Subnet '${name}' is not valid because its IP address range overlaps with that of an existing subnet '${clash.name}' in virtual network '${vnetName}'.`,
      )
    }
    seen.push({ name, range })
  }
}

export const virtualNetworks: NetworkResourceType = {
  type: 'Microsoft.Network/virtualNetworks',
  collection: 'virtualNetworks',
  provisionMs: 4_000,
  build(ctx, { id, name, body, etag, existing }) {
    const props = (body.properties as Json | undefined) ?? {}
    const addressPrefixes =
      ((props.addressSpace as Json | undefined)?.addressPrefixes as string[] | undefined) ?? []
    if (addressPrefixes.length === 0) {
      throw new ArmError(
        400,
        'InvalidRequestFormat',
        `Virtual network ${id} must have at least one address prefix in addressSpace.`,
      )
    }
    const subnets = ((props.subnets as Json[] | undefined) ?? []).map((s) =>
      child(id, 'subnets', s, etag),
    )
    validateSubnets(name, addressPrefixes, subnets)
    for (const old of (existing?.properties?.subnets as Json[] | undefined) ?? []) {
      if (subnets.some((s) => String(s.name).toLowerCase() === String(old.name).toLowerCase()))
        continue
      const user = subnetUsers(ctx, String(old.id))[0]
      if (user) throw inUseError(String(old.name), user)
    }
    return {
      id,
      name,
      type: 'Microsoft.Network/virtualNetworks',
      location: String(body.location),
      ...(body.tags ? { tags: body.tags as Record<string, string> } : {}),
      properties: {
        resourceGuid: (existing?.properties?.resourceGuid as string | undefined) ?? ctx.newId(),
        addressSpace: { addressPrefixes },
        subnets,
        virtualNetworkPeerings: [],
        enableDdosProtection: props.enableDdosProtection ?? false,
      },
      sandbox: existing?.sandbox ?? {},
    }
  },
  present(ctx, resource) {
    const visible = structuredClone(view(resource)) as Json
    for (const subnet of ((visible.properties as Json).subnets as Json[] | undefined) ?? []) {
      const users = [...subnetUsers(ctx, String(subnet.id)), ...frontendsIn(ctx, String(subnet.id))]
      if (users.length) (subnet.properties as Json).ipConfigurations = users.map((id) => ({ id }))
    }
    return visible
  },
  beforeDelete(ctx, resource) {
    for (const subnet of (resource.properties?.subnets as Json[] | undefined) ?? []) {
      const user = subnetUsers(ctx, String(subnet.id))[0]
      if (user) throw inUseError(String(subnet.name), user)
    }
  },
}

/** Subnets as their own resources: /virtualNetworks/{vnet}/subnets[/{subnet}]. */
export function addSubnetRoutes(router: Router): void {
  const base =
    '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/{name}/subnets'
  router.add(
    {
      service: 'arm',
      method: 'GET',
      pattern: base,
      handler: (req, ctx) => ({ status: 200, body: { value: subnetsOf(vnetOf(ctx, req)) } }),
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${base}/{subnetName}`,
      handler: (req, ctx) => ({ status: 200, body: findSubnet(ctx, req) }),
    },
    { service: 'arm', method: 'PUT', pattern: `${base}/{subnetName}`, handler: putSubnet },
    { service: 'arm', method: 'DELETE', pattern: `${base}/{subnetName}`, handler: deleteSubnet },
  )
}

const vnetOf = (ctx: SandboxContext, req: SandboxRequest) => findOrThrow(virtualNetworks, ctx, req)
const subnetsOf = (vnet: ArmResource) => (vnet.properties?.subnets as Json[] | undefined) ?? []

function findSubnet(ctx: SandboxContext, req: SandboxRequest): Json {
  const subnet = subnetsOf(vnetOf(ctx, req)).find(
    (s) => String(s.name).toLowerCase() === req.params.subnetName!.toLowerCase(),
  )
  if (!subnet) {
    throw new ArmError(
      404,
      'NotFound',
      `Resource ${resourceIdOf(virtualNetworks, req)}/subnets/${req.params.subnetName} not found.`,
    )
  }
  return subnet
}

function putSubnet(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  requireResourceGroup(ctx, req.params.subscriptionId!, req.params.resourceGroupName!)
  const vnet = vnetOf(ctx, req)
  const body = bodyObject(req)
  const etag = newNetworkEtag(ctx)
  const subnet = child(vnet.id, 'subnets', { ...body, name: req.params.subnetName }, etag)
  const others = subnetsOf(vnet).filter(
    (s) => String(s.name).toLowerCase() !== req.params.subnetName!.toLowerCase(),
  )
  const existed = others.length !== subnetsOf(vnet).length
  const addressPrefixes =
    ((vnet.properties?.addressSpace as Json | undefined)?.addressPrefixes as
      string[] | undefined) ?? []
  validateSubnets(vnet.name, addressPrefixes, [...others, subnet])
  vnet.properties = { ...vnet.properties, subnets: [...others, subnet] }
  vnet.etag = etag
  ctx.resources.touch()
  const { headers } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Network',
    location: vnet.location ?? 'eastus',
    durationMs: 2_000,
    handler: 'network.provisioned',
    args: { id: vnet.id, etag },
    apiVersion: apiVersionOf(req),
  })
  return {
    status: existed ? 200 : 201,
    headers: { 'Azure-AsyncOperation': headers['Azure-AsyncOperation']! },
    body: subnet,
  }
}

function deleteSubnet(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const vnet = vnetOf(ctx, req)
  const subnet = subnetsOf(vnet).find(
    (s) => String(s.name).toLowerCase() === req.params.subnetName!.toLowerCase(),
  )
  if (!subnet) return { status: 204 }
  const user = subnetUsers(ctx, String(subnet.id))[0]
  if (user) throw inUseError(String(subnet.name), user)
  vnet.properties = { ...vnet.properties, subnets: subnetsOf(vnet).filter((s) => s !== subnet) }
  vnet.etag = newNetworkEtag(ctx)
  ctx.resources.touch()
  return { status: 200 }
}
