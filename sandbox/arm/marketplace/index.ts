import type { SandboxModule } from '../../core/module'
import { marketplaceRoutes } from './agreements'

export { agreementTermsId } from './agreements'

/** Microsoft.MarketplaceOrdering: a plan's terms, accepted per subscription. */
export const marketplaceModule: SandboxModule = {
  name: 'marketplace',
  install(_ctx, router) {
    router.add(...marketplaceRoutes())
  },
}
