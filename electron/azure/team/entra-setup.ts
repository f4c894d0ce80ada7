import type { ComputeManagementClient, VirtualMachineScaleSet } from '@azure/arm-compute'
import {
  entraLinuxLoginType,
  entraLoginPublisher,
  entraWindowsLoginType,
  usesEntraSshLogin,
  usesEntraWindowsLogin,
} from '../ssh-cert/entra-login'

/**
 * "Set up team access" on an existing pool (docs/team.md): puts Microsoft's Entra ID login
 * extension into the scale set's model where it is missing (with the system-assigned
 * managed identity it needs), then brings the running instances to that model with a manual
 * upgrade (no restart, no reimage). New instances get it from the model.
 */

export type EntraSetupStep = 'identity' | 'extension' | 'instances'

export interface EntraSetupResult {
  /** False when the pool had the extension already (nothing was changed). */
  added: boolean
  upgradedInstances: string[]
}

const hasEntraLogin = (scaleSet: VirtualMachineScaleSet, os: 'Linux' | 'Windows') =>
  os === 'Linux' ? usesEntraSshLogin(scaleSet) : usesEntraWindowsLogin(scaleSet)

export async function setUpEntraLogin(
  compute: ComputeManagementClient,
  target: { resourceGroup: string; poolName: string; os: 'Linux' | 'Windows' },
  onStep: (step: EntraSetupStep) => void = () => {},
): Promise<EntraSetupResult> {
  const { resourceGroup, poolName, os } = target
  const scaleSet = await compute.virtualMachineScaleSets.get(resourceGroup, poolName)
  if (hasEntraLogin(scaleSet, os)) return { added: false, upgradedInstances: [] }

  const type = scaleSet.identity?.type ?? 'None'
  if (!/SystemAssigned/i.test(type)) {
    onStep('identity')
    const userAssigned = Object.keys(scaleSet.identity?.userAssignedIdentities ?? {})
    await compute.virtualMachineScaleSets.beginUpdateAndWait(resourceGroup, poolName, {
      identity:
        userAssigned.length > 0
          ? {
              type: 'SystemAssigned, UserAssigned',
              userAssignedIdentities: Object.fromEntries(userAssigned.map((id) => [id, {}])),
            }
          : { type: 'SystemAssigned' },
    })
  }

  onStep('extension')
  const extensionType = os === 'Linux' ? entraLinuxLoginType : entraWindowsLoginType
  // The extension on its own (the child resource): the other extensions and their protected
  // settings stay as they are.
  await compute.virtualMachineScaleSetExtensions.beginCreateOrUpdateAndWait(
    resourceGroup,
    poolName,
    extensionType,
    {
      publisher: entraLoginPublisher,
      typePropertiesType: extensionType,
      typeHandlerVersion: '1.0',
      autoUpgradeMinorVersion: true,
    },
  )

  onStep('instances')
  const outdated: string[] = []
  for await (const vm of compute.virtualMachineScaleSetVMs.list(resourceGroup, poolName))
    if (vm.instanceId && vm.latestModelApplied === false) outdated.push(vm.instanceId)
  if (outdated.length > 0)
    await compute.virtualMachineScaleSets.beginUpdateInstancesAndWait(resourceGroup, poolName, {
      instanceIds: outdated,
    })
  return { added: true, upgradedInstances: outdated }
}
