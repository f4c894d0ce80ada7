import { beforeAll, describe, expect, it } from 'vitest'
import { setQuotaLimit } from '../../../../sandbox/arm/compute/quota'
import { sandboxForFile } from '../fixtures'
import {
  clientsFor,
  collect,
  createPoolNetwork,
  finish,
  poll,
  scaleSetModel,
  type Clients,
} from './pool'

const env = sandboxForFile()
let clients: Clients
const names = { resourceGroup: 'rg-large', pool: 'largepool', location: 'eastus' }

beforeAll(async () => {
  clients = clientsFor(env)
  await createPoolNetwork(env, clients, names, 1000, '10.0.0.0/22')
})

describe('a pool of 1,000 instances', () => {
  it('needs a quota increase and more than one placement group, as in Azure', async () => {
    const model = scaleSetModel(env, names, { capacity: 1000, vmSize: 'Standard_D2s_v5' })
    await expect(
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdateAndWait(
        names.resourceGroup,
        names.pool,
        model,
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidParameter' })
    const spread = scaleSetModel(env, names, {
      capacity: 1000,
      vmSize: 'Standard_D2s_v5',
      singlePlacementGroup: false,
    })
    await expect(
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdateAndWait(
        names.resourceGroup,
        names.pool,
        spread,
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' })
  })

  it('runs every instance with its own address and SSH port once the quota allows it', async () => {
    for (const quota of ['standardDSv5Family', 'cores']) {
      setQuotaLimit(env.sandbox.context, env.sandbox.subscriptionId, names.location, quota, 2000)
    }
    const model = scaleSetModel(env, names, {
      capacity: 1000,
      vmSize: 'Standard_D2s_v5',
      singlePlacementGroup: false,
    })
    const created = await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        names.pool,
        model,
        poll,
      ),
    )
    expect(created.sku?.capacity).toBe(1000)

    const vms = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool, {
        expand: 'instanceView',
      }),
    )
    expect(vms).toHaveLength(1000)
    expect(vms.every((vm) => vm.instanceView?.statuses?.[1]?.code === 'PowerState/running')).toBe(
      true,
    )
    const lb = await clients.network.loadBalancers.get(names.resourceGroup, `${names.pool}-lb`)
    const ports = new Set(lb.inboundNatRules?.map((r) => r.frontendPort))
    expect(ports.size).toBe(1000)
    const nics = await collect(
      clients.network.networkInterfaces.listVirtualMachineScaleSetNetworkInterfaces(
        names.resourceGroup,
        names.pool,
      ),
    )
    expect(new Set(nics.map((n) => n.ipConfigurations?.[0]?.privateIPAddress)).size).toBe(1000)
    const usage = await collect(clients.compute.usage.list('eastus'))
    expect(usage.find((u) => u.name.value === 'cores')).toMatchObject({
      currentValue: 2000,
      limit: 2000,
    })
  })
})
