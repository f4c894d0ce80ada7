import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, ok, type Route, type SandboxRequest } from '../../core/http'
import type { Router } from '../../core/router'
import { roleOf, subscriptions, userByOid } from '../../seed/directory'
import { identityType } from '../managed-identity'

/**
 * Microsoft.Authorization/roleAssignments at the scope of one resource (for example one
 * storage account): PUT, GET, DELETE and list, with the checks Azure makes. Only an Owner
 * may write them (Contributor's notActions exclude Microsoft.Authorization/*\/Write), the
 * name is a GUID, the role definition must exist, the principal must be a user of the
 * directory or a managed identity, and the same principal, role and scope cannot be
 * assigned twice.
 */

export interface RoleAssignment {
  id: string
  name: string
  scope: string
  roleDefinitionId: string
  principalId: string
  principalType: string
  createdOn: string
  updatedOn: string
  createdBy: string
  updatedBy: string
  description: string | null
}

/** Built-in roles a pool's resources are given, with the actions they allow. */
export const builtInRoles: Record<string, { roleName: string; actions: string[] }> = {
  'c12c1c16-33a1-487b-954d-41c89c60f349': {
    roleName: 'Reader and Data Access',
    actions: [
      'Microsoft.Storage/storageAccounts/listKeys/action',
      'Microsoft.Storage/storageAccounts/read',
    ],
  },
  '81a9662b-bebf-436f-a333-f67b29880f12': {
    roleName: 'Storage Account Key Operator Service Role',
    actions: [
      'Microsoft.Storage/storageAccounts/listkeys/action',
      'Microsoft.Storage/storageAccounts/regeneratekey/action',
    ],
  },
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { roleName: 'Reader', actions: ['*/read'] },
}

const apiVersions = [
  '2015-07-01',
  '2017-10-01-preview',
  '2018-01-01-preview',
  '2018-09-01-preview',
  '2020-04-01-preview',
  '2020-08-01-preview',
  '2020-10-01-preview',
  '2022-01-01-preview',
  '2022-04-01',
]

function checkApiVersion(req: SandboxRequest): void {
  const version = req.query('api-version')!
  if (!apiVersions.includes(version)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${apiVersions.join(',')}'. Please see https://aka.ms/api-version for more details.`,
    )
  }
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const table = (ctx: SandboxContext) => ctx.state.table<RoleAssignment>('resourceRoleAssignments')

