/**
 * A pool template in the shape of the app's (virtual network, NSG, public IP with a DNS
 * label, Standard load balancer with a JupyterHub rule and an SSH NAT pool, storage account
 * and share, scale set whose extension gets the storage key from listKeys() through
 * protectedSettings, autoscale), used to deploy through the sandbox's real providers.
 */
const network = '2024-05-01'
const compute = '2024-07-01'
const storage = '2023-05-01'

const id = (type: string, ...names: string[]) => `[resourceId('${type}', ${names.join(', ')})]`
const pool = "parameters('poolName')"
const ipId = id('Microsoft.Network/publicIPAddresses', `concat(${pool}, '-ip')`)
const lbId = id('Microsoft.Network/loadBalancers', `concat(${pool}, '-lb')`)
const lbPart = (kind: string, name: string) =>
  id(`Microsoft.Network/loadBalancers/${kind}`, `concat(${pool}, '-lb')`, `'${name}'`)
const accountId = id('Microsoft.Storage/storageAccounts', "parameters('storageAccountName')")

export const poolTemplate = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    poolName: { type: 'string', minLength: 3, maxLength: 15 },
    location: { type: 'string', defaultValue: '[resourceGroup().location]' },
    vmSku: { type: 'string', defaultValue: 'Standard_D4s_v5' },
    instanceCount: { type: 'int', defaultValue: 2, minValue: 0, maxValue: 100 },
    adminUsername: { type: 'string', defaultValue: 'azureuser' },
    sshPublicKey: { type: 'string' },
    storageAccountName: { type: 'string', minLength: 3, maxLength: 24 },
    shareName: { type: 'string', defaultValue: 'notebooks' },
    plan: { type: 'object', defaultValue: {} },
    allowedSourceRanges: { type: 'array', defaultValue: ['*'] },
  },
  variables: {
    dnsLabel: `[toLower(concat(${pool}, '-', uniqueString(resourceGroup().id)))]`,
    subnetId: id(
      'Microsoft.Network/virtualNetworks/subnets',
      `concat(${pool}, '-vnet')`,
      "'default'",
    ),
    tags: { 'dsvm-pool': `[${pool}]` },
  },
  resources: [
    {
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: network,
      name: `[concat(${pool}, '-nsg')]`,
      location: "[parameters('location')]",
      tags: "[variables('tags')]",
      properties: {
        copy: [
          {
            name: 'securityRules',
            count: 2,
            input: {
              name: "[if(equals(copyIndex('securityRules'), 0), 'ssh', 'jupyterhub')]",
              properties: {
                protocol: 'Tcp',
                sourcePortRange: '*',
                destinationPortRange: "[if(equals(copyIndex('securityRules'), 0), '22', '8000')]",
                sourceAddressPrefixes: "[parameters('allowedSourceRanges')]",
                destinationAddressPrefix: '*',
                access: 'Allow',
                priority: "[add(1000, copyIndex('securityRules'))]",
                direction: 'Inbound',
              },
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: network,
      name: `[concat(${pool}, '-vnet')]`,
      location: "[parameters('location')]",
      tags: "[variables('tags')]",
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24' } }],
      },
    },
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: network,
      name: `[concat(${pool}, '-ip')]`,
      location: "[parameters('location')]",
      tags: "[variables('tags')]",
      sku: { name: 'Standard' },
      properties: {
        publicIPAllocationMethod: 'Static',
        dnsSettings: { domainNameLabel: "[variables('dnsLabel')]" },
      },
    },
    {
      type: 'Microsoft.Network/loadBalancers',
      apiVersion: network,
      name: `[concat(${pool}, '-lb')]`,
      location: "[parameters('location')]",
      tags: "[variables('tags')]",
      sku: { name: 'Standard' },
      dependsOn: [ipId],
      properties: {
        frontendIPConfigurations: [
          { name: 'frontend', properties: { publicIPAddress: { id: ipId } } },
        ],
        backendAddressPools: [{ name: 'backend' }],
        probes: [
          {
            name: 'jupyterhub',
            properties: { protocol: 'Tcp', port: 8000, intervalInSeconds: 5, numberOfProbes: 2 },
          },
        ],
        loadBalancingRules: [
          {
            name: 'jupyterhub',
            properties: {
              frontendIPConfiguration: { id: lbPart('frontendIPConfigurations', 'frontend') },
              backendAddressPool: { id: lbPart('backendAddressPools', 'backend') },
              probe: { id: lbPart('probes', 'jupyterhub') },
              protocol: 'Tcp',
              frontendPort: 8000,
              backendPort: 8000,
            },
          },
        ],
        inboundNatPools: [
          {
            name: 'ssh',
            properties: {
              frontendIPConfiguration: { id: lbPart('frontendIPConfigurations', 'frontend') },
              protocol: 'Tcp',
              frontendPortRangeStart: 50000,
              frontendPortRangeEnd: 50119,
              backendPort: 22,
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: storage,
      name: "[parameters('storageAccountName')]",
      location: "[parameters('location')]",
      tags: "[variables('tags')]",
      sku: { name: 'Standard_LRS' },
      kind: 'StorageV2',
      properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false },
    },
    {
      type: 'Microsoft.Storage/storageAccounts/fileServices/shares',
      apiVersion: storage,
      name: "[concat(parameters('storageAccountName'), '/default/', parameters('shareName'))]",
      dependsOn: [accountId],
      properties: { shareQuota: 100 },
    },
    {
      type: 'Microsoft.Compute/virtualMachineScaleSets',
      apiVersion: compute,
      name: `[${pool}]`,
      location: "[parameters('location')]",
      tags: "[variables('tags')]",
      sku: {
        name: "[parameters('vmSku')]",
        tier: 'Standard',
        capacity: "[parameters('instanceCount')]",
      },
      plan: "[if(empty(parameters('plan')), null(), parameters('plan'))]",
      dependsOn: [
        `[concat(${pool}, '-vnet')]`,
        `[concat(${pool}, '-nsg')]`,
        lbId,
        "[resourceId('Microsoft.Storage/storageAccounts/fileServices/shares', parameters('storageAccountName'), 'default', parameters('shareName'))]",
      ],
      properties: {
        overprovision: false,
        upgradePolicy: { mode: 'Manual' },
        virtualMachineProfile: {
          storageProfile: {
            imageReference: {
              publisher: 'microsoft-dsvm',
              offer: 'ubuntu-2204',
              sku: '2204-gen2',
              version: 'latest',
            },
            osDisk: {
              createOption: 'FromImage',
              caching: 'ReadWrite',
              managedDisk: { storageAccountType: 'Premium_LRS' },
            },
          },
          osProfile: {
            computerNamePrefix: `[${pool}]`,
            adminUsername: "[parameters('adminUsername')]",
            linuxConfiguration: {
              disablePasswordAuthentication: true,
              ssh: {
                publicKeys: [
                  {
                    path: "[concat('/home/', parameters('adminUsername'), '/.ssh/authorized_keys')]",
                    keyData: "[parameters('sshPublicKey')]",
                  },
                ],
              },
            },
          },
          networkProfile: {
            networkInterfaceConfigurations: [
              {
                name: 'nic',
                properties: {
                  primary: true,
                  networkSecurityGroup: {
                    id: id('Microsoft.Network/networkSecurityGroups', `concat(${pool}, '-nsg')`),
                  },
                  ipConfigurations: [
                    {
                      name: 'ipconfig',
                      properties: {
                        subnet: { id: "[variables('subnetId')]" },
                        loadBalancerBackendAddressPools: [
                          { id: lbPart('backendAddressPools', 'backend') },
                        ],
                        loadBalancerInboundNatPools: [{ id: lbPart('inboundNatPools', 'ssh') }],
                      },
                    },
                  ],
                },
              },
            ],
          },
          extensionProfile: {
            extensions: [
              {
                name: 'mount-share',
                properties: {
                  publisher: 'Microsoft.Azure.Extensions',
                  type: 'CustomScript',
                  typeHandlerVersion: '2.1',
                  settings: { fileUris: [] },
                  protectedSettings: {
                    storageAccountName: "[parameters('storageAccountName')]",
                    storageAccountKey: `[listKeys(${accountId.slice(1, -1)}, '${storage}').keys[0].value]`,
                  },
                },
              },
            ],
          },
        },
      },
    },
    {
      type: 'Microsoft.Insights/autoscalesettings',
      apiVersion: '2022-10-01',
      name: `[concat(${pool}, '-autoscale')]`,
      location: "[parameters('location')]",
      tags: "[variables('tags')]",
      dependsOn: [`[${pool}]`],
      properties: {
        enabled: true,
        targetResourceUri: id('Microsoft.Compute/virtualMachineScaleSets', pool),
        profiles: [
          {
            name: 'Always',
            capacity: {
              minimum: '0',
              maximum: '4',
              default: "[string(parameters('instanceCount'))]",
            },
            rules: [],
          },
        ],
      },
    },
  ],
  outputs: {
    fqdn: { type: 'string', value: `[reference(${ipId.slice(1, -1)}).dnsSettings.fqdn]` },
    jupyterHubUrl: {
      type: 'string',
      value: `[concat('https://', reference(${ipId.slice(1, -1)}).dnsSettings.fqdn, ':8000')]`,
    },
    sshPorts: { type: 'string', value: '50000-50119' },
    shareUrl: {
      type: 'string',
      value:
        "[concat('https://', parameters('storageAccountName'), '.file.core.windows.net/', parameters('shareName'))]",
    },
  },
}
