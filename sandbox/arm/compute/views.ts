import { view } from '../../core/resources'
import { latestImageVersion } from './images'
import { osDiskOf } from './lifecycle'
import { countedInstances, osTypeOf, type InstanceRecord, type ScaleSetResource } from './model'

/** How compute resources look on the wire: the scale set, its VMs and their instance views. */

type Json = Record<string, unknown>

const iso = (ms: number) => new Date(ms).toISOString()

export function scaleSetView(scaleSet: ScaleSetResource): Json {
  const visible = structuredClone(view(scaleSet)) as Json
  ;(visible.sku as Json).capacity = countedInstances(scaleSet).length
  return visible
}

const provisioningText: Record<string, string> = {
  Creating: 'Creating',
  Updating: 'Updating',
  Succeeded: 'Provisioning succeeded',
  Failed: 'Provisioning failed',
  Deleting: 'Deleting',
}

export function provisioningStatus(instance: InstanceRecord): Json {
  const failed = instance.provisioningState === 'Failed'
  return {
    code: failed
      ? `ProvisioningState/failed/${instance.failure ?? 'InternalExecutionError'}`
      : `ProvisioningState/${instance.provisioningState.toLowerCase()}`,
    level: failed ? 'Error' : 'Info',
    displayStatus: provisioningText[instance.provisioningState] ?? instance.provisioningState,
    ...(failed && instance.failure === 'AllocationFailed'
      ? { message: allocationFailedMessage }
      : {}),
    time: iso(instance.changedAt),
  }
}

export const allocationFailedMessage =
  'Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance'

export function powerStatus(instance: InstanceRecord): Json {
  return {
    code: `PowerState/${instance.powerState}`,
    level: 'Info',
    displayStatus: `VM ${instance.powerState}`,
  }
}

function osDiskName(scaleSet: ScaleSetResource, instance: InstanceRecord): string {
  return `${scaleSet.name}_${scaleSet.name}_${instance.instanceId}_OsDisk_1_${instance.vmId.replace(/-/g, '')}`
}

export function vmInstanceView(scaleSet: ScaleSetResource, instance: InstanceRecord): Json {
  const ready = instance.powerState === 'running' && instance.provisioningState === 'Succeeded'
  const linux = osTypeOf(scaleSet) === 'Linux'
  return {
    platformUpdateDomain: Number(instance.instanceId) % 5,
    platformFaultDomain: Number(instance.instanceId) % 2,
    computerName: instance.computerName,
    osName: linux ? 'ubuntu' : 'Windows Server 2022 Datacenter',
    osVersion: linux ? '22.04' : '10.0.20348.2340',
    vmAgent: {
      vmAgentVersion: ready ? (linux ? '2.10.0.8' : '2.7.41491.1102') : 'Unknown',
      statuses: [
        ready
          ? {
              code: 'ProvisioningState/succeeded',
              level: 'Info',
              displayStatus: 'Ready',
              message: 'Guest Agent is running',
              time: iso(instance.changedAt),
            }
          : {
              code: 'ProvisioningState/Unavailable',
              level: 'Warning',
              displayStatus: 'Not Ready',
              message: 'VM status blob is found but not yet populated.',
              time: iso(instance.changedAt),
            },
      ],
    },
    ...(instance.extensions
      ? {
          extensions: instance.extensions.map((e) => ({
            name: e.name,
            type: e.type,
            typeHandlerVersion: e.typeHandlerVersion,
            statuses: [
              {
                code: e.code,
                level: e.level,
                displayStatus: e.displayStatus,
                message: e.message,
                time: e.time,
              },
            ],
          })),
        }
      : {}),
    disks: [
      {
        name: osDiskName(scaleSet, instance),
        statuses: [
          {
            code: 'ProvisioningState/succeeded',
            level: 'Info',
            displayStatus: 'Provisioning succeeded',
            time: iso(instance.createdAt),
          },
        ],
      },
    ],
    statuses: [provisioningStatus(instance), powerStatus(instance)],
    ...(scaleSet.properties.singlePlacementGroup !== false
      ? { placementGroupId: String(scaleSet.properties.uniqueId ?? '') }
      : {}),
  }
}

type Profile = Json & {
  storageProfile?: Json
  osProfile?: Json
  networkProfile?: Json
  diagnosticsProfile?: Json
}

const extensionFailed = (instance: InstanceRecord) =>
  instance.extensions?.some((e) => e.level === 'Error') ?? false

/** A scale set VM's etag: changes whenever its own model (protection policy) changes. */
export const vmEtag = (instance: InstanceRecord) => `"${instance.version ?? 1}"`

