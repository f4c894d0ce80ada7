import type { SandboxModule } from './core/module'
import { subscriptionsModule } from './arm/subscriptions'
import { identityModule } from './identity'
import { pricesModule } from './prices/module'
import { costModule } from './arm/cost/module'
import { storageModule } from './arm/storage'
import { filesModule } from './files'
import { resourcesModule } from './arm/resources'
import { deploymentsModule } from './arm/deployments'
import { marketplaceModule } from './arm/marketplace'
import { authorizationModule } from './arm/authorization'
import { managedIdentityModule } from './arm/managed-identity'
import { networkModule } from './arm/network/module'
import { computeModule } from './arm/compute/module'
import { monitorModule } from './arm/monitor/module'
import { demoPoolsModule } from './seed/demo-pools'
import { graphModule } from './graph'
import { providersModule } from './arm/providers'
import { publicAddressModule } from './public-address'

/** Every module the sandbox runs, in install order. */
export const modules: SandboxModule[] = [
  identityModule,
  subscriptionsModule,
  resourcesModule,
  deploymentsModule,
  pricesModule,
  costModule,
  storageModule,
  filesModule,
  marketplaceModule,
  authorizationModule,
  managedIdentityModule,
  networkModule,
  computeModule,
  monitorModule,
  demoPoolsModule,
  graphModule,
  providersModule,
  publicAddressModule,
]
