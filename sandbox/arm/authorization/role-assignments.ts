import { ArmError, resourceGroupNotFound } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, ok, type SandboxRequest, type SandboxReply } from '../../core/http'
import { findResourceGroup } from '../resources/groups'
import { subscriptions } from '../../seed/directory'
import { directoryObject } from '../../graph/directory'
import {
  allAssignments,
  assignmentTable,
  deleteAssignment,
  scopeCovers,
  type RoleAssignmentRecord,
} from './access'
import { roleById } from './role-definitions'
import { principalExists } from './resource-role-assignments'

/**
 * Microsoft.Authorization/roleAssignments (api-version 2022-04-01) at subscription and
 * resource-group scope: create by name, get, delete, and list with Azure's filters
 * (`atScope()`, `principalId eq '…'`, `assignedTo('…')`).
 */
export function scopeOf(req: SandboxRequest): string {
  const { subscriptionId, resourceGroupName } = req.params
  return resourceGroupName
    ? `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`
    : `/subscriptions/${subscriptionId}`
}

export function assignmentView(a: RoleAssignmentRecord) {
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(a.scope)?.[1] ?? ''
  return {
    properties: {
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${a.roleId}`,
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
    id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name: a.name,
  }
}

function checkScopeExists(ctx: SandboxContext, req: SandboxRequest): void {
  const { subscriptionId, resourceGroupName } = req.params
  if (resourceGroupName && !findResourceGroup(ctx, subscriptionId!, resourceGroupName))
    throw resourceGroupNotFound(resourceGroupName)
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function createAssignment(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  checkScopeExists(ctx, req)
  const scope = scopeOf(req)
  const name = req.params.roleAssignmentName!
  if (!guidPattern.test(name)) {
    throw new ArmError(
      400,
      'InvalidRoleAssignmentId',
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    )
  }
  const properties = bodyObject(req).properties as Record<string, unknown> | undefined
  const roleDefinitionId = properties?.roleDefinitionId
  const principalId = properties?.principalId
  if (typeof roleDefinitionId !== 'string' || typeof principalId !== 'string') {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid: properties.roleDefinitionId and properties.principalId are required.',
    )
  }
  const role = roleById(roleDefinitionId)
  if (!role) {
    throw new ArmError(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${roleDefinitionId.split('/').pop()}' does not exist.`,
    )
  }
  const subscription = subscriptions.find(
    (s) => s.id.toLowerCase() === req.params.subscriptionId!.toLowerCase(),
  )!
  // People of the directory, and the service principals of managed identities (a pool's
  // identity may read its group's role assignments).
  const person = directoryObject(subscription.tenantId, principalId)
  if (!person && !principalExists(ctx, principalId)) {
    throw new ArmError(
      400,
      'PrincipalNotFound',
      `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${subscription.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    )
  }
  const existing = allAssignments(ctx.state).find(
    (a) => a.name.toLowerCase() === name.toLowerCase(),
  )
  const samePrincipalRoleScope = (a: RoleAssignmentRecord) =>
    a.principalId.toLowerCase() === principalId.toLowerCase() &&
    a.roleId === role.id &&
    a.scope.toLowerCase() === scope.toLowerCase()
  if (existing) {
    if (samePrincipalRoleScope(existing)) return { status: 201, body: assignmentView(existing) }
    throw new ArmError(
      400,
      'RoleAssignmentUpdateNotPermitted',
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    )
  }
  if (allAssignments(ctx.state).some(samePrincipalRoleScope)) {
    throw new ArmError(409, 'RoleAssignmentExists', 'The role assignment already exists.')
  }
  const now = ctx.clock.nowIso()
  const record: RoleAssignmentRecord = {
    name: name.toLowerCase(),
    scope,
    roleId: role.id,
    principalId: person?.id ?? principalId.toLowerCase(),
    principalType: person ? 'User' : 'ServicePrincipal',
    createdOn: now,
    updatedOn: now,
    createdBy: req.principal!.oid,
    updatedBy: req.principal!.oid,
    description: typeof properties?.description === 'string' ? properties.description : null,
  }
  assignmentTable(ctx.state).set(record.name, record)
  return { status: 201, body: assignmentView(record) }
}

function findAssignment(ctx: SandboxContext, req: SandboxRequest) {
  const scope = scopeOf(req)
  const name = req.params.roleAssignmentName!.toLowerCase()
  return allAssignments(ctx.state).find(
    (a) => a.name === name && a.scope.toLowerCase() === scope.toLowerCase(),
  )
}

export function getAssignment(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const found = findAssignment(ctx, req)
  if (!found) {
    throw new ArmError(404, 'RoleAssignmentNotFound', 'The role assignment does not exist.')
  }
  return ok(assignmentView(found))
}

export function removeAssignment(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const found = findAssignment(ctx, req)
  if (!found) return { status: 204 }
  deleteAssignment(ctx.state, found.name)
  return ok(assignmentView(found))
}

/** The `$filter` forms Azure accepts on role assignment lists. */
function parseFilter(filter: string | undefined): {
  atScope: boolean
  principalId?: string
  assignedTo?: string
} {
  const result: { atScope: boolean; principalId?: string; assignedTo?: string } = {
    atScope: false,
  }
  if (!filter?.trim()) return result
  for (const clause of filter.split(/\s+and\s+/i)) {
    const c = clause.trim()
    let m: RegExpExecArray | null
    if (/^atScope\(\)$/i.test(c)) result.atScope = true
    else if ((m = /^principalId\s+eq\s+'([^']+)'$/i.exec(c))) result.principalId = m[1]!
    else if ((m = /^assignedTo\('([^']+)'\)$/i.exec(c))) result.assignedTo = m[1]!
    else {
      throw new ArmError(
        400,
        'UnsupportedQuery',
        `The filter '${filter}' is not supported. Supported filters are atScope(), principalId eq '{id}' and assignedTo('{id}').`,
      )
    }
  }
  return result
}

export function listAssignments(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  checkScopeExists(ctx, req)
  const scope = scopeOf(req)
  const filter = parseFilter(req.query('$filter'))
  const who = (filter.principalId ?? filter.assignedTo)?.toLowerCase()
  const value = allAssignments(ctx.state)
    .filter((a) =>
      filter.atScope
        ? scopeCovers(a.scope, scope)
        : scopeCovers(a.scope, scope) || scopeCovers(scope, a.scope),
    )
    .filter((a) => !who || a.principalId.toLowerCase() === who)
    .map(assignmentView)
  return ok({ value })
}
