import type { SandboxModule } from '../../core/module'
import { ok, type Route } from '../../core/http'
import { roleOf, type Role } from '../../seed/directory'
import { addResourceRoleAssignmentRoutes } from './resource-role-assignments'

/**
 * Microsoft.Authorization/permissions: the actions the caller may perform at a scope, from
 * the built-in role definitions of Owner, Contributor and Reader (as Azure lists them).
 */
const permissionsOf: Record<Role, { actions: string[]; notActions: string[] }> = {
  Owner: { actions: ['*'], notActions: [] },
  Contributor: {
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
  },
  Reader: { actions: ['*/read'], notActions: [] },
}

const route = (pattern: string): Route => ({
  service: 'arm',
  method: 'GET',
  pattern,
  handler: (req) => {
    const role = roleOf(req.principal!.oid, req.params.subscriptionId!)
    const permissions = role ? permissionsOf[role] : undefined
    return ok({
      value: permissions ? [{ ...permissions, dataActions: [], notDataActions: [] }] : [],
    })
  },
})

export const authorizationModule: SandboxModule = {
  name: 'authorization',
  install(_ctx, router) {
    router.add(
      route('/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/permissions'),
      route(
        '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.Authorization/permissions',
      ),
    )
    addResourceRoleAssignmentRoutes(router)
  },
}
