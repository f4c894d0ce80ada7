import type { TokenCredential } from '@azure/core-auth'
import type { Pipeline } from '@azure/core-rest-pipeline'
import type { Subscription, Tenant } from '../../shared/api'
import type { Cloud } from '../../shared/clouds'
import { AppError } from '../../shared/errors'
import { armScope } from './auth/clouds'
import { renewTokensOf } from './auth/token-renewal'

/**
 * Everything an Azure SDK client needs to work on one subscription: which cloud, whose
 * token (the account that can see the subscription, in the subscription's tenant), and the
 * CA to trust (the sandbox's certificate). Services take this, never MSAL or settings.
 */
export interface ArmContext {
  cloud: Cloud
  subscriptionId: string
  tenantId: string
  accountId: string
  credential: TokenCredential
  tlsCa?: string
}

/** The options every @azure/arm-* client takes: endpoint, token scope and TLS trust. */
export function armClientOptions(context: Pick<ArmContext, 'cloud' | 'tlsCa'>): {
  endpoint: string
  credentials: { scopes: string[] }
  tlsOptions?: { ca: string }
} {
  return {
    endpoint: context.cloud.armEndpoint,
    credentials: { scopes: [armScope(context.cloud)] },
    ...(context.tlsCa ? { tlsOptions: { ca: context.tlsCa } } : {}),
  }
}

/**
 * An ARM client of the context's credential that renews a token Azure refuses while MSAL
 * still holds it (see auth/token-renewal.ts). Every ARM client the app makes goes through here.
 */
export function armClient<T extends { pipeline: Pipeline }>(
  context: Pick<ArmContext, 'cloud' | 'credential'>,
  client: T,
): T {
  return renewTokensOf(client, context.credential, armScope(context.cloud))
}

/**
 * Finds which signed-in account reaches a subscription, from the last subscription list
 * (listing again once when it is not there: a subscription may have been added since).
 */
export class ArmContexts {
  private known = new Map<string, Subscription>()

  constructor(
    private readonly source: {
      cloud: Cloud
      tlsCa?: string
      listTenants(): Promise<Tenant[]>
      credential(accountId: string, tenantId?: string): TokenCredential
    },
  ) {}

  /** Remember what a subscription list returned (saves a second listing). */
  remember(tenants: Tenant[]): Tenant[] {
    this.known = new Map(
      tenants.flatMap((t) => t.subscriptions.map((s) => [s.id.toLowerCase(), s])),
    )
    return tenants
  }

  async for(subscriptionId: string): Promise<ArmContext> {
    let subscription = this.known.get(subscriptionId.toLowerCase())
    if (!subscription) {
      this.remember(await this.source.listTenants())
      subscription = this.known.get(subscriptionId.toLowerCase())
    }
    if (!subscription) {
      throw new AppError(
        'NotFound',
        `None of your signed-in accounts can see subscription ${subscriptionId}. Sign in with an account that has a role on it, or choose another subscription.`,
      )
    }
    return {
      cloud: this.source.cloud,
      subscriptionId: subscription.id,
      tenantId: subscription.tenantId,
      accountId: subscription.accountId,
      credential: this.source.credential(subscription.accountId, subscription.tenantId),
      ...(this.source.tlsCa ? { tlsCa: this.source.tlsCa } : {}),
    }
  }
}
