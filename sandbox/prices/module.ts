import type { SandboxModule } from '../core/module'
import { retailPricesHandler } from './retail-prices'

/** The Azure Retail Prices API (prices.azure.com): public, no authentication. */
export const pricesModule: SandboxModule = {
  name: 'prices',
  install(_ctx, router) {
    router.add({
      service: 'prices',
      method: 'GET',
      pattern: '/api/retail/prices',
      handler: retailPricesHandler,
    })
  },
}
