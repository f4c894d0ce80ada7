import { request } from 'node:https'
import { beforeAll, describe, expect, it } from 'vitest'
import { sandboxForFile } from '../fixtures'
import {
  clientsFor,
  createPoolNetwork,
  finish,
  poll,
  scaleSetModel,
  type Clients,
} from '../compute/pool'

const hour = 3_600_000
const day = 24 * hour
const names = { resourceGroup: 'rg-cost-live', pool: 'costpool', location: 'eastus' }

const env = sandboxForFile()
let clients: Clients

beforeAll(async () => {
  clients = clientsFor(env)
})

/** Cost and quantity per service of the pool's resource group, from Cost Management. */
async function spendByService(): Promise<Record<string, { cost: number; quantity: number }>> {
  const token = await env.credential().getToken('https://management.azure.com/.default')
  const now = env.sandbox.clock.now()
  const payload = JSON.stringify({
    type: 'ActualCost',
    timeframe: 'Custom',
    timePeriod: { from: new Date(now - day).toISOString(), to: new Date(now).toISOString() },
    dataset: {
      granularity: 'None',
      aggregation: {
        cost: { name: 'Cost', function: 'Sum' },
        quantity: { name: 'UsageQuantity', function: 'Sum' },
      },
      grouping: [{ type: 'Dimension', name: 'ServiceName' }],
    },
  })
  const path = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.CostManagement/query?api-version=2023-11-01`
  const body = await new Promise<{ properties: { rows: Array<[number, number, string, string]> } }>(
    (resolve, reject) => {
      const req = request(
        `${env.sandbox.armEndpoint}${path}`,
        {
          method: 'POST',
          ca: env.sandbox.caCert,
          headers: { Authorization: `Bearer ${token!.token}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            if (res.statusCode !== 200) reject(new Error(`${res.statusCode} ${text}`))
            else resolve(JSON.parse(text))
          })
        },
      )
      req.on('error', reject)
      req.end(payload)
    },
  )
  return Object.fromEntries(
    body.properties.rows.map(([cost, quantity, service]) => [service, { cost, quantity }]),
  )
}

describe('Cost Management prices what the compute and network providers meter', () => {
  it('bills running instances by the hour, and only the disks, IP and balancer while deallocated', async () => {
    await createPoolNetwork(env, clients, names)
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        names.pool,
        scaleSetModel(env, names, { capacity: 2 }),
        poll,
      ),
    )
    env.sandbox.clock.advance(3 * hour)

    const running = await spendByService()
    // Two Standard_D4s_v5 Linux instances for a little over three hours, at $0.192 an hour.
    expect(running['Virtual Machines']!.quantity).toBeGreaterThanOrEqual(6)
    expect(running['Virtual Machines']!.quantity).toBeLessThan(6.5)
    expect(running['Virtual Machines']!.cost).toBeCloseTo(
      running['Virtual Machines']!.quantity * 0.192,
      6,
    )
    expect(running['Virtual Network']!.cost).toBeCloseTo(
      running['Virtual Network']!.quantity * 0.005,
      6,
    )
    expect(running['Load Balancer']!.cost).toBeGreaterThan(0)
    // Two P10 OS disks: $19.71 a month each, prorated per hour over 730 hours.
    expect(running.Storage!.cost).toBeCloseTo(running.Storage!.quantity * 19.71, 6)

    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginDeallocate(
        names.resourceGroup,
        names.pool,
        poll,
      ),
    )
    const deallocatedAt = await spendByService()
    env.sandbox.clock.advance(2 * hour)
    const later = await spendByService()
    expect(later['Virtual Machines']!.cost).toBeCloseTo(deallocatedAt['Virtual Machines']!.cost, 6)
    expect(later.Storage!.cost).toBeGreaterThan(deallocatedAt.Storage!.cost)
    expect(later['Virtual Network']!.cost).toBeGreaterThan(deallocatedAt['Virtual Network']!.cost)
  })
})
