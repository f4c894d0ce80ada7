import type { SandboxReply } from '../core/http'
import {
  sandboxClientId,
  tenants,
  tenantsOf,
  users,
  type SandboxTenant,
  type SandboxUser,
} from '../seed/directory'
import { unknownClient, unknownTenant } from './oauth-errors'

/** What the first path segment of an authority URL names. */
export type TenantSegment =
  { kind: 'tenant'; tenant: SandboxTenant } | { kind: 'organizations' | 'common' }

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A tenant id, a tenant's domain, 'organizations' or 'common'; undefined for anything else. */
export function resolveTenantSegment(segment: string): TenantSegment | undefined {
  const lower = segment.toLowerCase()
  if (lower === 'organizations' || lower === 'common') return { kind: lower }
  const tenant = tenants.find((t) => t.id === lower || t.defaultDomain.toLowerCase() === lower)
  return tenant ? { kind: 'tenant', tenant } : undefined
}

export const looksLikeGuid = (value: string) => guidPattern.test(value)

export function userByUsername(username: string): SandboxUser | undefined {
  return users.find((u) => u.username.toLowerCase() === username.toLowerCase())
}

/** Users who can sign in through this authority (all of them for organizations/common). */
export function usersFor(segment: TenantSegment): SandboxUser[] {
  if (segment.kind !== 'tenant') return users
  return users.filter((u) => belongsTo(u, segment.tenant.id))
}

export function belongsTo(user: SandboxUser, tenantId: string): boolean {
  return tenantsOf(user).some((t) => t.id === tenantId)
}

/** The tenant a token is issued in: the named one, or the user's home tenant. */
export function tokenTenantFor(user: SandboxUser, segment: TenantSegment): string | undefined {
  if (segment.kind !== 'tenant') return user.homeTenantId
  return belongsTo(user, segment.tenant.id) ? segment.tenant.id : undefined
}

/**
 * Public clients registered in the sandbox directory: the app's own, and Microsoft's
 * well-known first-party public clients that Entra accepts in every tenant.
 */
export const wellKnownPublicClients = {
  azureCli: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
  azurePowerShell: '1950a258-227b-4e31-a9cf-717495945fc2',
} as const
export const registeredClients = new Set<string>([
  sandboxClientId,
  ...Object.values(wellKnownPublicClients),
])

/**
 * The tenant and registered client a token or device-code request names (the `client_id` form
 * field), or the OAuth error Entra answers when either is unknown.
 */
export function tenantAndClient(
  tenant: string,
  form: URLSearchParams,
): { segment: TenantSegment; clientId: string } | { reply: SandboxReply } {
  const segment = resolveTenantSegment(tenant)
  if (!segment) return { reply: unknownTenant(tenant) }
  const clientId = form.get('client_id') ?? ''
  if (!registeredClients.has(clientId)) {
    return {
      reply: unknownClient(
        clientId,
        segment.kind === 'tenant' ? segment.tenant.displayName : tenant,
      ),
    }
  }
  return { segment, clientId }
}
