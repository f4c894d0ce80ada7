export { PriceCache, type CachedPrices } from './cache'
export { httpsGet, type HttpGet, type HttpReply } from './http'
export * from './meters'
export { filterOf, odataString, priceFields, type PriceField, type PriceQuery } from './odata'
export {
  meterProblemsError,
  PoolPrices,
  type PoolEstimateResult,
  type PoolRatesResult,
} from './pool-prices'
export {
  pricesAsOfText,
  RetailPricesClient,
  retailPricesApiVersion,
  type PriceQueryResult,
  type RetailPricesClientOptions,
} from './retail-prices-client'
export type { RetailPriceItem } from './types'