function scopeOf(req: SandboxRequest): string {
  const p = req.params
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/${p.namespace}/${p.resourceType}/${p.resourceName}`
}

function requireScope(ctx: SandboxContext, scope: string): void {
  const found =
    ctx.resources.get(scope) ??
    ctx.resources
      .list({ subscriptionId: scope.split('/')[2]! })
      .find((r) => r.id.toLowerCase() === scope.toLowerCase())
  if (!found) {
    const [, , , , , , namespace, type, name] = scope.split('/')
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource '${namespace}/${type}/${name}' under resource group '${scope.split('/')[4]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    )
  }
}

/** A user of the directory, or the service principal of a managed identity in the sandbox. */
export function principalExists(ctx: SandboxContext, principalId: string): boolean {
  if (userByOid(principalId)) return true
  return subscriptions.some((s) =>
    ctx.resources
      .list({ subscriptionId: s.id, type: identityType })
      .some(
        (identity) =>
          String((identity.properties as Record<string, unknown>).principalId) === principalId,
      ),
  )
}

const present = (a: RoleAssignment) => ({
  properties: {
    roleDefinitionId: a.roleDefinitionId,
    principalId: a.principalId,
    principalType: a.principalType,
    scope: a.scope,
    condition: null,
    conditionVersion: null,
    createdOn: a.createdOn,
    updatedOn: a.updatedOn,
    createdBy: a.createdBy,
    updatedBy: a.updatedBy,
    delegatedManagedIdentityResourceId: null,
    description: a.description,
  },
  id: a.id,
  type: 'Microsoft.Authorization/roleAssignments',
  name: a.name,
})

function put(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const scope = scopeOf(req)
  const name = req.params.name!
  const principal = req.principal!
  const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`
  if (roleOf(principal.oid, req.params.subscriptionId!) !== 'Owner') {
    throw new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${principal.username}' with object id '${principal.oid}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    )
  }
  if (!guid.test(name)) {
    throw new ArmError(
      400,
      'InvalidRoleAssignmentId',
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    )
  }
  requireScope(ctx, scope)
  const properties = (bodyObject(req).properties ?? {}) as Record<string, unknown>
  const roleDefinitionId = String(properties.roleDefinitionId ?? '')
  const roleGuid = roleDefinitionId.split('/').pop() ?? ''
  if (!builtInRoles[roleGuid.toLowerCase()]) {
    throw new ArmError(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${roleGuid}' does not exist.`,
    )
  }
  const principalId = String(properties.principalId ?? '')
  if (!principalExists(ctx, principalId)) {
    const tenant = subscriptions.find(
      (s) => s.id.toLowerCase() === req.params.subscriptionId!.toLowerCase(),
    )?.tenantId
    throw new ArmError(
      400,
      'PrincipalNotFound',
      `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${tenant}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    )
  }
  const rows = table(ctx)
  const existing = rows.get(id)
  const duplicate = rows
    .values()
    .find(
      (a) =>
        a.id.toLowerCase() !== id.toLowerCase() &&
        a.scope.toLowerCase() === scope.toLowerCase() &&
        a.principalId === principalId &&
        a.roleDefinitionId.split('/').pop()!.toLowerCase() === roleGuid.toLowerCase(),
    )
  if (duplicate) {
    throw new ArmError(409, 'RoleAssignmentExists', 'The role assignment already exists.')
  }
  if (existing && existing.principalId !== principalId) {
    throw new ArmError(
      400,
      'RoleAssignmentUpdateNotPermitted',
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    )
  }
  const now = ctx.clock.nowIso()
  const assignment: RoleAssignment = {
    id,
    name,
    scope,
    roleDefinitionId: `/subscriptions/${req.params.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    principalId,
    principalType: String(properties.principalType ?? 'User'),
    createdOn: existing?.createdOn ?? now,
    updatedOn: now,
    createdBy: existing?.createdBy ?? principal.oid,
    updatedBy: principal.oid,
    description: typeof properties.description === 'string' ? properties.description : null,
  }
  rows.set(id, assignment)
  return { status: existing ? 200 : 201, body: present(assignment) }
}

function get(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const id = `${scopeOf(req)}/providers/Microsoft.Authorization/roleAssignments/${req.params.name}`
  const assignment = table(ctx).get(id)
  if (!assignment) {
    throw new ArmError(
      404,
      'RoleAssignmentNotFound',
      `The role assignment '${req.params.name}' is not found.`,
    )
  }
  return ok(present(assignment))
}

function remove(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const id = `${scopeOf(req)}/providers/Microsoft.Authorization/roleAssignments/${req.params.name}`
  const rows = table(ctx)
  const assignment = rows.get(id)
  if (!assignment) return { status: 204 }
  if (roleOf(req.principal!.oid, req.params.subscriptionId!) !== 'Owner') {
    throw new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${req.principal!.username}' with object id '${req.principal!.oid}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/delete' over scope '${id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    )
  }
  rows.delete(id)
  return ok(present(assignment))
}

function list(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const scope = scopeOf(req).toLowerCase()
  return ok({
    value: table(ctx)
      .values()
      .filter((a) => a.scope.toLowerCase() === scope)
      .map(present),
  })
}

// access.ts reads this table too: these assignments count when ARM authorizes a request.
export function addResourceRoleAssignmentRoutes(router: Router): void {
  const scope =
    '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{namespace}/{resourceType}/{resourceName}/providers/Microsoft.Authorization/roleAssignments'
  const routes: Route[] = [
    { service: 'arm', method: 'PUT', pattern: `${scope}/{name}`, handler: put },
    { service: 'arm', method: 'GET', pattern: `${scope}/{name}`, handler: get },
    { service: 'arm', method: 'DELETE', pattern: `${scope}/{name}`, handler: remove },
    { service: 'arm', method: 'GET', pattern: scope, handler: list },
  ]
  router.add(...routes)
}
