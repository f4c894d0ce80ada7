import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, type Route, type SandboxReply, type SandboxRequest } from '../../core/http'
import type { Router } from '../../core/router'
import { view, type ArmResource } from '../../core/resources'
import {
  apiVersionOf,
  checkPreconditions,
  notFoundIn,
  nothingToDelete,
  param,
  requireLocation,
  requireResourceGroup,
} from '../compute/request-helpers'

/**
 * The life cycle every Microsoft.Network resource shares: PUT (201 new / 200 update, with
 * provisioningState Updating and an Azure-AsyncOperation header until the operation ends),
 * GET, list by group and subscription, DELETE (202, gone when the operation ends; 204 when
 * there is nothing to delete). Each resource type supplies how its body becomes the stored
 * resource and how it is shown.
 */

type Json = Record<string, unknown>

export interface NetworkResourceType {
  /** e.g. Microsoft.Network/publicIPAddresses */
  type: string
  /** The collection segment of the URL, e.g. publicIPAddresses. */
  collection: string
  /** Sandbox ms until a PUT's operation succeeds. */
  provisionMs: number
  /** Builds the stored resource from the request body (validates; throws ArmError). */
  build(
    ctx: SandboxContext,
    input: { id: string; name: string; body: Json; etag: string; existing?: ArmResource },
  ): ArmResource
  /** The ARM view; defaults to the stored resource without bookkeeping. */
  present?(ctx: SandboxContext, resource: ArmResource): Json
  /** Throws when the resource is still in use and cannot be deleted. */
  beforeDelete?(ctx: SandboxContext, resource: ArmResource): void
  /** Runs when the resource is first created (e.g. opens a usage meter). */
  created?(ctx: SandboxContext, resource: ArmResource): void
}

const provisionedHandler = 'network.provisioned'
const deletedHandler = 'network.deleted'

export function newNetworkEtag(ctx: SandboxContext): string {
  return `W/"${ctx.newId()}"`
}

export function installNetworkOperations(ctx: SandboxContext): void {
  ctx.lro.register(provisionedHandler, (args: { id: string; etag: string }) => {
    const resource = ctx.resources.get(args.id)
    if (resource?.properties && resource.etag === args.etag) {
      resource.properties.provisioningState = 'Succeeded'
      ctx.resources.touch()
    }
  })
  ctx.lro.register(deletedHandler, (args: { id: string }) => {
    ctx.resources.delete(args.id)
  })
}

export function addNetworkResourceRoutes(router: Router, kind: NetworkResourceType): void {
  const group = `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/${kind.collection}`
  const one = `${group}/{name}`
  const routes: Route[] = [
    { service: 'arm', method: 'PUT', pattern: one, handler: (req, ctx) => put(kind, req, ctx) },
    { service: 'arm', method: 'GET', pattern: one, handler: (req, ctx) => get(kind, req, ctx) },
    {
      service: 'arm',
      method: 'DELETE',
      pattern: one,
      handler: (req, ctx) => remove(kind, req, ctx),
    },
    {
      service: 'arm',
      method: 'PATCH',
      pattern: one,
      handler: (req, ctx) => patchTags(kind, req, ctx),
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: group,
      handler: (req, ctx) =>
        list(kind, ctx, req.params.subscriptionId!, req.params.resourceGroupName!),
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `/subscriptions/{subscriptionId}/providers/Microsoft.Network/${kind.collection}`,
      handler: (req, ctx) => list(kind, ctx, req.params.subscriptionId!),
    },
  ]
  router.add(...routes)
}

export function resourceIdOf(kind: NetworkResourceType, req: SandboxRequest): string {
  const { subscriptionId, resourceGroupName, name } = req.params
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/${kind.type}/${name}`
}

export function findOrThrow(
  kind: NetworkResourceType,
  ctx: SandboxContext,
  req: SandboxRequest,
): ArmResource {
  const resource = ctx.resources.get(resourceIdOf(kind, req))
  if (!resource || resource.type.toLowerCase() !== kind.type.toLowerCase()) {
    throw notFoundIn(
      ctx,
      param(req, 'subscriptionId'),
      param(req, 'resourceGroupName'),
      new ArmError(
        404,
        'ResourceNotFound',
        `The Resource '${kind.type}/${req.params.name}' under resource group '${req.params.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      ),
    )
  }
  return resource
}

export function present(
  kind: NetworkResourceType,
  ctx: SandboxContext,
  resource: ArmResource,
): Json {
  return kind.present ? kind.present(ctx, resource) : (view(resource) as Json)
}

