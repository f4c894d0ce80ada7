import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { listScaleSets, nicConfigsOf, subscriptionOf } from '../compute/model'
import { child, type NetworkResourceType } from './crud'

type Json = Record<string, unknown>

/** The six rules every network security group has, as Azure lists them. */
const defaultRules: Array<
  [
    name: string,
    description: string,
    source: string,
    destination: string,
    access: string,
    priority: number,
    direction: string,
  ]
> = [
  [
    'AllowVnetInBound',
    'Allow inbound traffic from all VMs in VNET',
    'VirtualNetwork',
    'VirtualNetwork',
    'Allow',
    65000,
    'Inbound',
  ],
  [
    'AllowAzureLoadBalancerInBound',
    'Allow inbound traffic from azure load balancer',
    'AzureLoadBalancer',
    '*',
    'Allow',
    65001,
    'Inbound',
  ],
  ['DenyAllInBound', 'Deny all inbound traffic', '*', '*', 'Deny', 65500, 'Inbound'],
  [
    'AllowVnetOutBound',
    'Allow outbound traffic from all VMs to all VMs in VNET',
    'VirtualNetwork',
    'VirtualNetwork',
    'Allow',
    65000,
    'Outbound',
  ],
  [
    'AllowInternetOutBound',
    'Allow outbound traffic from all VMs to Internet',
    '*',
    'Internet',
    'Allow',
    65001,
    'Outbound',
  ],
  ['DenyAllOutBound', 'Deny all outbound traffic', '*', '*', 'Deny', 65500, 'Outbound'],
]

function validateRule(rule: Json): void {
  const props = (rule.properties as Json | undefined) ?? {}
  const priority = Number(props.priority)
  if (!Number.isInteger(priority) || priority < 100 || priority > 4096) {
    throw new ArmError(
      400,
      'SecurityRuleInvalidPriority',
      `Security rule ${String(rule.name)} has invalid Priority. Value provided: ${String(props.priority)} Allowed range 100-4096.`,
    )
  }
  for (const field of ['protocol', 'access', 'direction'] as const) {
    if (typeof props[field] !== 'string') {
      throw new ArmError(
        400,
        'SecurityRuleParameterContainsUnsupportedValue',
        `Security rule parameter ${field} for rule with Id ${String(rule.id)} is missing.`,
      )
    }
  }
}

/** NICs of scale-set instances the group is attached to. */
function nicsUsing(ctx: SandboxContext, nsgId: string): string[] {
  return listScaleSets(ctx, subscriptionOf(nsgId)).flatMap((scaleSet) =>
    nicConfigsOf(scaleSet)
      .filter((nic) => nic.networkSecurityGroupId?.toLowerCase() === nsgId.toLowerCase())
      .flatMap((nic) =>
        scaleSet.sandbox.instances.map(
          (i) => `${scaleSet.id}/virtualMachines/${i.instanceId}/networkInterfaces/${nic.nicName}`,
        ),
      ),
  )
}

export const networkSecurityGroups: NetworkResourceType = {
  type: 'Microsoft.Network/networkSecurityGroups',
  collection: 'networkSecurityGroups',
  provisionMs: 2_000,
  beforeDelete(ctx, resource) {
    const users = nicsUsing(ctx, resource.id)
    if (users.length) {
      throw new ArmError(
        400,
        'InUseNetworkSecurityGroupCannotBeDeleted',
        `Network security group ${resource.id} cannot be deleted because it is in use by the following resources: ${users.join(', ')}. In order to delete the Network security group, remove the association with the resource(s).`,
      )
    }
  },
  build(ctx, { id, name, body, etag, existing }) {
    const props = (body.properties as Json | undefined) ?? {}
    const securityRules = ((props.securityRules as Json[] | undefined) ?? []).map((r) =>
      child(id, 'securityRules', r, etag),
    )
    securityRules.forEach(validateRule)
    const seen = new Map<string, string>()
    for (const rule of securityRules) {
      const p = rule.properties as Json
      const key = `${String(p.direction)}:${String(p.priority)}`
      if (seen.has(key)) {
        throw new ArmError(
          400,
          'SecurityRuleConflict',
          `Security rule ${String(rule.name)} conflicts with rule ${seen.get(key)}. Rules cannot have the same Priority and Direction.`,
        )
      }
      seen.set(key, String(rule.name))
    }
    return {
      id,
      name,
      type: 'Microsoft.Network/networkSecurityGroups',
      location: String(body.location),
      ...(body.tags ? { tags: body.tags as Record<string, string> } : {}),
      properties: {
        resourceGuid: (existing?.properties?.resourceGuid as string | undefined) ?? ctx.newId(),
        securityRules,
        defaultSecurityRules: defaultRules.map(
          ([ruleName, description, source, destination, access, priority, direction]) => ({
            name: ruleName,
            id: `${id}/defaultSecurityRules/${ruleName}`,
            etag,
            properties: {
              provisioningState: 'Succeeded',
              description,
              protocol: '*',
              sourcePortRange: '*',
              destinationPortRange: '*',
              sourceAddressPrefix: source,
              destinationAddressPrefix: destination,
              access,
              priority,
              direction,
            },
          }),
        ),
      },
    }
  },
}
