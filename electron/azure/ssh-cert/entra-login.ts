import type { VirtualMachineScaleSet } from '@azure/arm-compute'

/** Microsoft's Entra ID login extensions for VMs and scale sets (publisher and types). */
export const entraLoginPublisher = 'Microsoft.Azure.ActiveDirectory'
export const entraLinuxLoginType = 'AADSSHLoginForLinux'
export const entraWindowsLoginType = 'AADLoginForWindows'

/** Does the scale set's model carry the Entra ID login for Linux (so members sign in as themselves)? */
export function usesEntraSshLogin(scaleSet: VirtualMachineScaleSet): boolean {
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
