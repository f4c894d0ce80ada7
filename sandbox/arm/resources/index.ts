import { ArmError, resourceGroupNotFound } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { bodyObject, ok, type Route, type SandboxRequest } from '../../core/http'
import type { SandboxModule } from '../../core/module'
import { parseResourceId, view, type ArmResource } from '../../core/resources'
import { matchesFilter, parseFilter } from './filter'
import {
  checkResourceGroupName,
  checkTags,
  findResourceGroup,
  resourceGroupId,
  resourceGroupLocation,
  resourceGroupTable,
  type ResourceGroup,
} from './groups'
import { page } from './paging'

export {
  findResourceGroup,
  requireResourceGroup,
  resourceGroupId,
  type ResourceGroup,
} from './groups'

const groupPattern = '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}'
const deleteHandler = 'resources.deleteResourceGroup'

/** Sandbox milliseconds a group takes to delete: a little for the group, more per resource. */
const deleteDuration = (resourceCount: number) => 10_000 + 2_000 * resourceCount

/** Other tables that hold records scoped to a group and go with it (deployment history). */
const groupScopedTables = ['deployments']

/**
 * Resource groups (create, get, head, patch, list, delete as a long-running operation that
 * deletes everything in the group) and resource listings by group and by tag.
 */
export const resourcesModule: SandboxModule = {
  name: 'resources',
  install(ctx, router) {
    ctx.lro.register(deleteHandler, (args: { subscriptionId: string; name: string }) =>
      deleteGroupNow(ctx, args.subscriptionId, args.name),
    )
    const route = (method: string, pattern: string, handler: Route['handler']): Route => ({
      service: 'arm',
      method,
      pattern,
      handler,
    })
    router.add(
      route('PUT', groupPattern, putGroup),
      route('GET', groupPattern, (req, c) => ok(existingGroup(c, req))),
      route('HEAD', groupPattern, (req, c) => ({ status: findGroup(c, req) ? 204 : 404 })),
      route('PATCH', groupPattern, patchGroup),
      route('DELETE', groupPattern, deleteGroup),
      route('GET', '/subscriptions/{subscriptionId}/resourcegroups', listGroups),
      route('GET', '/subscriptions/{subscriptionId}/resources', (req, c) => listResources(c, req)),
      route('GET', `${groupPattern}/resources`, (req, c) => {
        existingGroup(c, req)
        return listResources(c, req, req.params.resourceGroupName!)
      }),
    )
  },
}

const findGroup = (ctx: SandboxContext, req: SandboxRequest) =>
  findResourceGroup(ctx, req.params.subscriptionId!, req.params.resourceGroupName!)

function existingGroup(ctx: SandboxContext, req: SandboxRequest): ResourceGroup {
  const group = findGroup(ctx, req)
  if (!group) throw resourceGroupNotFound(req.params.resourceGroupName!)
  return group
}

function putGroup(req: SandboxRequest, ctx: SandboxContext) {
  const subscriptionId = req.params.subscriptionId!
  const name = req.params.resourceGroupName!
  checkResourceGroupName(name)
  const body = bodyObject(req)
  const location = resourceGroupLocation(body.location)
  const tags = checkTags(body.tags)
  const existing = findResourceGroup(ctx, subscriptionId, name)
  if (existing) {
    if (existing.properties.provisioningState === 'Deleting') {
      throw new ArmError(
        409,
        'ResourceGroupBeingDeleted',
        `The resource group '${existing.name}' is in deprovisioning state and cannot perform this operation.`,
      )
    }
    if (existing.location !== location) {
      throw new ArmError(
        409,
        'InvalidResourceGroupLocation',
        `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`,
      )
    }
    const updated: ResourceGroup = { ...existing, ...(tags ? { tags } : {}) }
    if (!tags) delete updated.tags
    if (typeof body.managedBy === 'string') updated.managedBy = body.managedBy
    resourceGroupTable(ctx).set(updated.id, updated)
    return ok(updated)
  }
  const group: ResourceGroup = {
    id: resourceGroupId(subscriptionId.toLowerCase(), name),
    name,
    type: 'Microsoft.Resources/resourceGroups',
    location,
    ...(typeof body.managedBy === 'string' ? { managedBy: body.managedBy } : {}),
    ...(tags ? { tags } : {}),
    properties: { provisioningState: 'Succeeded' },
  }
  resourceGroupTable(ctx).set(group.id, group)
  return { status: 201, body: group }
}

