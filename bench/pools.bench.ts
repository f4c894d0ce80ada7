import { resolveCloud } from '../electron/azure/auth/clouds'
import type { ArmContext } from '../electron/azure/arm-context'
import { collect, poolClients } from '../electron/azure/pools/arm-clients'
import { PoolService } from '../electron/azure/pools/pool-service'
import { defaultIntervals } from '../electron/azure/pools/poller'
import { setQuotaLimit } from '../electron/sandbox/arm/compute/quota'
import { poolTags } from '../shared/pool-tags'
import {
  clientsFor,
  createPoolNetwork,
  finish,
  ids,
  poll,
  scaleSetModel,
} from '../test/integration/sandbox/compute/pool'
import { startTestSandbox, type TestSandbox } from '../test/integration/sandbox/harness'
import type { Bench, Figure } from './figure'

/*
 * ARM requests the pool poller sends, against the sandbox through the real SDK clients:
 * per refresh of one pool of 1, 10, 50, 100 and 1,000 instances, side by side with the naive
 * refresh (list, then one instance-view GET per instance, then the load balancer); and per
 * hour for a user with three pools in steady state, as a share of the subscription's
 * documented read budget (12,000 reads per hour).
 */

const names = { resourceGroup: 'rg-bench', pool: 'benchpool', location: 'eastus' }
const sizes = [1, 10, 50, 100, 1000]
/** The sandbox's token bucket (as ARM's): a burst of 250 reads. Beyond it the naive refresh is throttled. */
const readBurst = 250
const readsPerHourBudget = 12_000

function serviceFor(env: TestSandbox, subscriptionIds: string[]) {
  const cloud = resolveCloud('Sandbox', env.sandbox)
  const credential = env.credential()
  const context = async (subscriptionId: string): Promise<ArmContext> => ({
    cloud,
    subscriptionId,
    tenantId: env.sandbox.tenantId,
    accountId: 'bench',
    credential,
    tlsCa: env.sandbox.caCert,
  })
  const ignore = () => undefined
  return {
    context,
    service: new PoolService({
      context,
      subscriptions: () => subscriptionIds,
      events: {
        poolsChanged: ignore,
        instancesChanged: ignore,
        status: ignore,
        actionDone: ignore,
      },
    }),
  }
}

async function createBenchPool(env: TestSandbox): Promise<void> {
  const clients = clientsFor(env)
  for (const quota of ['standardDSv5Family', 'cores'])
    setQuotaLimit(env.sandbox.context, env.sandbox.subscriptionId, names.location, quota, 4000)
  await createPoolNetwork(env, clients, names, 1000, '10.0.0.0/22')
  const tags = { [poolTags.pool]: names.pool }
  await clients.network.loadBalancers.updateTags(names.resourceGroup, `${names.pool}-lb`, { tags })
  await clients.network.publicIPAddresses.updateTags(names.resourceGroup, `${names.pool}-ip`, {
    tags,
  })
  await finish(
    env,
    clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
      names.resourceGroup,
      names.pool,
      scaleSetModel(env, names, {
        capacity: 1,
        vmSize: 'Standard_D2s_v5',
        singlePlacementGroup: false,
      }),
      poll,
    ),
  )
}

async function scaleBenchPool(env: TestSandbox, capacity: number): Promise<void> {
  await finish(
    env,
    clientsFor(env).compute.virtualMachineScaleSets.beginUpdate(
      names.resourceGroup,
      names.pool,
      { sku: { capacity } },
      poll,
    ),
  )
}

/** The naive refresh, counted through the same metered SDK clients the app uses. */
async function naiveRefresh(env: TestSandbox, context: ArmContext): Promise<number> {
  let requests = 0
  const clients = poolClients(context, { onResponse: () => (requests += 1), maxRetries: 0 })
  const vms = await collect(
    clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool),
  )
  for (const vm of vms)
    await clients.compute.virtualMachineScaleSetVMs.getInstanceView(
      names.resourceGroup,
      names.pool,
      vm.instanceId!,
    )
  await clients.network.loadBalancers.get(names.resourceGroup, `${names.pool}-lb`)
  return requests
}

