import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, ok, type Route, type SandboxRequest } from '../../core/http'
import type { SandboxModule } from '../../core/module'
import { resourceId, view, type ArmResource } from '../../core/resources'
import { subscriptions } from '../../seed/directory'
import {
  notFoundIn,
  nothingToDelete,
  requireLocation,
  requireResourceGroup,
} from '../compute/request-helpers'

/**
 * Microsoft.ManagedIdentity/userAssignedIdentities: PUT (synchronous, 201 new / 200 update),
 * GET, list by group, DELETE (200, or 204 when there is nothing to delete). Azure gives each
 * identity a service principal: `principalId` (its object id, what role assignments name)
 * and `clientId` (what a VM asks the metadata service for a token with).
 */

export const identityType = 'Microsoft.ManagedIdentity/userAssignedIdentities'
const apiVersions = [
  '2018-11-30',
  '2021-09-30-preview',
  '2023-01-31',
  '2023-07-31-preview',
  '2024-11-30',
  '2025-01-31-preview',
]

type Json = Record<string, unknown>

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

const notFound = (name: string) =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${identityType}/${name}' under resource group was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  )

const paramsOf = (req: SandboxRequest) => ({
  subscriptionId: req.params.subscriptionId!,
  resourceGroupName: req.params.resourceGroupName!,
  name: req.params.name ?? '',
})

function idOf(req: SandboxRequest): string {
  return resourceId(
    req.params.subscriptionId!,
    req.params.resourceGroupName!,
    identityType,
    req.params.name!,
  )
}

/** The stored identity for an id (any case), or undefined. */
export function findIdentity(ctx: SandboxContext, id: string): ArmResource | undefined {
  return (
    ctx.resources.get(id) ??
    ctx.resources
      .list({ subscriptionId: id.split('/')[2] ?? '', type: identityType })
      .find((r) => r.id.toLowerCase() === id.toLowerCase())
  )
}

function put(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const { subscriptionId, resourceGroupName, name } = paramsOf(req)
  requireResourceGroup(ctx, subscriptionId, resourceGroupName)
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/.test(name)) {
    throw new ArmError(
      400,
      'InvalidResourceName',
      `Resource name '${name}' is invalid. The name can contain only letters, numbers, hyphens and underscores, must start with a letter or number, and must be between 3 and 128 characters long.`,
    )
  }
  const body = bodyObject(req)
  const location = requireLocation(body)
  const id = idOf(req)
  const existing = findIdentity(ctx, id)
  const tenantId =
    subscriptions.find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase())?.tenantId ?? ''
  const identity: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type: identityType,
    location: existing?.location ?? location,
    tags: (body.tags as Record<string, string> | undefined) ?? {},
    properties: existing?.properties ?? {
      tenantId,
      principalId: ctx.newId(),
      clientId: ctx.newId(),
    },
  }
  ctx.resources.put(identity)
  return { status: existing ? 200 : 201, body: view(identity) }
}

function get(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const { subscriptionId, resourceGroupName, name } = paramsOf(req)
  const identity = findIdentity(ctx, idOf(req))
  if (!identity) throw notFoundIn(ctx, subscriptionId, resourceGroupName, notFound(name))
  return ok(view(identity))
}

function list(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const { subscriptionId, resourceGroupName } = paramsOf(req)
  requireResourceGroup(ctx, subscriptionId, resourceGroupName)
  return ok({
    value: ctx.resources
      .list({ subscriptionId, resourceGroup: resourceGroupName, type: identityType })
      .map(view),
  })
}

function remove(req: SandboxRequest, ctx: SandboxContext) {
  checkApiVersion(req)
  const { subscriptionId, resourceGroupName } = paramsOf(req)
  const identity = findIdentity(ctx, idOf(req))
  if (!identity) return nothingToDelete(ctx, subscriptionId, resourceGroupName)
  ctx.resources.delete(identity.id)
  return { status: 200 }
}

/**
 * A scale set's `identity` as Azure returns it: every user-assigned identity with its
 * principalId and clientId. Refuses identities that do not exist, as Azure does.
 */
export function scaleSetIdentity(ctx: SandboxContext, identity: unknown): Json | undefined {
  if (!identity || typeof identity !== 'object') return undefined
  const given = identity as Json
  const type = String(given.type ?? 'None')
  const assigned = (given.userAssignedIdentities ?? {}) as Record<string, unknown>
  if (!/UserAssigned/i.test(type)) {
    if (Object.keys(assigned).length > 0) {
      throw new ArmError(
        400,
        'InvalidIdentityValues',
        "Invalid value for the identities 'userAssignedIdentities'. The 'userAssignedIdentities' property can only be set when the identity type includes 'UserAssigned'.",
      )
    }
    return { ...given }
  }
  const resolved: Record<string, Json> = {}
  for (const id of Object.keys(assigned)) {
    const found = findIdentity(ctx, id)
    if (!found) {
      throw new ArmError(
        400,
        'FailedIdentityOperation',
        `Identity (${id}) is not found. Please check if the identity exists and is in the same tenant as the resource.`,
      )
    }
    const properties = found.properties as Json
    resolved[found.id] = { principalId: properties.principalId, clientId: properties.clientId }
  }
  return { ...given, userAssignedIdentities: resolved }
}

const group =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities'
const routes: Route[] = [
  { service: 'arm', method: 'PUT', pattern: `${group}/{name}`, handler: put },
  { service: 'arm', method: 'GET', pattern: `${group}/{name}`, handler: get },
  { service: 'arm', method: 'DELETE', pattern: `${group}/{name}`, handler: remove },
  { service: 'arm', method: 'GET', pattern: group, handler: list },
]

export const managedIdentityModule: SandboxModule = {
  name: 'managed-identity',
  install(_ctx, router) {
    router.add(...routes)
  },
}
