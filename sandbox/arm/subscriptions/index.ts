import { ArmError } from '../../core/arm-error'
import { ok, type Principal, type Route, type SandboxRequest } from '../../core/http'
import { hasAccessIn } from '../authorization/access'
import type { SandboxModule } from '../../core/module'
import {
  subscriptions,
  tenantsOf,
  userByOid,
  type SandboxSubscription,
  type SandboxTenant,
} from '../../seed/directory'
import { regions } from '../../seed/vm-sizes'

/**
 * Subscriptions and tenants: what the signed-in user can see. As in Azure, GET /subscriptions
 * lists the subscriptions of the token's tenant on which the user has a role, and
 * GET /tenants lists every tenant the user belongs to.
 */
export const subscriptionsModule: SandboxModule = {
  name: 'subscriptions',
  install(ctx, router) {
    const get = (pattern: string, handler: Route['handler']): Route => ({
      service: 'arm',
      method: 'GET',
      pattern,
      handler,
    })
    router.add(
      get('/subscriptions', (req) => {
        const principal = req.principal!
        const visible = subscriptions.filter(
          (s) => s.tenantId === principal.tenantId && hasAccessIn(ctx.state, principal.oid, s.id),
        )
        return ok({
          value: visible.map(subscriptionView),
          count: { type: 'Total', value: visible.length },
        })
      }),
      get('/subscriptions/{subscriptionId}', (req) => {
        return ok(subscriptionView(findSubscription(req)))
      }),
      get('/subscriptions/{subscriptionId}/locations', (req) => {
        const subscription = findSubscription(req)
        return ok({ value: regions.map((r) => locationView(subscription, r.name, r.displayName)) })
      }),
      get('/tenants', (req) => {
        const user = userOf(req.principal!)
        return ok({ value: tenantsOf(user).map(tenantView) })
      }),
    )
  },
}

function findSubscription(req: SandboxRequest): SandboxSubscription {
  const id = req.params.subscriptionId!.toLowerCase()
  const subscription = subscriptions.find((s) => s.id === id)
  if (!subscription)
    throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`)
  return subscription
}

function userOf(principal: Principal) {
  const user = userByOid(principal.oid)
  if (!user) throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.')
  return user
}

function subscriptionView(s: SandboxSubscription) {
  return {
    id: `/subscriptions/${s.id}`,
    subscriptionId: s.id,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: s.quotaScale < 1 ? 'MSDNDevTest_2014-09-01' : 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    tags: {},
  }
}

function tenantView(t: SandboxTenant) {
  return {
    id: `/tenants/${t.id}`,
    tenantId: t.id,
    countryCode: 'US',
    displayName: t.displayName,
    domains: [t.defaultDomain],
    defaultDomain: t.defaultDomain,
    tenantCategory: 'Home',
    tenantType: 'AAD',
  }
}

function locationView(s: SandboxSubscription, name: string, displayName: string) {
  return {
    id: `/subscriptions/${s.id}/locations/${name}`,
    name,
    type: 'Region',
    displayName,
    regionalDisplayName: `(${displayName.includes('Europe') ? 'Europe' : 'US'}) ${displayName}`,
    metadata: { regionType: 'Physical', regionCategory: 'Recommended' },
  }
}