async function poolRefreshFigures(env: TestSandbox): Promise<Figure[]> {
  const figures: Figure[] = []
  const { service, context } = serviceFor(env, [env.sandbox.subscriptionId])
  await service.list()
  service.close()
  const poolId = ids(env.sandbox.subscriptionId, names).scaleSet
  for (const size of sizes) {
    await scaleBenchPool(env, size)
    service.poller.touch(poolId)
    await service.poller.pollNow() // after the change: scale set, VM list, load balancer
    const afterChange = service.poller.requestsLastPoll
    await service.poller.pollNow()
    await service.poller.pollNow()
    const steady = service.poller.requestsLastPoll
    // Measured while it fits in the read burst; beyond, the naive refresh would be throttled.
    const naive =
      size + 2 < readBurst / 2
        ? await naiveRefresh(env, await context(env.sandbox.subscriptionId))
        : size + 2
    const measured = size + 2 < readBurst / 2
    figures.push(
      {
        name: `${size} instance${size === 1 ? '' : 's'}: app, steady poll`,
        value: steady,
        unit: 'requests',
        note: `${afterChange} on the poll after the change: scale set, VM list, load balancer if instances came or went`,
      },
      {
        name: `${size} instance${size === 1 ? '' : 's'}: naive refresh`,
        value: naive,
        unit: 'requests',
        note: measured
          ? 'list + one instance view per instance + load balancer, measured'
          : `counted, not sent: more than half the ${readBurst}-read burst; Azure would throttle`,
      },
      {
        name: `${size} instance${size === 1 ? '' : 's'}: naive ÷ app`,
        value: naive / steady,
        unit: '×',
      },
    )
  }
  return figures
}

async function perHourFigures(env: TestSandbox): Promise<Figure[]> {
  // Three pools: the demo's two and the bench pool.
  const { service } = serviceFor(env, [env.sandbox.subscriptionId])
  await service.list()
  service.close()
  await service.poller.pollNow()
  await service.poller.pollNow()
  const steady = service.poller.requestsLastPoll
  service.poller.touch() // a discovery poll: pools by tag, then each pool's details
  await service.poller.pollNow()
  const discovery = service.poller.requestsLastPoll
  const pools = service.poller.pools().length
  const perHour = (open: boolean) => {
    const interval = open ? defaultIntervals.steadyMs : defaultIntervals.idleMs
    const polls = 3_600_000 / interval
    const discoveries = 3_600_000 / defaultIntervals.discoveryMs
    return polls * steady + discoveries * (discovery - steady)
  }
  return [
    { name: `${pools} pools, steady poll`, value: steady, unit: 'requests' },
    { name: `${pools} pools, discovery poll (every 5 min)`, value: discovery, unit: 'requests' },
    {
      name: `${pools} pools, window open: reads per hour`,
      value: perHour(true),
      unit: 'requests',
      note: `${((perHour(true) / readsPerHourBudget) * 100).toFixed(1)}% of ${readsPerHourBudget.toLocaleString('en-US')} reads/hour`,
    },
    {
      name: `${pools} pools, tray only: reads per hour`,
      value: perHour(false),
      unit: 'requests',
      note: `${((perHour(false) / readsPerHourBudget) * 100).toFixed(1)}% of the budget`,
    },
  ]
}

export const poolsBench: Bench = {
  title: 'Pools: ARM requests of the poller',
  async run() {
    // One pool alone in its subscription for the per-refresh figures ...
    const alone = await startTestSandbox()
    let refresh: Figure[]
    try {
      await createBenchPool(alone)
      refresh = await poolRefreshFigures(alone)
    } finally {
      await alone.close()
    }
    // ... and three pools (the demo's two and a third) for the hourly figures.
    const demo = await startTestSandbox({ seed: 'demo' })
    try {
      await createBenchPool(demo)
      await scaleBenchPool(demo, 3)
      return [...refresh, ...(await perHourFigures(demo))]
    } finally {
      await demo.close()
    }
  },
}
