import type { SandboxModule } from '../../core/module'
import { addNetworkResourceRoutes, installNetworkOperations } from './crud'
import { addInboundNatRuleRoutes, loadBalancers } from './load-balancers'
import { publicIpAddresses } from './public-ips'
import { networkSecurityGroups } from './security-groups'
import { addSubnetRoutes, virtualNetworks } from './virtual-networks'
import { addScaleSetNicRoutes } from './vmss-nics'

/** Microsoft.Network: virtual networks, NSGs, public IPs, load balancers, scale-set NICs. */
export const networkModule: SandboxModule = {
  name: 'network',
  install(ctx, router) {
    installNetworkOperations(ctx)
    addSubnetRoutes(router)
    addInboundNatRuleRoutes(router)
    for (const kind of [virtualNetworks, networkSecurityGroups, publicIpAddresses, loadBalancers]) {
      addNetworkResourceRoutes(router, kind)
    }
    addScaleSetNicRoutes(router)
    // Metered resources stop costing money when they go, however they go (also with their group).
    for (const type of [publicIpAddresses.type, loadBalancers.type]) {
      ctx.resources.onDelete(type, (resource) => {
        const usageId = resource.sandbox?.usageId
        if (typeof usageId === 'string') ctx.usage.close(usageId, ctx.clock.now())
      })
    }
  },
}
