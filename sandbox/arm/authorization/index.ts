import type { SandboxModule } from '../../core/module'
import { ArmError } from '../../core/arm-error'
import { ok, type Route, type SandboxRequest } from '../../core/http'
import { rolesAt } from './access'
import {
  createAssignment,
  getAssignment,
  listAssignments,
  removeAssignment,
  scopeOf,
} from './role-assignments'
import { builtInRoles, type BuiltInRole } from './role-definitions'
import { addResourceRoleAssignmentRoutes } from './resource-role-assignments'

/**
 * Microsoft.Authorization: role definitions (the built-in roles), role assignments, and
 * permissions (what the caller may do at a scope, one entry per role it holds there).
 * The server checks every ARM request against the same assignments (see access.ts).
 */
const provider = '/providers/Microsoft.Authorization'
const subscriptionScope = '/subscriptions/{subscriptionId}'
const groupScope = '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}'

function definitionView(role: BuiltInRole, scope: string) {
  return {
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: role.permissions,
      createdOn: '2015-02-02T21:55:09.8806423Z',
      updatedOn: '2025-01-07T16:30:32.1346678Z',
      createdBy: null,
      updatedBy: null,
    },
    id: `${scope}${provider}/roleDefinitions/${role.id}`,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: role.id,
  }
}

/** `{scope}` of a roleDefinitions path: '' (tenant), a subscription or a group. */
const definitionScope = (req: SandboxRequest) =>
  req.params.subscriptionId ? `/subscriptions/${req.params.subscriptionId}` : ''

function listDefinitions(req: SandboxRequest) {
  const filter = req.query('$filter')?.trim()
  let roles = builtInRoles
  if (filter) {
    const m = /^roleName\s+eq\s+'([^']*)'$/i.exec(filter)
    const type = /^type\s+eq\s+'([^']*)'$/i.exec(filter)
    if (m) roles = roles.filter((r) => r.roleName.toLowerCase() === m[1]!.toLowerCase())
    else if (type) roles = type[1]!.toLowerCase() === 'builtinrole' ? roles : []
    else
      throw new ArmError(
        400,
        'UnsupportedQuery',
        `The filter '${filter}' is not supported. Supported filters are roleName eq '{name}' and type eq '{type}'.`,
      )
  }
  return ok({ value: roles.map((r) => definitionView(r, definitionScope(req))) })
}

function getDefinition(req: SandboxRequest) {
  const role = builtInRoles.find((r) => r.id === req.params.roleDefinitionId!.toLowerCase())
  if (!role) {
    throw new ArmError(
      404,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${req.params.roleDefinitionId}' does not exist.`,
    )
  }
  return ok(definitionView(role, definitionScope(req)))
}

const route = (
  method: string,
  pattern: string,
  handler: Route['handler'],
  access?: 'read',
): Route => ({ service: 'arm', method, pattern, handler, ...(access ? { access } : {}) })

export const authorizationModule: SandboxModule = {
  name: 'authorization',
  install(_ctx, router) {
    for (const scope of [subscriptionScope, groupScope]) {
      router.add(
        route('GET', `${scope}${provider}/permissions`, (req, ctx) =>
          ok({
            value: rolesAt(ctx.state, req.principal!.oid, scopeOf(req)).flatMap(
              (r) => r.permissions,
            ),
          }),
        ),
        route('GET', `${scope}${provider}/roleAssignments`, listAssignments),
        route('PUT', `${scope}${provider}/roleAssignments/{roleAssignmentName}`, createAssignment),
        route('GET', `${scope}${provider}/roleAssignments/{roleAssignmentName}`, getAssignment),
        route(
          'DELETE',
          `${scope}${provider}/roleAssignments/{roleAssignmentName}`,
          removeAssignment,
        ),
        route('GET', `${scope}${provider}/roleDefinitions`, listDefinitions),
        route('GET', `${scope}${provider}/roleDefinitions/{roleDefinitionId}`, getDefinition),
      )
    }
    router.add(
      route('GET', `${provider}/roleDefinitions`, listDefinitions),
      route('GET', `${provider}/roleDefinitions/{roleDefinitionId}`, getDefinition),
    )
    addResourceRoleAssignmentRoutes(router)
  },
}
