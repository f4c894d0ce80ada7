import { describe, expect, it } from 'vitest'
import { createApiClient } from '../../../renderer/api/client'
import { createPoolsStore } from '../../../renderer/screens/pools/pools-store'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { viewFor } from './summary-view'
import { fakeTransport, ok } from '../renderer/fake-transport'

const poolId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool'
const poolBase: Omit<PoolSummary, 'view'> = {
  id: poolId,
  name: 'team-pool',
  subscriptionId: '00000000-0000-4000-8000-000000000001',
  resourceGroup: 'rg-team-pool',
  region: 'eastus',
  os: 'Linux',
  vmSize: 'Standard_D4s_v5',
  total: 2,
  running: 2,
  capacity: 2,
  state: 'Running',
  autoscaleEnabled: true,
  hasAutoscale: true,
  ownsResourceGroup: true,
}
const pool: PoolSummary = { ...poolBase, view: viewFor(poolBase) }
const instance = (id: string, powerState = 'running'): PoolInstance => ({
  instanceId: id,
  name: `team-pool_${id}`,
  powerState,
  provisioningState: 'Succeeded',
  protectedFromScaleIn: false,
  latestModelApplied: true,
})

function setup() {
  const transport = fakeTransport({
    'pools.list': () => ok({ pools: [pool], status: { intervalMs: 20000 } }),
    'pools.instances': () => ok([instance('0'), instance('1')]),
    'pools.scale': () => ok({ accepted: true, message: 'Scaling to 3…' }),
  })
  const store = createPoolsStore(createApiClient(transport, { validate: true }))
  return { transport, store }
}

describe('the pools store', () => {
  it('loads once, then follows only the changes main pushes', async () => {
    const { transport, store } = setup()
    await store.getState().load()
    store.getState().select(poolId)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(Object.keys(store.getState().instances[poolId.toLowerCase()]!)).toEqual(['0', '1'])

    transport.emit('pools.instancesChanged', {
      poolId,
      upserts: [instance('1', 'deallocating'), instance('2', 'starting')],
      removed: ['0'],
    })
    const instances = store.getState().instances[poolId.toLowerCase()]!
    expect(Object.values(instances).map((i) => [i.instanceId, i.powerState])).toEqual([
      ['1', 'deallocating'],
      ['2', 'starting'],
    ])
    // The instance that went away says why: the pool's latest size change.
    expect(store.getState().gone[poolId.toLowerCase()]).toEqual([
      { name: 'team-pool_0', why: 'Azure deleted it; no change was recorded yet.' },
    ])
    transport.emit('pools.changed', { pools: [{ ...pool, state: 'Scaling' }], removed: [] })
    expect(store.getState().pools[poolId.toLowerCase()]?.state).toBe('Scaling')
    transport.emit('pools.changed', { pools: [], removed: [poolId] })
    expect(store.getState().pools).toEqual({})
    expect(store.getState().selectedPoolId).toBeUndefined()
    expect(transport.calls.filter((c) => c.name === 'pools.list')).toHaveLength(1)
  })

  it('shows an action from Azure accepting it to Azure finishing it', async () => {
    const { transport, store } = setup()
    await store.getState().load()
    await store.getState().run(poolId, () => Promise.resolve({ message: 'Scaling to 3…' }))
    expect(store.getState().actions[poolId.toLowerCase()]).toEqual({ message: 'Scaling to 3…' })
    transport.emit('pools.actionDone', {
      poolId,
      poolName: 'team-pool',
      action: 'scale',
      ok: true,
      message: 'team-pool: Azure finished scaling.',
    })
    expect(store.getState().actions[poolId.toLowerCase()]?.result).toEqual({
      ok: true,
      message: 'team-pool: Azure finished scaling.',
    })
  })
})