export function vmView(
  scaleSet: ScaleSetResource,
  instance: InstanceRecord,
  options: { expandInstanceView?: boolean } = {},
): Json {
  const profile = (scaleSet.properties.virtualMachineProfile ?? {}) as Profile
  const vmId = `${scaleSet.id}/virtualMachines/${instance.instanceId}`
  const osProfile = (profile.osProfile ?? {}) as Json
  const disk = osDiskOf(scaleSet)
  const osDisk = ((profile.storageProfile?.osDisk as Json | undefined) ?? {}) as Json
  const diskName = osDiskName(scaleSet, instance)
  const imageReference = structuredClone(
    (profile.storageProfile?.imageReference as Json | undefined) ?? {},
  )
  if (imageReference.version === 'latest')
    imageReference.exactVersion = latestImageVersion(imageReference) ?? '24.11.12'
  const nicConfigurations = (
    (profile.networkProfile?.networkInterfaceConfigurations as Json[] | undefined) ?? []
  ).map((c) => structuredClone(c))
  const { computerNamePrefix: _prefix, ...osSettings } = osProfile
  return {
    name: `${scaleSet.name}_${instance.instanceId}`,
    id: vmId,
    type: 'Microsoft.Compute/virtualMachines',
    location: scaleSet.location,
    ...(scaleSet.tags ? { tags: structuredClone(scaleSet.tags) } : {}),
    instanceId: instance.instanceId,
    sku: { name: scaleSet.sku.name, tier: scaleSet.sku.tier ?? 'Standard' },
    ...(scaleSet.plan ? { plan: structuredClone(scaleSet.plan) } : {}),
    ...(instance.zone ? { zones: [instance.zone] } : {}),
    etag: vmEtag(instance),
    properties: {
      latestModelApplied: instance.latestModelApplied,
      modelDefinitionApplied: 'VirtualMachineScaleSet',
      vmId: instance.vmId,
      hardwareProfile: { vmSize: scaleSet.sku.name },
      storageProfile: {
        imageReference,
        osDisk: {
          osType: osTypeOf(scaleSet),
          name: diskName,
          createOption: String(osDisk.createOption ?? 'FromImage'),
          caching: String(osDisk.caching ?? 'ReadWrite'),
          managedDisk: {
            storageAccountType: disk.storageAccountType,
            id: `${scaleSet.id.replace(/\/providers\/.*$/i, '')}/providers/Microsoft.Compute/disks/${diskName}`,
          },
          diskSizeGB: disk.sizeGB,
          deleteOption: 'Delete',
        },
        dataDisks: [],
      },
      osProfile: {
        computerName: instance.computerName,
        ...osSettings,
        secrets: [],
        allowExtensionOperations: true,
        requireGuestProvisionSignal: true,
      },
      networkProfile: {
        networkInterfaces: nicConfigurations.map((c) => ({
          id: `${vmId}/networkInterfaces/${String(c.name)}`,
          properties: {
            primary: (c.properties as Json | undefined)?.primary === true,
            deleteOption: 'Delete',
          },
        })),
      },
      networkProfileConfiguration: { networkInterfaceConfigurations: nicConfigurations },
      ...(profile.diagnosticsProfile
        ? { diagnosticsProfile: structuredClone(profile.diagnosticsProfile) }
        : {}),
      // An instance whose extension failed ends in Failed once it is provisioned, as in Azure.
      provisioningState:
        instance.provisioningState === 'Succeeded' && extensionFailed(instance)
          ? 'Failed'
          : instance.provisioningState,
      protectionPolicy: {
        protectFromScaleIn: instance.protectFromScaleIn,
        protectFromScaleSetActions: instance.protectFromScaleSetActions,
      },
      timeCreated: iso(instance.createdAt),
      ...(options.expandInstanceView ? { instanceView: vmInstanceView(scaleSet, instance) } : {}),
    },
  }
}

/** GET {scaleSet}/instanceView */
export function scaleSetInstanceView(scaleSet: ScaleSetResource): Json {
  const counts = new Map<string, number>()
  for (const instance of scaleSet.sandbox.instances) {
    const code = String(provisioningStatus(instance).code)
    counts.set(code, (counts.get(code) ?? 0) + 1)
  }
  const state = String(scaleSet.properties.provisioningState ?? 'Succeeded')
  return {
    virtualMachine: {
      statusesSummary: [...counts.entries()].map(([code, count]) => ({ code, count })),
    },
    extensions: extensionSummary(scaleSet),
    statuses: [
      {
        code: `ProvisioningState/${state.toLowerCase()}`,
        level: state === 'Failed' ? 'Error' : 'Info',
        displayStatus: provisioningText[state] ?? state,
        time: String(scaleSet.properties.timeCreated ?? new Date(0).toISOString()),
      },
    ],
  }
}

/** The scale set instance view's extension summary: per extension, how many instances are in each state. */
function extensionSummary(scaleSet: ScaleSetResource): Json[] {
  const byName = new Map<string, Map<string, number>>()
  for (const instance of scaleSet.sandbox.instances) {
    for (const status of instance.extensions ?? []) {
      const counts = byName.get(status.name) ?? new Map<string, number>()
      counts.set(status.code, (counts.get(status.code) ?? 0) + 1)
      byName.set(status.name, counts)
    }
  }
  return [...byName].map(([name, counts]) => ({
    name,
    statusesSummary: [...counts].map(([code, count]) => ({ code, count })),
  }))
}