function patchGroup(req: SandboxRequest, ctx: SandboxContext) {
  const group = existingGroup(ctx, req)
  const body = bodyObject(req)
  if (body.location !== undefined && resourceGroupLocation(body.location) !== group.location) {
    throw new ArmError(
      409,
      'InvalidResourceGroupLocation',
      `Invalid resource group location '${String(body.location)}'. The Resource group already exists in location '${group.location}'.`,
    )
  }
  const updated: ResourceGroup = { ...group }
  if (body.tags !== undefined) {
    const tags = checkTags(body.tags)
    if (tags) updated.tags = tags
    else delete updated.tags
  }
  if (typeof body.managedBy === 'string') updated.managedBy = body.managedBy
  resourceGroupTable(ctx).set(updated.id, updated)
  return ok(updated)
}

function deleteGroup(req: SandboxRequest, ctx: SandboxContext) {
  const group = existingGroup(ctx, req)
  const subscriptionId = req.params.subscriptionId!
  const resources = ctx.resources
    .list({ subscriptionId, resourceGroup: group.name })
    .filter(isTopLevel)
  group.properties.provisioningState = 'Deleting'
  resourceGroupTable(ctx).set(group.id, group)
  const { headers } = ctx.lro.start({
    subscriptionId,
    namespace: 'Microsoft.Resources',
    location: group.location,
    durationMs: deleteDuration(resources.length),
    handler: deleteHandler,
    args: { subscriptionId, name: group.name },
    apiVersion: req.query('api-version')!,
  })
  return { status: 202, headers }
}

/** Deletes every resource in the group (providers' delete hooks stop their meters), then the group. */
export function deleteGroupNow(ctx: SandboxContext, subscriptionId: string, name: string): void {
  const group = findResourceGroup(ctx, subscriptionId, name)
  if (!group) return
  const resources = ctx.resources
    .list({ subscriptionId, resourceGroup: name })
    .sort((a, b) => a.id.length - b.id.length)
  for (const resource of resources)
    if (ctx.resources.get(resource.id)) ctx.resources.delete(resource.id)
  const prefix = `${group.id.toLowerCase()}/`
  for (const tableName of groupScopedTables) {
    const table = ctx.state.table<unknown>(tableName)
    for (const [key] of table.entries()) if (key.startsWith(prefix)) table.delete(key)
  }
  resourceGroupTable(ctx).delete(group.id)
}

function listGroups(req: SandboxRequest, ctx: SandboxContext) {
  const subscriptionId = req.params.subscriptionId!.toLowerCase()
  const clauses = parseFilter(req.query('$filter'))
  const groups = resourceGroupTable(ctx)
    .values()
    .filter((g) => g.id.toLowerCase().startsWith(`/subscriptions/${subscriptionId}/`))
    .filter((g) =>
      matchesFilter(
        { name: g.name, type: g.type, location: g.location, ...(g.tags ? { tags: g.tags } : {}) },
        clauses,
      ),
    )
    .sort((a, b) => a.name.localeCompare(b.name))
  return page(req, ctx.endpoints.armEndpoint, groups)
}

/** Only tracked top-level resources are listed (no subnets, shares or scale-set VMs), as in Azure. */
const isTopLevel = (resource: ArmResource) => parseResourceId(resource.id)?.names.length === 1

function listResources(ctx: SandboxContext, req: SandboxRequest, resourceGroup?: string) {
  const clauses = parseFilter(req.query('$filter'))
  const expand = (req.query('$expand') ?? '').toLowerCase()
  const items = ctx.resources
    .list({
      subscriptionId: req.params.subscriptionId!,
      ...(resourceGroup ? { resourceGroup } : {}),
    })
    .filter(isTopLevel)
    .filter((r) =>
      matchesFilter(
        {
          name: r.name,
          type: r.type,
          ...(r.location ? { location: r.location } : {}),
          ...(r.tags ? { tags: r.tags } : {}),
          resourceGroup: parseResourceId(r.id)?.resourceGroup ?? '',
        },
        clauses,
      ),
    )
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => genericResource(r, expand))
  return page(req, ctx.endpoints.armEndpoint, items)
}

/** GenericResourceExpanded: the envelope without properties (those only with a GET by id). */
function genericResource(resource: ArmResource, expand: string) {
  const {
    id,
    name,
    type,
    location,
    tags,
    sku,
    kind,
    plan,
    managedBy,
    identity,
    zones,
    extendedLocation,
  } = view(resource)
  const out: Record<string, unknown> = { id, name, type }
  for (const [key, value] of Object.entries({
    sku,
    kind,
    location,
    tags,
    plan,
    managedBy,
    identity,
    zones,
    extendedLocation,
  })) {
    if (value !== undefined) out[key] = value
  }
  if (expand.includes('provisioningstate'))
    out.provisioningState = resource.properties?.provisioningState ?? 'Succeeded'
  return out
}
