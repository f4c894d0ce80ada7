import { ArmError } from '../arm-error'
import {
  metadataEndpointsVersions,
  newerSdkVersions,
  operationVersions,
  unpublishedVersions,
} from './supplement'
import table from './table.json'

/**
 * Which api-versions Azure accepts for a request path, and Azure's answer when a version is
 * not one of them. Versions are looked up per resource type (table.json, generated from the
 * REST API specifications' version folders by scripts/api-versions/generate.mjs).
 */

interface NamespaceVersions {
  versions: string[]
  /** Resource type → versions. Types that differ only in case (the specs spell some
   *  types two ways over the years) are one type to ARM: their versions are merged. */
  types: Record<string, string[]>
}

const namespaces = new Map<string, { name: string; entry: NamespaceVersions }>(
  Object.entries(table.namespaces as Record<string, NamespaceVersions>).map(([name, entry]) => {
    const types: Record<string, string[]> = {}
    const casing = new Map<string, string>()
    for (const [type, versions] of Object.entries(entry.types)) {
      const key = casing.get(type.toLowerCase()) ?? type
      casing.set(type.toLowerCase(), key)
      types[key] = [...new Set([...(types[key] ?? []), ...versions])].sort().reverse()
    }
    return [name.toLowerCase(), { name, entry: { versions: entry.versions, types } }]
  }),
)

/**
 * Adds a namespace the table does not have (a provider that exists only in tests); every
 * later request to it is checked against `versions`.
 */
export function registerNamespace(name: string, versions: string[]): void {
  namespaces.set(name.toLowerCase(), { name, entry: { versions: sorted(versions), types: {} } })
}

/** What the path addresses: ARM itself, a provider's resource type, or nothing we know. */
export interface ResourceTypeOf {
  /** 'arm': ARM's own routes (resource groups, subscriptions, providers, metadata). */
  kind: 'arm' | 'provider'
  namespace: string
  /** Type names after the namespace, e.g. virtualMachineScaleSets/virtualMachines. */
  type: string
}

/** The resource type a request path addresses, from its last `/providers/<Namespace>/` part. */
export function resourceTypeOf(path: string): ResourceTypeOf {
  const segments = path.split('/').filter(Boolean)
  const last = segments.map((s) => s.toLowerCase()).lastIndexOf('providers')
  if (last >= 0 && segments[last + 1] && last + 1 < segments.length) {
    const namespace = segments[last + 1]!
    const rest = segments.slice(last + 2)
    if (rest.length > 0) {
      return {
        kind: 'provider',
        namespace,
        type: rest.filter((_, i) => i % 2 === 0).join('/'),
      }
    }
    // /subscriptions/{id}/providers/{namespace}: the provider registration itself.
    return { kind: 'arm', namespace: 'Microsoft.Resources', type: 'providers' }
  }
  const lower = segments.map((s) => s.toLowerCase())
  if (lower[0] === 'metadata') return { kind: 'arm', namespace: 'ARM', type: 'metadata' }
  if (lower.includes('providers'))
    return { kind: 'arm', namespace: 'Microsoft.Resources', type: 'providers' }
  if (lower[2] === 'resourcegroups') {
    return {
      kind: 'arm',
      namespace: 'Microsoft.Resources',
      type: lower[4] === 'resources' || lower.length === 5 ? 'resources' : 'resourceGroups',
    }
  }
  if (lower[2] === 'resources')
    return { kind: 'arm', namespace: 'Microsoft.Resources', type: 'resources' }
  return { kind: 'arm', namespace: 'Microsoft.Resources', type: 'subscriptions' }
}

const lookup = (record: Record<string, string[]> | undefined, type: string) => {
  if (!record) return undefined
  const key = Object.keys(record).find((k) => k.toLowerCase() === type.toLowerCase())
  return key ? record[key] : undefined
}

/**
 * The versions Azure accepts for a resource type, newest first; undefined when the
 * namespace is not one Azure knows (as far as the sandbox emulates it).
 */
export function supportedVersions(namespace: string, type: string): string[] | undefined {
  if (namespace === 'ARM') return metadataEndpointsVersions
  const known = namespaces.get(namespace.toLowerCase())
  if (!known) return undefined
  const extra = [
    ...(newerSdkVersions[known.name] ?? []),
    ...(unpublishedVersions[known.name] ?? []),
  ]
  // Instance NICs and public IPs of a scale set are the Network provider's, under Compute's path.
  if (
    known.name === 'Microsoft.Compute' &&
    /^virtualMachineScaleSets\/(virtualMachines\/)?(networkInterfaces|publicIPAddresses)/i.test(
      type,
    )
  ) {
    return sorted([...(supportedVersions('Microsoft.Network', 'networkInterfaces') ?? [])])
  }
  const operation = lookup(operationVersions[known.name], type)
  if (operation) return sorted([...operation, ...extra])
  // Location-scoped operations (sizes, usages, images, operation status) are served by
  // every version of the provider; the table lists only the few that bicep can read.
  if (/^locations(\/|$)/i.test(type)) return sorted([...known.entry.versions, ...extra])
  // The type itself, else its nearest parent type (actions and views live under their
  // resource), else every version of the namespace (list and location operations).
  const parts = type.split('/')
  for (let n = parts.length; n > 0; n--) {
    const versions = lookup(known.entry.types, parts.slice(0, n).join('/'))
    if (versions) return sorted([...versions, ...extra])
  }
  return sorted([...known.entry.versions, ...extra])
}

function sorted(versions: string[]): string[] {
  return [...new Set(versions)].sort().reverse()
}

/** Namespaces with their canonical casing, for provider GETs. */
export function knownNamespaces(): Array<{ name: string; entry: NamespaceVersions }> {
  return [...namespaces.values()]
}

export function canonicalNamespace(namespace: string): string | undefined {
  return namespaces.get(namespace.toLowerCase())?.name
}

/**
 * Throws Azure's error when `version` is not accepted for the path: InvalidApiVersionParameter
 * for ARM's own routes, NoRegisteredProviderFound for a provider's resource types,
 * InvalidResourceNamespace for a namespace Azure does not have.
 */
export function checkApiVersion(
  path: string,
  version: string,
  where: { location?: string; locations: string[] },
): void {
  const target = resourceTypeOf(path)
  const versions = supportedVersions(target.namespace, target.type)
  if (!versions) {
    throw new ArmError(
      400,
      'InvalidResourceNamespace',
      `The resource namespace '${target.namespace}' is invalid.`,
    )
  }
  if (versions.some((v) => v.toLowerCase() === version.toLowerCase())) return
  if (target.kind === 'arm') {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${versions.join(',')}'. Please see https://aka.ms/api-version for more details.`,
    )
  }
  const typeName = target.type.split('/')[0]!
  throw new ArmError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${where.location ?? ''}' and API version '${version}' for type '${typeName}'. The supported api-versions are '${versions.join(', ')}'. The supported locations are '${where.locations.join(', ')}'.`,
  )
}
