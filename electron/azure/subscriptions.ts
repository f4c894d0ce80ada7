import type { TokenCredential } from '@azure/core-auth'
import {
  SubscriptionClient,
  type SubscriptionClientOptionalParams,
} from '@azure/arm-resources-subscriptions'
import type { Account, Subscription, Tenant } from '../../shared/api'
import type { Cloud } from '../../shared/clouds'
import { AppError } from '../../shared/errors'
import { armClient } from './arm-context'
import { armScope } from './auth/clouds'
import { interactionReason, isNetworkError } from './auth/errors'

/** What the subscriptions service needs from sign-in. */
export interface AccountTokens {
  readonly cloud: Cloud
  accounts(): Promise<Account[]>
  credential(accountId: string, tenantId?: string): TokenCredential
}

export interface SubscriptionsServiceOptions {
  auth: AccountTokens
  /** CA to trust for ARM (the sandbox's certificate). */
  tlsCa?: string | undefined
  /** Retry policy for ARM calls (tests lower it). */
  retryOptions?: SubscriptionClientOptionalParams['retryOptions']
}

/**
 * Tenants and subscriptions every signed-in account can see. Each tenant is read with a
 * token for that tenant, as ARM requires; a tenant that cannot be read (MFA, consent,
 * an outage there) carries a `problem` instead of failing the whole list.
 */
export class SubscriptionsService {
  constructor(private readonly options: SubscriptionsServiceOptions) {}

  async list(): Promise<Tenant[]> {
    const accounts = (await this.options.auth.accounts()).filter((a) => a.signedIn)
    if (accounts.length === 0)
      throw new AppError('AuthRequired', 'Sign in to see your subscriptions.')
    const merged = new Map<string, Tenant>()
    const failures: unknown[] = []
    for (const account of accounts) {
      let tenants: Tenant[]
      try {
        tenants = await this.tenantsOf(account)
      } catch (error) {
        if (isNetworkError(error)) throw offline()
        failures.push(error)
        continue
      }
      for (const tenant of tenants) merge(merged, tenant)
    }
    // The IPC layer maps Azure's answer (503 → Transient, 429 → Throttled ...) for the UI.
    if (merged.size === 0 && failures.length > 0) throw failures[0]
    return [...merged.values()].sort((a, b) => a.displayName.localeCompare(b.displayName))
  }

  private async tenantsOf(account: Account): Promise<Tenant[]> {
    const home = this.client(this.options.auth.credential(account.id))
    const tenants: Tenant[] = []
    for await (const t of home.tenants.list()) {
      if (!t.tenantId) continue
      tenants.push({
        id: t.tenantId,
        displayName: t.displayName || t.defaultDomain || t.tenantId,
        ...(t.defaultDomain ? { defaultDomain: t.defaultDomain } : {}),
        subscriptions: [],
      })
    }
    await Promise.all(
      tenants.map(async (tenant) => {
        try {
          tenant.subscriptions = await this.subscriptionsIn(account, tenant.id)
        } catch (error) {
          if (isNetworkError(error)) throw offline()
          tenant.problem = problemText(error, tenant.displayName)
        }
      }),
    )
    return tenants
  }

  private async subscriptionsIn(account: Account, tenantId: string): Promise<Subscription[]> {
    const client = this.client(this.options.auth.credential(account.id, tenantId))
    const subscriptions: Subscription[] = []
    for await (const s of client.subscriptions.list()) {
      if (!s.subscriptionId) continue
      subscriptions.push({
        id: s.subscriptionId,
        displayName: s.displayName ?? s.subscriptionId,
        tenantId: s.tenantId ?? tenantId,
        state: s.state ?? 'Enabled',
        accountId: account.id,
      })
    }
    return subscriptions.sort((a, b) => a.displayName.localeCompare(b.displayName))
  }

  private client(credential: TokenCredential): SubscriptionClient {
    const { cloud } = this.options.auth
    return armClient(
      { cloud, credential },
      new SubscriptionClient(credential, {
        endpoint: cloud.armEndpoint,
        credentials: { scopes: [armScope(cloud)] },
        ...(this.options.tlsCa ? { tlsOptions: { ca: this.options.tlsCa } } : {}),
        ...(this.options.retryOptions ? { retryOptions: this.options.retryOptions } : {}),
      }),
    )
  }
}

/** Two accounts may see the same tenant: one entry, subscriptions of both, no duplicates. */
function merge(into: Map<string, Tenant>, tenant: Tenant): void {
  const existing = into.get(tenant.id)
  if (!existing) {
    into.set(tenant.id, tenant)
    return
  }
  const known = new Set(existing.subscriptions.map((s) => s.id))
  existing.subscriptions.push(...tenant.subscriptions.filter((s) => !known.has(s.id)))
  existing.subscriptions.sort((a, b) => a.displayName.localeCompare(b.displayName))
  if (!tenant.problem) delete existing.problem
}

const offline = () =>
  new AppError('Offline', 'Azure cannot be reached. Check your network connection and try again.')

/** One sentence for the subscription picker saying what is wrong with a tenant and what to do. */
export function problemText(error: unknown, tenantName: string): string {
  const e = (error ?? {}) as { code?: unknown; statusCode?: unknown; message?: unknown }
  if (error instanceof AppError && error.code === 'AuthRequired') {
    const reason = interactionReason(error.message)
    if (reason.includes('multi-factor') || reason.includes('consent')) {
      return `${tenantName} asks for more before it shows its subscriptions: ${reason} Sign in to this directory to continue.`
    }
    return `Sign in to ${tenantName} again: ${reason}`
  }
  if (error instanceof AppError && error.code === 'Cancelled')
    return `Reading ${tenantName} was cancelled.`
  if (e.statusCode === 401 || e.statusCode === 403) {
    return `Your account cannot read the subscriptions of ${tenantName}. Ask an administrator of that directory for access.`
  }
  return `The subscriptions of ${tenantName} could not be read right now. Try again later.`
}
