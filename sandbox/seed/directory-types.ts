/** The shapes of the sandbox's Entra directory and subscriptions (seed/directory.ts). */
export type Role = 'Owner' | 'Contributor' | 'Reader'

export interface SandboxTenant {
  id: string
  displayName: string
  defaultDomain: string
}

export interface SandboxSubscription {
  id: string
  displayName: string
  tenantId: string
  state: 'Enabled' | 'Disabled' | 'Warned'
  /** Regional vCPU quota per VM family and in total ("cores"). */
  quotaScale: number
}

export interface SandboxUser {
  /** Object id in the home tenant. */
  oid: string
  homeTenantId: string
  username: string
  name: string
  /** Role per subscription id; no entry means no access at all. */
  roles: Record<string, Role>
}
