/**
 * The built-in Azure roles the sandbox knows, with the ids and permissions Azure publishes
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles). Ids are the same in
 * every tenant; a definition's resource id is `{scope}/providers/Microsoft.Authorization/roleDefinitions/{id}`.
 */
export interface RolePermission {
  actions: string[]
  notActions: string[]
  dataActions: string[]
  notDataActions: string[]
}

export interface BuiltInRole {
  id: string
  roleName: string
  description: string
  permissions: RolePermission[]
}

const permission = (p: Partial<RolePermission>): RolePermission => ({
  actions: p.actions ?? [],
  notActions: p.notActions ?? [],
  dataActions: p.dataActions ?? [],
  notDataActions: p.notDataActions ?? [],
})

const vmLoginReads = [
  'Microsoft.Network/publicIPAddresses/read',
  'Microsoft.Network/virtualNetworks/read',
  'Microsoft.Network/loadBalancers/read',
  'Microsoft.Network/networkInterfaces/read',
  'Microsoft.Compute/virtualMachines/*/read',
  'Microsoft.HybridCompute/machines/*/read',
  'Microsoft.HybridConnectivity/endpoints/listCredentials/action',
]

export const builtInRoles: BuiltInRole[] = [
  {
    id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    roleName: 'Owner',
    description:
      'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: [permission({ actions: ['*'] })],
  },
  {
    id: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    description:
      'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: [
      permission({
        actions: ['*'],
        notActions: [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
          'Microsoft.Blueprint/blueprintAssignments/write',
          'Microsoft.Blueprint/blueprintAssignments/delete',
          'Microsoft.Compute/galleries/share/action',
          'Microsoft.Purview/consents/write',
          'Microsoft.Purview/consents/delete',
          'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
          'Microsoft.Subscription/cancel/action',
          'Microsoft.Subscription/enable/action',
        ],
      }),
    ],
  },
  {
    id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: [permission({ actions: ['*/read'] })],
  },
  {
    id: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    permissions: [
      permission({ actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'] }),
    ],
  },
  {
    id: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
    roleName: 'Role Based Access Control Administrator',
    description:
      'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    permissions: [
      permission({
        actions: [
          'Microsoft.Authorization/roleAssignments/write',
          'Microsoft.Authorization/roleAssignments/delete',
          '*/read',
          'Microsoft.Support/*',
        ],
      }),
    ],
  },
  {
    id: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
    roleName: 'Virtual Machine Contributor',
    description:
      'Create and manage virtual machines, manage disks, install and run software, reset password of the root user of the virtual machine using VM extensions, and manage local user accounts using VM extensions. This role does not grant you management access to the virtual network or storage account the virtual machines are connected to. This role does not allow you to assign roles in Azure RBAC.',
    permissions: [
      permission({
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Compute/availabilitySets/*',
          'Microsoft.Compute/locations/*',
          'Microsoft.Compute/virtualMachines/*',
          'Microsoft.Compute/virtualMachineScaleSets/*',
          'Microsoft.Compute/disks/write',
          'Microsoft.Compute/disks/read',
          'Microsoft.Compute/disks/delete',
          'Microsoft.Insights/alertRules/*',
          'Microsoft.Network/loadBalancers/backendAddressPools/join/action',
          'Microsoft.Network/loadBalancers/inboundNatPools/join/action',
          'Microsoft.Network/loadBalancers/inboundNatRules/join/action',
          'Microsoft.Network/loadBalancers/probes/join/action',
          'Microsoft.Network/loadBalancers/read',
          'Microsoft.Network/locations/*',
          'Microsoft.Network/networkInterfaces/*',
          'Microsoft.Network/networkSecurityGroups/join/action',
          'Microsoft.Network/networkSecurityGroups/read',
          'Microsoft.Network/publicIPAddresses/join/action',
          'Microsoft.Network/publicIPAddresses/read',
          'Microsoft.Network/virtualNetworks/read',
          'Microsoft.Network/virtualNetworks/subnets/join/action',
          'Microsoft.ResourceHealth/availabilityStatuses/read',
          'Microsoft.Resources/deployments/*',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
          'Microsoft.Storage/storageAccounts/listKeys/action',
          'Microsoft.Storage/storageAccounts/read',
          'Microsoft.Support/*',
        ],
      }),
    ],
  },
  {
    id: 'fb879df8-f326-4884-b1cf-06f3ad86be52',
    roleName: 'Virtual Machine User Login',
    description: 'View Virtual Machines in the portal and login as a regular user.',
    permissions: [
      permission({
        actions: vmLoginReads,
        dataActions: [
          'Microsoft.Compute/virtualMachines/login/action',
          'Microsoft.HybridCompute/machines/login/action',
        ],
      }),
    ],
  },
  {
    id: '1c0163c0-47e6-4577-8991-ea5c82e286e4',
    roleName: 'Virtual Machine Administrator Login',
    description: 'View Virtual Machines in the portal and login as administrator',
    permissions: [
      permission({
        actions: vmLoginReads,
        dataActions: [
          'Microsoft.Compute/virtualMachines/login/action',
          'Microsoft.Compute/virtualMachines/loginAsAdmin/action',
          'Microsoft.HybridCompute/machines/login/action',
          'Microsoft.HybridCompute/machines/loginAsAdmin/action',
        ],
      }),
    ],
  },
  {
    id: 'c12c1c16-33a1-487b-954d-41c89c60f349',
    roleName: 'Reader and Data Access',
    description:
      'Lets you view everything but will not let you delete or create a storage account or contained resource. It will also allow read/write access to all data contained in a storage account via access to storage account keys.',
    permissions: [
      permission({
        actions: [
          'Microsoft.Storage/storageAccounts/listKeys/action',
          'Microsoft.Storage/storageAccounts/ListAccountSas/action',
          'Microsoft.Storage/storageAccounts/read',
        ],
      }),
    ],
  },
  {
    id: '81a9662b-bebf-436f-a333-f67b29880f12',
    roleName: 'Storage Account Key Operator Service Role',
    description: 'Allows for listing and regenerating storage account access keys.',
    permissions: [
      permission({
        actions: [
          'Microsoft.Storage/storageAccounts/listkeys/action',
          'Microsoft.Storage/storageAccounts/regeneratekey/action',
        ],
      }),
    ],
  },
]

export const roleByName = (name: string) =>
  builtInRoles.find((r) => r.roleName.toLowerCase() === name.toLowerCase())

export const roleById = (id: string) => {
  const guid = id.split('/').pop()!.toLowerCase()
  return builtInRoles.find((r) => r.id === guid)
}

/** Does an action pattern with `*` wildcards (case-insensitive) cover `action`? */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  )
  return regex.test(action)
}

/** Azure's rule: an action is allowed when one role's actions cover it and that role's notActions do not. */
export function rolesAllow(roles: BuiltInRole[], action: string): boolean {
  return roles.some((role) =>
    role.permissions.some(
      (p) =>
        p.actions.some((a) => actionMatches(a, action)) &&
        !p.notActions.some((a) => actionMatches(a, action)),
    ),
  )
}
