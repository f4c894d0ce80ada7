/**
 * Every accepted difference between an example's response shape and the sandbox's, in one
 * place, each with its reason. An exception never hides a shape the sandbox gets wrong: it
 * names a property that exists only for a configuration or a feature the example used and
 * the sandbox's resource does not have (and that the pool app never asks for). A path ending
 * in '*' covers everything below it; file '*' applies to every example.
 */
export interface ShapeException {
  file: string
  path: string
  reason: string
}

const vmList = 'compute/2024-11-01/VirtualMachineScaleSetVM_List_MaximumSet_Gen.json'
const vm = 'value[].properties'
const generated =
  'MaximumSet_Gen examples are generated with every optional property filled in; Azure returns this one only when'

export const shapeExceptions: ShapeException[] = [
  {
    file: '*',
    path: 'nextLink',
    reason:
      'ARM lists carry nextLink only when another page follows; the sandbox lists fit in one page',
  },

  // Subscriptions: data of the example's subscription, not shape
  {
    file: 'subscriptions/2019-11-01/GetSubscriptions.json',
    path: 'value[].managedByTenants[]',
    reason:
      'the example subscription is managed by another tenant (Lighthouse); the seeded ones are not',
  },
  {
    file: 'subscriptions/2021-01-01/GetSubscription.json',
    path: 'managedByTenants[]',
    reason:
      'the example subscription is managed by another tenant (Lighthouse); the seeded one is not',
  },

  // Resource Manager
  {
    file: 'resources/2025-04-01/PutDeploymentResourceGroup.json',
    path: 'properties.templateLink',
    reason:
      'the example deploys from a template URL; the sandbox cannot fetch URLs, so the case sends the template inline and Azure echoes templateLink only for linked templates',
  },

  // Network
  {
    file: 'network/2024-07-01/PublicIpAddressGet.json',
    path: 'properties.ddosSettings.ddosProtectionPlan',
    reason: 'only with a DDoS protection plan, which the sandbox does not emulate',
  },
  {
    file: 'network/2024-07-01/PublicIpAddressGet.json',
    path: 'properties.ipTags[]',
    reason: "the example IP has Microsoft routing tags (ipTags); a pool's IP has none",
  },
  {
    file: 'network/2024-07-01/PublicIpAddressList.json',
    path: 'value[].properties.ipTags[]',
    reason: "the example IP has Microsoft routing tags (ipTags); a pool's IP has none",
  },
  {
    file: 'network/2024-07-01/LoadBalancerGet.json',
    path: 'properties.frontendIPConfigurations[].properties.private*',
    reason:
      "the example balancer is internal (private frontend); a pool's balancer has a public IP frontend",
  },
  {
    file: 'network/2024-07-01/LoadBalancerGet.json',
    path: 'properties.frontendIPConfigurations[].properties.subnet',
    reason:
      "the example balancer is internal (frontend in a subnet); a pool's balancer has a public IP frontend",
  },
  {
    file: 'network/2024-07-01/VmssNetworkInterfaceList.json',
    path: 'value[].properties.ipConfigurations[].properties.publicIPAddress',
    reason:
      "the example's instances have their own public IPs; a pool's instances are reached through the balancer",
  },

  // Compute
  {
    file: 'compute/2021-07-01/ListAvailableResourceSkusForARegion.json',
    path: 'value[].locationInfo[].zoneDetails[]',
    reason: 'zoneDetails lists zone-specific capabilities (UltraSSD); empty for sizes without any',
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Get.json',
    path: 'properties.virtualMachineProfile.applicationProfile',
    reason: 'VM applications from a compute gallery, which the sandbox does not emulate',
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Get.json',
    path: 'properties.virtualMachineProfile.userData',
    reason:
      'userData is returned only with $expand=userData, which the example request does not send',
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Get.json',
    path: 'properties.hostGroup',
    reason: 'dedicated hosts, which the sandbox does not emulate',
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json',
    path: 'assignedHost',
    reason: 'the example VM is placed on a dedicated host, which the sandbox does not emulate',
  },
  ...(
    [
      [
        'networkProfileConfiguration.networkInterfaceConfigurations[].properties.ipConfigurations[].properties.publicIPAddressConfiguration',
        'instances have their own public IP',
      ],
      [
        'networkProfileConfiguration.networkInterfaceConfigurations[].properties.ipConfigurations[].properties.applicationGatewayBackendAddressPools',
        'instances are behind an application gateway',
      ],
      [
        'networkProfileConfiguration.networkInterfaceConfigurations[].properties.ipConfigurations[].properties.applicationSecurityGroups',
        'application security groups are used',
      ],
      [
        'networkProfileConfiguration.networkInterfaceConfigurations[].properties.enableFpga',
        'FPGA networking is set',
      ],
      ['hardwareProfile.vmSizeProperties', 'vCPUs are customised'],
      [
        'storageProfile.imageReference.sharedGalleryImageId',
        'the image comes from a shared gallery',
      ],
      ['storageProfile.imageReference.id', 'the image is a custom or gallery image'],
      ['storageProfile.osDisk.managedDisk.diskEncryptionSet', 'disks use customer-managed keys'],
      ['storageProfile.osDisk.encryptionSettings', 'Azure Disk Encryption is on'],
      ['storageProfile.osDisk.vhd', 'the OS disk is unmanaged'],
      ['storageProfile.osDisk.image', 'the OS disk is unmanaged, from a user image'],
      ['storageProfile.osDisk.writeAcceleratorEnabled', 'write accelerator is set'],
      ['storageProfile.osDisk.diffDiskSettings', 'the OS disk is ephemeral'],
      [
        'storageProfile.dataDisks[]',
        'instances have data disks (a pool keeps data on the file share)',
      ],
      ['osProfile.windowsConfiguration', 'the OS is Windows (the fixture pool is Linux)'],
      ['userData', '$expand=userData is requested'],
      [
        'networkProfile.networkApiVersion',
        'the scale set uses Flexible orchestration (the sandbox emulates Uniform)',
      ],
      [
        'networkProfile.networkInterfaceConfigurations',
        'the scale set uses Flexible orchestration (the sandbox emulates Uniform)',
      ],
      ['diagnosticsProfile', 'boot diagnostics are configured'],
      ['instanceView.rdpThumbPrint', 'the VM is Windows with an RDP certificate'],
      ['instanceView.vmAgent.extensionHandlers', 'extensions are installed'],
      ['instanceView.maintenanceRedeployStatus', 'platform maintenance is scheduled'],
      ['instanceView.disks[].encryptionSettings', 'Azure Disk Encryption is on'],
      [
        'instanceView.disks[].statuses[].message',
        'the status has a message (optional; Azure omits it on most statuses)',
      ],
      [
        'instanceView.statuses[].message',
        'the status has a message (optional; Azure omits it on most statuses)',
      ],
      ['instanceView.extensions', 'extensions are installed'],
      ['instanceView.vmHealth', 'the Application Health extension is installed'],
      ['instanceView.bootDiagnostics', 'boot diagnostics are configured'],
      ['instanceView.assignedHost', 'the VM is on a dedicated host'],
      [
        'instanceView.placementGroupId',
        'the scale set runs in a single placement group (the fixture sets singlePlacementGroup false)',
      ],
      ['additionalCapabilities', 'UltraSSD or hibernation is enabled'],
      ['securityProfile', 'Trusted Launch, confidential VMs or encryption at host is configured'],
      ['availabilitySet', 'the VM is in an availability set'],
      ['licenseType', 'Azure Hybrid Benefit is used'],
    ] as const
  ).map(([path, when]) => ({
    file: vmList,
    path: `${vm}.${path}`,
    reason: `${generated} ${when}`,
  })),
  {
    file: vmList,
    path: 'value[].resources',
    reason: `${generated} extensions are installed (child resources)`,
  },
  {
    file: vmList,
    path: `${vm}.osProfile.customData`,
    reason: 'the generated example shows customData, which Azure never returns (write-only)',
  },
  {
    file: vmList,
    path: 'value[].sku.capacity',
    reason:
      'the generated example gives a single VM a capacity; in Azure capacity belongs to the scale set',
  },
  { file: vmList, path: 'value[].plan', reason: `${generated} the image has a marketplace plan` },
  {
    file: vmList,
    path: 'value[].zones',
    reason: `${generated} the scale set is zonal (the fixture's is regional)`,
  },

  // Monitor
  {
    file: 'monitor/2024-02-01/GetMetric.json',
    path: 'value[].timeseries[].metadatavalues[]',
    reason:
      "the example splits by a dimension ($filter=Tier eq '*'); Percentage CPU of a scale set is asked without a split",
  },
]

export function isException(file: string, path: string): boolean {
  return shapeExceptions.some(
    (e) =>
      (e.file === file || e.file === '*') &&
      (e.path.endsWith('*') ? path.startsWith(e.path.slice(0, -1)) : path === e.path),
  )
}
