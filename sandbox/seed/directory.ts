import { sandboxClientId } from '../../shared/sandbox-client'
import { appPrincipalByOid } from './app-principals'
import type { Role, SandboxSubscription, SandboxTenant, SandboxUser } from './directory-types'
/**
 * The sandbox's Entra directory and subscriptions: fixed ids so that tests, screenshots and
 * a teammate's sandbox agree. Two tenants, three subscriptions, users with different roles.
 */
export type { Role, SandboxSubscription, SandboxTenant, SandboxUser }

export const tenants: SandboxTenant[] = [
  {
    id: '72f988bf-0000-4000-8000-00000000c0de',
    displayName: 'Contoso Research',
    defaultDomain: 'contoso.example',
  },
  {
    id: '3e1f7a52-0000-4000-8000-0000000fab1e',
    displayName: 'Fabrikam Labs',
    defaultDomain: 'fabrikam.example',
  },
]
const [contoso, fabrikam] = tenants as [SandboxTenant, SandboxTenant]

export const subscriptions: SandboxSubscription[] = [
  {
    id: '00000000-0000-4000-8000-000000000001',
    displayName: 'Contoso Data Science',
    tenantId: contoso.id,
    state: 'Enabled',
    quotaScale: 1,
  },
  {
    id: '00000000-0000-4000-8000-000000000002',
    displayName: 'Contoso Dev/Test',
    tenantId: contoso.id,
    state: 'Enabled',
    quotaScale: 0.25,
  },
  {
    id: '00000000-0000-4000-8000-000000000003',
    displayName: 'Fabrikam Analytics',
    tenantId: fabrikam.id,
    state: 'Enabled',
    quotaScale: 1,
  },
]
const [dataScience, devTest, analytics] = subscriptions as [
  SandboxSubscription,
  SandboxSubscription,
  SandboxSubscription,
]

export const users: SandboxUser[] = [
  {
    oid: 'a1a1a1a1-0000-4000-8000-00000000ada0',
    homeTenantId: contoso.id,
    username: 'ada@contoso.example',
    name: 'Ada Lovelace',
    roles: { [dataScience.id]: 'Owner', [devTest.id]: 'Contributor', [analytics.id]: 'Reader' },
  },
  {
    oid: 'b2b2b2b2-0000-4000-8000-0000000067ac',
    homeTenantId: contoso.id,
    username: 'grace@contoso.example',
    name: 'Grace Hopper',
    roles: { [dataScience.id]: 'Contributor' },
  },
  {
    oid: 'c3c3c3c3-0000-4000-8000-0000000a1a40',
    homeTenantId: contoso.id,
    username: 'alan@contoso.example',
    name: 'Alan Turing (read only)',
    roles: { [dataScience.id]: 'Reader' },
  },
]

/** The public client registered in the sandbox directory (the app's default for Sandbox). */
export { sandboxClientId }

export const defaultSubscriptionId = dataScience.id
export const defaultTenantId = contoso.id

/** A person, or an application principal (service principal, managed identity). */
export function userByOid(oid: string): SandboxUser | undefined {
  return users.find((u) => u.oid === oid) ?? appPrincipalByOid(oid)
}

/** Tenants the user belongs to: home tenant plus those where they have a subscription role. */
export function tenantsOf(user: SandboxUser): SandboxTenant[] {
  const ids = new Set([user.homeTenantId])
  for (const sub of subscriptions) if (user.roles[sub.id]) ids.add(sub.tenantId)
  return tenants.filter((t) => ids.has(t.id))
}

export function roleOf(oid: string, subscriptionId: string): Role | undefined {
  const user = userByOid(oid)
  return user?.roles[subscriptionId.toLowerCase()] ?? user?.roles[subscriptionId]
}
