import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { parseResourceId, view, type ArmResource } from '../../core/resources'
import { subscriptions } from '../../seed/directory'
import { normalizeRegion } from '../compute/catalog'
import { publicIpFor } from './addresses'
import type { NetworkResourceType } from './crud'

type Json = Record<string, unknown>

const publicIpType = 'Microsoft.Network/publicIPAddresses'
const labelPattern = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/

function allPublicIps(ctx: SandboxContext): ArmResource[] {
  return subscriptions.flatMap((s) =>
    ctx.resources.list({ subscriptionId: s.id, type: publicIpType }),
  )
}

function checkLabel(ctx: SandboxContext, id: string, label: string, region: string): void {
  if (!labelPattern.test(label)) {
    throw new ArmError(
      400,
      'InvalidDomainNameLabel',
      `The domain name label ${label} is invalid. It must conform to the following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.`,
    )
  }
  const fqdn = `${label}.${region}.cloudapp.azure.com`
  const clash = allPublicIps(ctx).find(
    (ip) =>
      ip.id.toLowerCase() !== id.toLowerCase() &&
      String((ip.properties?.dnsSettings as Json | undefined)?.fqdn ?? '').toLowerCase() === fqdn,
  )
  if (clash)
    throw new ArmError(
      400,
      'DnsRecordInUse',
      `DNS record ${fqdn} is already used by another public IP.`,
    )
}

function uniqueAddress(ctx: SandboxContext, id: string): string {
  const used = new Set(allPublicIps(ctx).map((ip) => String(ip.properties?.ipAddress ?? '')))
  for (let attempt = 0; ; attempt++) {
    const address = publicIpFor(id, attempt)
    if (!used.has(address)) return address
  }
}

/** The load balancer frontend that uses the address, if any. */
function attachedFrontend(ctx: SandboxContext, ip: ArmResource): string | undefined {
  const subscriptionId = parseResourceId(ip.id)?.subscriptionId ?? ''
  for (const lb of ctx.resources.list({
    subscriptionId,
    type: 'Microsoft.Network/loadBalancers',
  })) {
    for (const frontend of (lb.properties?.frontendIPConfigurations as Json[] | undefined) ?? []) {
      const ref = ((frontend.properties as Json | undefined)?.publicIPAddress as Json | undefined)
        ?.id
      if (typeof ref === 'string' && ref.toLowerCase() === ip.id.toLowerCase())
        return String(frontend.id)
    }
  }
  return undefined
}

export const publicIpAddresses: NetworkResourceType = {
  type: publicIpType,
  collection: 'publicIPAddresses',
  provisionMs: 3_000,
  build(ctx, { id, name, body, existing }) {
    const props = (body.properties as Json | undefined) ?? {}
    const skuName = String((body.sku as Json | undefined)?.name ?? 'Basic')
    if (!['basic', 'standard'].includes(skuName.toLowerCase())) {
      throw new ArmError(
        400,
        'InvalidPublicIpSku',
        `Public IP address SKU '${skuName}' is not supported. Supported values: Basic, Standard.`,
      )
    }
    // Basic SKU public IPs were retired on 30 September 2025: every subscription's quota for
    // new ones is 0 (an existing one keeps its SKU).
    if (skuName.toLowerCase() === 'basic' && !existing) {
      throw new ArmError(
        400,
        'IPv4BasicSkuPublicIpCountLimitReached',
        'Cannot create more than 0 IPv4 Basic SKU public IP addresses for this subscription in this region.',
      )
    }
    const standard = skuName.toLowerCase() === 'standard'
    const allocation = String(props.publicIPAllocationMethod ?? (standard ? 'Static' : 'Dynamic'))
    if (standard && allocation.toLowerCase() !== 'static') {
      throw new ArmError(
        400,
        'StandardSkuPublicIPAddressesCannotBeDynamic',
        `Standard sku publicIp ${id} must have AllocationMethod set to Static.`,
      )
    }
    const region = normalizeRegion(String(body.location))
    const dns = props.dnsSettings as Json | undefined
    const label = typeof dns?.domainNameLabel === 'string' ? dns.domainNameLabel : undefined
    if (label) checkLabel(ctx, id, label, region)
    const zones = Array.isArray(body.zones) ? (body.zones as string[]) : undefined
    return {
      id,
      name,
      type: publicIpType,
      location: String(body.location),
      ...(body.tags ? { tags: body.tags as Record<string, string> } : {}),
      sku: {
        name: standard ? 'Standard' : 'Basic',
        tier: String((body.sku as Json | undefined)?.tier ?? 'Regional'),
      },
      ...(zones ? { zones } : {}),
      properties: {
        resourceGuid: (existing?.properties?.resourceGuid as string | undefined) ?? ctx.newId(),
        ipAddress:
          (existing?.properties?.ipAddress as string | undefined) ?? uniqueAddress(ctx, id),
        publicIPAddressVersion: String(props.publicIPAddressVersion ?? 'IPv4'),
        publicIPAllocationMethod:
          allocation.charAt(0).toUpperCase() + allocation.slice(1).toLowerCase(),
        idleTimeoutInMinutes: Number(props.idleTimeoutInMinutes ?? 4),
        ...(label
          ? {
              dnsSettings: {
                domainNameLabel: label,
                fqdn: `${label}.${region}.cloudapp.azure.com`,
              },
            }
          : {}),
        ipTags: (props.ipTags as Json[] | undefined) ?? [],
        ddosSettings: { protectionMode: 'VirtualNetworkInherited' },
      },
      sandbox: existing?.sandbox ?? {},
    }
  },
  present(ctx, resource) {
    const visible = view(resource) as Json
    const frontend = attachedFrontend(ctx, resource)
    return frontend
      ? {
          ...visible,
          properties: { ...(visible.properties as Json), ipConfiguration: { id: frontend } },
        }
      : visible
  },
  beforeDelete(ctx, resource) {
    const frontend = attachedFrontend(ctx, resource)
    if (frontend) {
      throw new ArmError(
        400,
        'PublicIPAddressCannotBeDeleted',
        `Public IP address ${resource.id} can not be deleted since it is still allocated to resource ${frontend}. In order to delete the public IP, disassociate/detach the Public IP address from the resource.`,
      )
    }
  },
  created(ctx, resource) {
    const parts = parseResourceId(resource.id)!
    resource.sandbox = {
      ...(resource.sandbox ?? {}),
      usageId: ctx.usage.open({
        subscriptionId: parts.subscriptionId,
        resourceGroup: parts.resourceGroup ?? '',
        resourceId: resource.id,
        meter: 'publicIp',
        sku: String(resource.sku?.name ?? 'Basic'),
        location: normalizeRegion(resource.location ?? ''),
        quantity: 1,
        start: ctx.clock.now(),
      }),
    }
    ctx.resources.touch()
  },
}
