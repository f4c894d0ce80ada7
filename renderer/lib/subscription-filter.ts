import type { Tenant } from '../../shared/api'

/**
 * Tenants whose name, domain or id matches the query keep all their subscriptions; other
 * tenants keep only the subscriptions whose name or id matches. Tenants left with nothing
 * to show are dropped (unless they have a problem worth seeing and match by name).
 */
export function filterTenants(tenants: readonly Tenant[], query: string): Tenant[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...tenants]
  const matches = (...fields: Array<string | undefined>) => {
    const text = fields.filter(Boolean).join(' ').toLowerCase()
    return words.every((word) => text.includes(word))
  }
  const result: Tenant[] = []
  for (const tenant of tenants) {
    if (matches(tenant.displayName, tenant.defaultDomain, tenant.id)) {
      result.push(tenant)
      continue
    }
    const subscriptions = tenant.subscriptions.filter((s) =>
      matches(s.displayName, s.id, tenant.displayName, tenant.defaultDomain),
    )
    if (subscriptions.length > 0) result.push({ ...tenant, subscriptions })
  }
  return result
}

export function countSubscriptions(tenants: readonly Tenant[]): number {
  return tenants.reduce((sum, tenant) => sum + tenant.subscriptions.length, 0)
}
