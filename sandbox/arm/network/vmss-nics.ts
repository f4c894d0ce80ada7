import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { SandboxRequest } from '../../core/http'
import type { Router } from '../../core/router'
import {
  getScaleSet,
  nicConfigsOf,
  scaleSetIdOf,
  type InstanceRecord,
  type ScaleSetResource,
} from '../compute/model'
import { param } from '../compute/request-helpers'
import { internalDnsSuffix, macAddressFor, publicIpFor } from './addresses'
import { instanceIpConfigId } from './nat'

type Json = Record<string, unknown>

/** The NICs of scale-set instances, as the Network provider shows them under the scale set's path. */
export function instanceNics(scaleSet: ScaleSetResource, instance: InstanceRecord): Json[] {
  const vmId = `${scaleSet.id}/virtualMachines/${instance.instanceId}`
  return nicConfigsOf(scaleSet).map((nic, index) => {
    const nicId = `${vmId}/networkInterfaces/${nic.nicName}`
    const natRules = nic.natPoolIds
      .filter((poolId) => instance.natPorts[poolId.toLowerCase()] !== undefined)
      .map((poolId) => {
        const m = /^(.*\/loadBalancers\/[^/]+)\/inboundNatPools\/([^/]+)$/i.exec(poolId)!
        return { id: `${m[1]}/inboundNatRules/${m[2]}.${instance.instanceId}` }
      })
    const vnetId = nic.subnetId?.replace(/\/subnets\/[^/]+$/i, '') ?? scaleSet.id
    return {
      name: nic.nicName,
      id: nicId,
      properties: {
        provisioningState: 'Succeeded',
        ipConfigurations: [
          {
            name: nic.ipConfigName,
            id: instanceIpConfigId(scaleSet.id, instance.instanceId, nic.nicName, nic.ipConfigName),
            properties: {
              provisioningState: 'Succeeded',
              privateIPAddress: index === 0 ? instance.privateIp : '',
              privateIPAllocationMethod: 'Dynamic',
              ...(nic.subnetId ? { subnet: { id: nic.subnetId } } : {}),
              primary: true,
              privateIPAddressVersion: 'IPv4',
              ...(nic.backendPoolIds.length
                ? { loadBalancerBackendAddressPools: nic.backendPoolIds.map((id) => ({ id })) }
                : {}),
              ...(natRules.length ? { loadBalancerInboundNatRules: natRules } : {}),
            },
          },
        ],
        dnsSettings: {
          dnsServers: [],
          appliedDnsServers: [],
          internalDomainNameSuffix: internalDnsSuffix(vnetId),
        },
        macAddress: macAddressFor(`${nicId}#${instance.vmId}`),
        enableAcceleratedNetworking: false,
        enableIPForwarding: false,
        ...(nic.networkSecurityGroupId
          ? { networkSecurityGroup: { id: nic.networkSecurityGroupId } }
          : {}),
        primary: index === 0,
        virtualMachine: { id: vmId },
      },
    }
  })
}

/**
 * Instance-level public IPs: one per instance and IP configuration whose model has a
 * `publicIPAddressConfiguration` (a pool behind a load balancer has none, so the list is empty).
 */
export function instancePublicIps(scaleSet: ScaleSetResource, instance: InstanceRecord): Json[] {
  const profile = scaleSet.properties.virtualMachineProfile?.networkProfile as Json | undefined
  const nics = (profile?.networkInterfaceConfigurations as Json[] | undefined) ?? []
  const vmId = `${scaleSet.id}/virtualMachines/${instance.instanceId}`
  return nics.flatMap((nic) =>
    (((nic.properties as Json | undefined)?.ipConfigurations as Json[] | undefined) ?? []).flatMap(
      (ipConfig) => {
        const config = (ipConfig.properties as Json | undefined)?.publicIPAddressConfiguration as
          Json | undefined
        if (!config) return []
        const ipConfigId = `${vmId}/networkInterfaces/${String(nic.name)}/ipConfigurations/${String(ipConfig.name)}`
        const name = String(config.name ?? 'pub')
        const configProps = (config.properties as Json | undefined) ?? {}
        return [
          {
            name,
            id: `${ipConfigId}/publicIPAddresses/${name}`,
            sku: (config.sku as Json | undefined) ?? { name: 'Standard', tier: 'Regional' },
            properties: {
              provisioningState: 'Succeeded',
              ipAddress: publicIpFor(`${ipConfigId}/${name}#${instance.vmId}`),
              publicIPAddressVersion: String(configProps.publicIPAddressVersion ?? 'IPv4'),
              publicIPAllocationMethod: 'Static',
              idleTimeoutInMinutes: Number(configProps.idleTimeoutInMinutes ?? 4),
              ipConfiguration: { id: ipConfigId },
            },
          },
        ]
      },
    ),
  )
}

function scaleSetOf(ctx: SandboxContext, req: SandboxRequest): ScaleSetResource {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroupName = param(req, 'resourceGroupName')
  const vmssName = param(req, 'vmssName')
  const scaleSet = getScaleSet(ctx, scaleSetIdOf(subscriptionId, resourceGroupName, vmssName))
  if (!scaleSet) {
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${vmssName}' under resource group '${resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    )
  }
  return scaleSet
}

function instanceOf(
  ctx: SandboxContext,
  req: SandboxRequest,
): { scaleSet: ScaleSetResource; instance: InstanceRecord } {
  const scaleSet = scaleSetOf(ctx, req)
  const instance = scaleSet.sandbox.instances.find((i) => i.instanceId === req.params.instanceId)
  if (!instance)
    throw new ArmError(
      404,
      'NotFound',
      `Resource ${scaleSet.id}/virtualMachines/${req.params.instanceId} not found.`,
    )
  return { scaleSet, instance }
}

export function addScaleSetNicRoutes(router: Router): void {
  const base =
    '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmssName}'
  router.add(
    {
      service: 'arm',
      method: 'GET',
      pattern: `${base}/networkInterfaces`,
      handler: (req, ctx) => {
        const scaleSet = scaleSetOf(ctx, req)
        return {
          status: 200,
          body: { value: scaleSet.sandbox.instances.flatMap((i) => instanceNics(scaleSet, i)) },
        }
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${base}/publicIPAddresses`,
      handler: (req, ctx) => {
        const scaleSet = scaleSetOf(ctx, req)
        return {
          status: 200,
          body: {
            value: scaleSet.sandbox.instances.flatMap((i) => instancePublicIps(scaleSet, i)),
          },
        }
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${base}/virtualMachines/{instanceId}/networkInterfaces`,
      handler: (req, ctx) => {
        const { scaleSet, instance } = instanceOf(ctx, req)
        return { status: 200, body: { value: instanceNics(scaleSet, instance) } }
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${base}/virtualMachines/{instanceId}/networkInterfaces/{nicName}`,
      handler: (req, ctx) => {
        const { scaleSet, instance } = instanceOf(ctx, req)
        const nic = instanceNics(scaleSet, instance).find(
          (n) => String(n.name).toLowerCase() === req.params.nicName!.toLowerCase(),
        )
        if (!nic)
          throw new ArmError(
            404,
            'NotFound',
            `Resource ${scaleSet.id}/virtualMachines/${instance.instanceId}/networkInterfaces/${req.params.nicName} not found.`,
          )
        return { status: 200, body: nic }
      },
    },
  )
}
