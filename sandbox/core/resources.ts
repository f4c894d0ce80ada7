import type { SandboxState, Table } from './state'

/** A resource as ARM shows it. Providers keep extra bookkeeping under `sandbox`, which is never sent. */
export interface ArmResource {
  id: string
  name: string
  type: string
  location?: string
  tags?: Record<string, string>
  sku?: Record<string, unknown>
  kind?: string
  plan?: Record<string, unknown>
  etag?: string
  properties?: Record<string, unknown>
  /** Internal fields of the owning provider; stripped by `view()`. */
  sandbox?: Record<string, unknown>
  [key: string]: unknown
}

export interface ResourceIdParts {
  subscriptionId: string
  resourceGroup?: string
  /** e.g. Microsoft.Compute/virtualMachineScaleSets/virtualMachines */
  type?: string
  /** Last name segment. */
  name?: string
  /** Every name segment of nested resources, in order. */
  names: string[]
}

export function resourceId(
  subscriptionId: string,
  resourceGroup: string,
  type: string,
  ...names: string[]
): string {
  const [namespace, ...types] = type.split('/')
  let id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${namespace}`
  types.forEach((t, i) => {
    id += `/${t}/${names[i] ?? ''}`
  })
  return id
}

export function parseResourceId(id: string): ResourceIdParts | undefined {
  const m =
    /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?(?:\/providers\/([^/]+)\/(.+))?$/i.exec(
      id,
    )
  if (!m) return undefined
  const [, subscriptionId, resourceGroup, namespace, rest] = m
  const parts: ResourceIdParts = { subscriptionId: subscriptionId!, names: [] }
  if (resourceGroup) parts.resourceGroup = resourceGroup
  if (namespace && rest) {
    const segments = rest.split('/')
    const types: string[] = []
    for (let i = 0; i < segments.length; i += 2) {
      types.push(segments[i]!)
      if (segments[i + 1] !== undefined) parts.names.push(segments[i + 1]!)
    }
    parts.type = `${namespace}/${types.join('/')}`
    parts.name = parts.names[parts.names.length - 1]
  }
  return parts
}

export interface ResourceFilter {
  subscriptionId: string
  resourceGroup?: string
  /** Case-insensitive full type. */
  type?: string
  tagName?: string
  tagValue?: string
}

type DeleteHook = (resource: ArmResource) => void

/**
 * One table of every ARM resource in the sandbox, whatever its provider, so that listing a
 * resource group, listing by tag and deleting a group work across providers.
 */
export class Resources {
  private readonly table: Table<ArmResource>
  private readonly deleteHooks = new Map<string, DeleteHook[]>()

  constructor(state: SandboxState) {
    this.table = state.table<ArmResource>('resources')
  }

  get(id: string): ArmResource | undefined {
    return this.table.get(id)
  }

  put(resource: ArmResource): ArmResource {
    return this.table.set(resource.id, resource)
  }

  /** Call after changing a stored resource in place. */
  touch(): void {
    this.table.touch()
  }

  /** Removes a resource, its child resources and runs the providers' delete hooks. */
  delete(id: string): boolean {
    const resource = this.table.get(id)
    if (!resource) return false
    const prefix = `${id.toLowerCase()}/`
    for (const [key, child] of this.table.entries()) {
      if (key.startsWith(prefix)) this.delete(child.id)
    }
    this.table.delete(id)
    for (const hook of this.deleteHooks.get(resource.type.toLowerCase()) ?? []) hook(resource)
    return true
  }

  list(filter: ResourceFilter): ArmResource[] {
    return this.table.values().filter((r) => {
      const parts = parseResourceId(r.id)
      if (!parts || parts.subscriptionId.toLowerCase() !== filter.subscriptionId.toLowerCase())
        return false
      if (
        filter.resourceGroup &&
        parts.resourceGroup?.toLowerCase() !== filter.resourceGroup.toLowerCase()
      )
        return false
      if (filter.type && r.type.toLowerCase() !== filter.type.toLowerCase()) return false
      if (filter.tagName) {
        const key = Object.keys(r.tags ?? {}).find(
          (k) => k.toLowerCase() === filter.tagName!.toLowerCase(),
        )
        if (!key) return false
        if (filter.tagValue !== undefined && r.tags![key] !== filter.tagValue) return false
      }
      return true
    })
  }

  onDelete(type: string, hook: DeleteHook): void {
    const key = type.toLowerCase()
    this.deleteHooks.set(key, [...(this.deleteHooks.get(key) ?? []), hook])
  }
}

/** The resource as ARM returns it: internal bookkeeping removed. */
export function view(resource: ArmResource): Omit<ArmResource, 'sandbox'> {
  const { sandbox: _internal, ...visible } = resource
  return visible
}
