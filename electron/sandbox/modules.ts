import type { SandboxModule } from './core/module'
import { subscriptionsModule } from './arm/subscriptions'
import { identityModule } from './identity'
import { pricesModule } from './prices/module'
import { costModule } from './arm/cost/module'
import { storageModule } from './arm/storage'
import { filesModule } from './files'
import { resourcesModule } from './arm/resources'
import { marketplaceModule } from './arm/marketplace'

/** Every module the sandbox runs, in install order. */
export const modules: SandboxModule[] = [identityModule, subscriptionsModule, resourcesModule, pricesModule, costModule, storageModule, filesModule, marketplaceModule]
