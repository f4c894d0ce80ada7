import type { SandboxContext } from '../../core/context'
import { parseResourceId, type ArmResource } from '../../core/resources'

/** One extension's status on an instance, as the instance view shows it. */
export interface ExtensionStatus {
  name: string
  type: string
  typeHandlerVersion: string
  code: string
  level: 'Info' | 'Warning' | 'Error'
  displayStatus: string
  message: string
  time: string
}

export const scaleSetType = 'Microsoft.Compute/virtualMachineScaleSets'

export type PowerState =
  'starting' | 'running' | 'stopping' | 'stopped' | 'deallocating' | 'deallocated'
export type ProvisioningState = 'Creating' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting'

/** A state change in progress: where the instance goes and when it gets there (sandbox ms). */
export interface Transition {
  provisioningState: ProvisioningState
  powerState: PowerState
  /** The instance disappears when the transition ends. */
  remove?: boolean
  dueAt: number
  /** Error code when the instance ends Failed (e.g. AllocationFailed). */
  failure?: string
}

/** One scale-set VM, kept inside its scale set's `sandbox` bookkeeping. */
export interface InstanceRecord {
  instanceId: string
  vmId: string
  computerName: string
  zone?: string
  provisioningState: ProvisioningState
  powerState: PowerState
  /** Sandbox ms of the last state change (instance view status time). */
  changedAt: number
  createdAt: number
  transition?: Transition
  failure?: string
  protectFromScaleIn: boolean
  protectFromScaleSetActions: boolean
  latestModelApplied: boolean
  /** The model's size changed since this instance last took the model (a restart applies it). */
  sizeOutdated?: boolean
  /** Percentage CPU while running; tests set it with setInstanceCpu. */
  cpuPercent: number
  privateIp: string
  /** Frontend port per inbound NAT pool id (lower case). */
  natPorts: Record<string, number>
  computeUsageId?: string
  diskUsageId?: string
  /** Bumped by each change to the instance's own model (its etag); 1 when absent. */
  version?: number
  /** Status of each VM extension after provisioning (extensions/index.ts). */
  extensions?: ExtensionStatus[]
}

export interface ScaleSetBookkeeping {
  nextInstanceId: number
  instances: InstanceRecord[]
  version: number
  /** Deleting: the DELETE operation is in progress. */
  deleting?: boolean
  [key: string]: unknown
}

export interface ScaleSetResource extends ArmResource {
  sku: { name: string; tier?: string; capacity: number }
  properties: Record<string, unknown> & {
    virtualMachineProfile?: Record<string, unknown>
    provisioningState?: string
  }
  sandbox: ScaleSetBookkeeping
}

export const asScaleSet = (resource: ArmResource | undefined): ScaleSetResource | undefined =>
  resource && resource.type.toLowerCase() === scaleSetType.toLowerCase()
    ? (resource as ScaleSetResource)
    : undefined

export function getScaleSet(ctx: SandboxContext, id: string): ScaleSetResource | undefined {
  return asScaleSet(ctx.resources.get(id))
}

export function listScaleSets(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup?: string,
): ScaleSetResource[] {
  return ctx.resources
    .list({ subscriptionId, type: scaleSetType, ...(resourceGroup ? { resourceGroup } : {}) })
    .map((r) => r as ScaleSetResource)
}

export function scaleSetIdOf(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${scaleSetType}/${name}`
}

export function subscriptionOf(id: string): string {
  return parseResourceId(id)?.subscriptionId ?? ''
}

/** Instances that count toward capacity: everything not being deleted. */
export const countedInstances = (scaleSet: ScaleSetResource) =>
  scaleSet.sandbox.instances.filter((i) => i.provisioningState !== 'Deleting')

export const isSpot = (scaleSet: ScaleSetResource) =>
  String(scaleSet.properties.virtualMachineProfile?.priority ?? 'Regular').toLowerCase() ===
    'spot' ||
  String(scaleSet.properties.virtualMachineProfile?.priority ?? '').toLowerCase() === 'low'

export const osTypeOf = (scaleSet: ScaleSetResource): 'Linux' | 'Windows' => {
  const osProfile = scaleSet.properties.virtualMachineProfile?.osProfile as
    Record<string, unknown> | undefined
  if (osProfile?.windowsConfiguration) return 'Windows'
  if (osProfile?.linuxConfiguration) return 'Linux'
  const image = (
    scaleSet.properties.virtualMachineProfile?.storageProfile as Record<string, unknown> | undefined
  )?.imageReference as Record<string, unknown> | undefined
  return /windows/i.test(`${image?.publisher ?? ''} ${image?.offer ?? ''}`) ? 'Windows' : 'Linux'
}

/** The primary NIC and ip configuration names from the scale set's network profile. */
export interface NicConfig {
  nicName: string
  ipConfigName: string
  subnetId?: string
  networkSecurityGroupId?: string
  backendPoolIds: string[]
  natPoolIds: string[]
}

type Json = Record<string, unknown>
const refs = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((r) => String((r as Json).id ?? '')).filter(Boolean) : []

export function nicConfigsOf(scaleSet: ScaleSetResource): NicConfig[] {
  const networkProfile = scaleSet.properties.virtualMachineProfile?.networkProfile as
    Json | undefined
  const nics = (networkProfile?.networkInterfaceConfigurations as Json[] | undefined) ?? []
  return nics.map((nic) => {
    const nicProps = (nic.properties as Json | undefined) ?? {}
    const ipConfigs = (nicProps.ipConfigurations as Json[] | undefined) ?? []
    const primary =
      ipConfigs.find((c) => (c.properties as Json | undefined)?.primary === true) ?? ipConfigs[0]
    const ipProps = (primary?.properties as Json | undefined) ?? {}
    const nsg = (nicProps.networkSecurityGroup as Json | undefined)?.id
    const subnet = (ipProps.subnet as Json | undefined)?.id
    return {
      nicName: String(nic.name ?? 'nic'),
      ipConfigName: String(primary?.name ?? 'ipconfig'),
      ...(typeof subnet === 'string' ? { subnetId: subnet } : {}),
      ...(typeof nsg === 'string' ? { networkSecurityGroupId: nsg } : {}),
      backendPoolIds: refs(ipProps.loadBalancerBackendAddressPools),
      natPoolIds: refs(ipProps.loadBalancerInboundNatPools),
    }
  })
}
