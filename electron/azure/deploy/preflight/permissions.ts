import type { PoolSpec } from '../../../../shared/pool-spec'
import type { ArmClients } from '../clients'
import { check, missingRole, statusOf, type Check } from './check'

/*
 * Whether the account may create everything a pool consists of (Microsoft.Authorization/permissions).
 */

const permissionsApiVersion = '2022-04-01'

const neededActions = [
  'Microsoft.Resources/deployments/write',
  'Microsoft.Compute/virtualMachineScaleSets/write',
  'Microsoft.Network/virtualNetworks/write',
  'Microsoft.Network/networkSecurityGroups/write',
  'Microsoft.Network/loadBalancers/write',
  'Microsoft.Network/publicIPAddresses/write',
  'Microsoft.Storage/storageAccounts/write',
  'Microsoft.Storage/storageAccounts/listKeys/action',
  'Microsoft.Insights/autoscalesettings/write',
]

interface Permission {
  actions?: string[]
  notActions?: string[]
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

export function allowedBy(permissions: Permission[], action: string): boolean {
  return permissions.some(
    (p) =>
      (p.actions ?? []).some((a) => actionMatches(a, action)) &&
      !(p.notActions ?? []).some((a) => actionMatches(a, action)),
  )
}

export async function checkPermissions(
  spec: PoolSpec,
  clients: ArmClients,
  groupExists: boolean,
): Promise<Check> {
  const title = 'Permissions'
  const sub = clients.context.subscriptionId
  const scope = groupExists
    ? `/subscriptions/${sub}/resourcegroups/${encodeURIComponent(spec.resourceGroup.name)}`
    : `/subscriptions/${sub}`
  let permissions: Permission[]
  try {
    const answer = await clients.request<{ value?: Permission[] }>(
      'GET',
      `${scope}/providers/Microsoft.Authorization/permissions?api-version=${permissionsApiVersion}`,
    )
    permissions = answer?.value ?? []
  } catch (error) {
    if (statusOf(error) === 403) return missingRole('permissions', title, 'read your permissions')
    return check(
      'permissions',
      title,
      'skipped',
      'Your permissions could not be read; Azure checks them when you deploy.',
    )
  }
  const actions = groupExists
    ? neededActions
    : ['Microsoft.Resources/subscriptions/resourceGroups/write', ...neededActions]
  const missing = actions.filter((action) => !allowedBy(permissions, action))
  if (missing.length === 0)
    return check('permissions', title, 'ok', 'Your account may create everything the pool needs.')
  return missingRole('permissions', title, missing.slice(0, 3).join(', '))
}
