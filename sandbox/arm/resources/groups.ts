import { ArmError, resourceGroupNotFound } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { normalizeLocation } from '../../core/lro'
import { regions } from '../../seed/vm-sizes'

/** A resource group as ARM shows it. */
export interface ResourceGroup {
  id: string
  name: string
  type: 'Microsoft.Resources/resourceGroups'
  location: string
  managedBy?: string
  tags?: Record<string, string>
  properties: { provisioningState: 'Succeeded' | 'Deleting' }
}

export const resourceGroupTable = (ctx: SandboxContext) =>
  ctx.state.table<ResourceGroup>('resourceGroups')

export const resourceGroupId = (subscriptionId: string, name: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/${name}`

export function findResourceGroup(
  ctx: SandboxContext,
  subscriptionId: string,
  name: string,
): ResourceGroup | undefined {
  return resourceGroupTable(ctx).get(resourceGroupId(subscriptionId, name))
}

/**
 * For providers' PUT handlers: the group, or 404 ResourceGroupNotFound as Azure answers a
 * write into a group that does not exist (409 while the group is being deleted).
 */
export function requireResourceGroup(
  ctx: SandboxContext,
  subscriptionId: string,
  name: string,
): ResourceGroup {
  const group = findResourceGroup(ctx, subscriptionId, name)
  if (!group) throw resourceGroupNotFound(name)
  if (group.properties.provisioningState === 'Deleting') {
    throw new ArmError(
      409,
      'ResourceGroupBeingDeleted',
      `The resource group '${group.name}' is in deprovisioning state and cannot perform this operation.`,
    )
  }
  return group
}

/** Resource group names: 1-90 letters, digits, '_', '-', '.', '(', ')'; not ending in '.'. */
export function checkResourceGroupName(name: string): void {
  if (!/^[-\w.()\p{L}\p{N}]{1,90}$/u.test(name) || name.endsWith('.')) {
    throw new ArmError(
      400,
      'InvalidResourceGroup',
      `The provided resource group name '${name}' has these invalid characters: '${[...new Set(name.replace(/[-\w.()\p{L}\p{N}]/gu, ''))].join('')}'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'. The name cannot end in '.' and must be 1-90 characters long.`,
    )
  }
}

/** The region's canonical name ("West Europe" → westeurope), or 400 as Azure answers. */
export function resourceGroupLocation(location: unknown): string {
  if (typeof location !== 'string' || location.trim() === '') {
    throw new ArmError(
      400,
      'LocationRequired',
      'The location property is required for this definition.',
    )
  }
  const normalized = normalizeLocation(location)
  if (!regions.some((r) => r.name === normalized)) {
    throw new ArmError(
      400,
      'LocationNotAvailableForResourceGroup',
      `The provided location '${location}' is not available for resource group. List of available regions is '${regions.map((r) => r.name).join(',')}'.`,
    )
  }
  return normalized
}

export function checkTags(tags: unknown): Record<string, string> | undefined {
  if (tags === undefined || tags === null) return undefined
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      "The request content was invalid: 'tags' must be an object.",
    )
  }
  const entries = Object.entries(tags as Record<string, unknown>)
  if (entries.length > 50)
    throw new ArmError(400, 'InvalidTagCount', 'The number of tags exceeds the limit of 50.')
  for (const [name, value] of entries) {
    if (typeof value !== 'string') {
      throw new ArmError(400, 'InvalidTag', `The tag value of tag name '${name}' must be a string.`)
    }
    if (name.length > 512 || value.length > 256 || /[<>%&\\?/]/.test(name)) {
      throw new ArmError(
        400,
        'InvalidTagNameCharacters',
        `The tag names '${name}' have reserved characters '<,>,%,&,\\,?,/' or control characters, or are longer than 512 characters.`,
      )
    }
  }
  return tags as Record<string, string>
}
