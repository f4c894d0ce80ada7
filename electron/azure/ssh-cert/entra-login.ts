import type { VirtualMachineScaleSet } from '@azure/arm-compute'
import type { ArmContext } from '../arm-context'
import { actionMatches } from '../deploy/preflight/permissions'
import { authorizationClient } from '../team/authorization-client'

/** Microsoft's Entra ID login extensions for VMs and scale sets (publisher and types). */
export const entraLoginPublisher = 'Microsoft.Azure.ActiveDirectory'
export const entraLinuxLoginType = 'AADSSHLoginForLinux'
export const entraWindowsLoginType = 'AADLoginForWindows'

/** Does the scale set's model carry the Entra ID login for Linux (so members sign in as themselves)? */
export function usesEntraSshLogin(
  scaleSet: Pick<VirtualMachineScaleSet, 'virtualMachineProfile'>,
): boolean {
  return (scaleSet.virtualMachineProfile?.extensionProfile?.extensions ?? []).some(
    (e) =>
      e.publisher?.toLowerCase() === entraLoginPublisher.toLowerCase() &&
      e.typePropertiesType?.toLowerCase() === entraLinuxLoginType.toLowerCase(),
  )
}

/** Does the scale set's model carry the Entra ID login for Windows (members sign in over RDP as themselves)? */
export function usesEntraWindowsLogin(scaleSet: VirtualMachineScaleSet): boolean {
  return (scaleSet.virtualMachineProfile?.extensionProfile?.extensions ?? []).some(
    (e) =>
      e.publisher?.toLowerCase() === entraLoginPublisher.toLowerCase() &&
      e.typePropertiesType?.toLowerCase() === entraWindowsLoginType.toLowerCase(),
  )
}

interface DataPermission {
  dataActions?: string[]
  notDataActions?: string[]
}

const loginDataAction = 'Microsoft.Compute/virtualMachines/login/action'

/**
 * Do the caller's permissions at the pool's group (Microsoft.Authorization/permissions) let
 * them sign in to its instances, as the Entra ID login checks (the data action of Virtual
 * Machine User Login and Virtual Machine Administrator Login; Owner and Contributor lack it)?
 */
export function allowsVmLogin(permissions: readonly DataPermission[]): boolean {
  return permissions.some(
    (p) =>
      (p.dataActions ?? []).some((a) => actionMatches(a, loginDataAction)) &&
      !(p.notDataActions ?? []).some((a) => actionMatches(a, loginDataAction)),
  )
}

/** Reads the caller's permissions at the pool's group: may they sign in to its instances? */
export async function mayLogInToPool(context: ArmContext, resourceGroup: string): Promise<boolean> {
  const permissions: DataPermission[] = []
  for await (const p of authorizationClient(context).permissions.listForResourceGroup(
    resourceGroup,
  ))
    permissions.push(p)
  return allowsVmLogin(permissions)
}