function put(kind: NetworkResourceType, req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const subscriptionId = param(req, 'subscriptionId')
  const resourceGroupName = param(req, 'resourceGroupName')
  const name = param(req, 'name')
  requireResourceGroup(ctx, subscriptionId, resourceGroupName)
  const body = bodyObject(req)
  const location = requireLocation(body)
  const id = resourceIdOf(kind, req)
  const existing = ctx.resources.get(id)
  checkPreconditions(req, existing?.etag)
  if (
    existing?.location &&
    existing.location.replace(/\s/g, '').toLowerCase() !== location.replace(/\s/g, '').toLowerCase()
  ) {
    throw new ArmError(
      400,
      'InvalidResourceLocation',
      `The resource '${name}' already exists in location '${existing.location}' in resource group '${resourceGroupName}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    )
  }
  const etag = newNetworkEtag(ctx)
  const resource = kind.build(ctx, { id, name, body, etag, ...(existing ? { existing } : {}) })
  resource.etag = etag
  resource.properties = { ...(resource.properties ?? {}), provisioningState: 'Updating' }
  ctx.resources.put(resource)
  if (!existing) kind.created?.(ctx, resource)
  const { headers } = ctx.lro.start({
    subscriptionId,
    namespace: 'Microsoft.Network',
    location,
    durationMs: kind.provisionMs,
    handler: provisionedHandler,
    args: { id, etag: resource.etag },
    apiVersion: apiVersionOf(req),
  })
  return {
    status: existing ? 200 : 201,
    headers: { 'Azure-AsyncOperation': headers['Azure-AsyncOperation']!, 'Retry-After': 1 },
    body: present(kind, ctx, resource),
  }
}

function get(kind: NetworkResourceType, req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  return { status: 200, body: present(kind, ctx, findOrThrow(kind, ctx, req)) }
}

/** PATCH on network resources updates tags only (UpdateTags), synchronously. */
function patchTags(
  kind: NetworkResourceType,
  req: SandboxRequest,
  ctx: SandboxContext,
): SandboxReply {
  const resource = findOrThrow(kind, ctx, req)
  const body = bodyObject(req)
  if (body.tags !== undefined) resource.tags = (body.tags ?? {}) as Record<string, string>
  resource.etag = newNetworkEtag(ctx)
  ctx.resources.touch()
  return { status: 200, body: present(kind, ctx, resource) }
}

function remove(kind: NetworkResourceType, req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const resource = ctx.resources.get(resourceIdOf(kind, req))
  if (!resource)
    return nothingToDelete(ctx, param(req, 'subscriptionId'), param(req, 'resourceGroupName'))
  checkPreconditions(req, resource.etag)
  kind.beforeDelete?.(ctx, resource)
  resource.properties = { ...(resource.properties ?? {}), provisioningState: 'Deleting' }
  ctx.resources.touch()
  const { headers } = ctx.lro.start({
    subscriptionId: req.params.subscriptionId!,
    namespace: 'Microsoft.Network',
    location: resource.location ?? 'eastus',
    durationMs: 5_000,
    handler: deletedHandler,
    args: { id: resource.id },
    apiVersion: apiVersionOf(req),
  })
  return { status: 202, headers: { ...headers, 'Retry-After': 1 } }
}

function list(
  kind: NetworkResourceType,
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup?: string,
): SandboxReply {
  if (resourceGroup) requireResourceGroup(ctx, subscriptionId, resourceGroup)
  const items = ctx.resources.list({
    subscriptionId,
    type: kind.type,
    ...(resourceGroup ? { resourceGroup } : {}),
  })
  return { status: 200, body: { value: items.map((r) => present(kind, ctx, r)) } }
}

/** Gives a child resource (subnet, rule, pool ...) its id, etag and provisioning state. */
export function child(
  parentId: string,
  collection: string,
  item: Json,
  etag: string | undefined,
  type?: string,
): Json {
  const name = String(item.name ?? '')
  if (!name)
    throw new ArmError(400, 'InvalidRequestFormat', `Every item of '${collection}' needs a name.`)
  const properties = {
    ...((item.properties as Json | undefined) ?? {}),
    provisioningState: 'Succeeded',
  }
  return {
    name,
    id: `${parentId}/${collection}/${name}`,
    ...(etag ? { etag } : {}),
    ...(type ? { type } : {}),
    properties,
  }
}
