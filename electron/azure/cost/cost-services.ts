import { join } from 'node:path'
import type { Cloud } from '../../../shared/clouds'
import type { CloudSession } from '../cloud-session'
import { perSession } from '../per-session'
import { PoolPrices } from '../prices/pool-prices'
import { RetailPricesClient } from '../prices/retail-prices-client'
import { CostQueryClient, type CostTokens } from './cost-query-client'

export interface CostServicesOptions {
  cloud: Pick<Cloud, 'pricesEndpoint' | 'armEndpoint' | 'armAudience'>
  /** Sign-in for the cloud (AuthService). */
  tokens: CostTokens
  /** CA to trust for the cloud's endpoints (the sandbox's certificate). */
  tlsCa?: string | undefined
  /** The app's data folder; prices are cached in its prices-cache folder. */
  dataDir: string
}

export interface CostServices {
  /** Estimates and unit prices from the Retail Prices API. */
  prices: PoolPrices
  /** Actual spend from Cost Management. */
  spend: CostQueryClient
}

/** Prices and spend for one cloud session; rebuild when the cloud or sign-in changes. */
export function createCostServices(options: CostServicesOptions): CostServices {
  return {
    prices: new PoolPrices(
      new RetailPricesClient({
        endpoint: options.cloud.pricesEndpoint,
        cacheDir: join(options.dataDir, 'prices-cache'),
        ca: options.tlsCa,
      }),
    ),
    spend: new CostQueryClient({ tokens: options.tokens, tlsCa: options.tlsCa }),
  }
}

/** The cost services of the current cloud session, built anew when the session changes. */
export function sessionCostServices(
  session: () => Promise<CloudSession>,
  dataDir: string,
): () => Promise<CostServices> {
  return perSession(session, (current) =>
    createCostServices({
      cloud: current.cloud,
      tokens: current.auth,
      tlsCa: current.tlsCa,
      dataDir,
    }),
  ).get
}
