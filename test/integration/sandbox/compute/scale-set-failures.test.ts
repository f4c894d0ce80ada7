import type { VirtualMachineScaleSetVM } from '@azure/arm-compute'
import { beforeAll, describe, expect, it } from 'vitest'
import { sandboxForFile } from '../fixtures'
import {
  clientsFor,
  collect,
  createPoolNetwork,
  finish,
  ids,
  poll,
  scaleSetModel,
  type Clients,
} from './pool'

const env = sandboxForFile()
let clients: Clients
const names = { resourceGroup: 'rg-failures', pool: 'failpool', location: 'westeurope' }

const powerOf = (vm: VirtualMachineScaleSetVM) =>
  vm.instanceView?.statuses
    ?.find((s) => s.code?.startsWith('PowerState/'))
    ?.code?.slice('PowerState/'.length)

beforeAll(async () => {
  clients = clientsFor(env)
  await createPoolNetwork(env, clients, names)
})

describe('scale set failures, as Azure reports them', () => {
  it('refuses a write into a resource group that does not exist', async () => {
    await expect(
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdateAndWait(
        'rg-missing',
        'x',
        scaleSetModel(env, names),
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' })
  })

  it('checks the computer name prefix', async () => {
    const model = scaleSetModel(env, names)
    model.virtualMachineProfile!.osProfile!.computerNamePrefix = 'team pool'
    await expect(
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdateAndWait(
        names.resourceGroup,
        'badname',
        model,
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidParameter' })
  })

  it('lists resource SKUs per region with restrictions and answers SkuNotAvailable for a restricted size', async () => {
    const skus = await collect(
      clients.compute.resourceSkus.list({ filter: "location eq 'westeurope'" }),
    )
    const a100 = skus.find((s) => s.name === 'Standard_NC24ads_A100_v4')
    expect(a100?.restrictions?.[0]).toMatchObject({
      type: 'Location',
      reasonCode: 'NotAvailableForSubscription',
      values: ['westeurope'],
    })
    const d4 = skus.find((s) => s.name === 'Standard_D4s_v5')
    expect(d4?.capabilities?.find((c) => c.name === 'vCPUs')?.value).toBe('4')
    expect(d4?.restrictions ?? []).toEqual([])
    const sizes = await collect(clients.compute.virtualMachineSizes.list('westeurope'))
    expect(sizes.find((s) => s.name === 'Standard_D4s_v5')).toMatchObject({
      numberOfCores: 4,
      memoryInMB: 16384,
    })

    const error = await clients.compute.virtualMachineScaleSets
      .beginCreateOrUpdateAndWait(
        names.resourceGroup,
        'gpu',
        scaleSetModel(env, names, { vmSize: 'Standard_NC24ads_A100_v4' }),
        poll,
      )
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ statusCode: 409, code: 'SkuNotAvailable' })
    expect(String((error as Error).message)).toContain(
      "currently not available in location 'westeurope'",
    )
  })

  it('enforces family and regional vCPU quota with the limit, usage and additional cores in the message', async () => {
    const usages = await collect(clients.compute.usage.list('westeurope'))
    const family = usages.find((u) => u.name.value === 'standardDSv5Family')!
    expect(family).toMatchObject({ unit: 'Count', currentValue: 0, limit: 64 })

    const error = await clients.compute.virtualMachineScaleSets
      .beginCreateOrUpdateAndWait(
        names.resourceGroup,
        'big',
        scaleSetModel(env, names, { vmSize: 'Standard_D16s_v5', capacity: 5 }),
        poll,
      )
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' })
    expect(String((error as Error).message)).toContain(
      'exceeding approved standardDSv5Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: westeurope, Current Limit: 64, Current Usage: 0, Additional Required: 80, (Minimum) New Limit Required: 80.',
    )
  })

  it('counts instances against quota, deallocated or not', async () => {
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        names.pool,
        scaleSetModel(env, names, { capacity: 2 }),
        poll,
      ),
    )
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginDeallocate(
        names.resourceGroup,
        names.pool,
        poll,
      ),
    )
    const usages = await collect(clients.compute.usage.list('westeurope'))
    expect(usages.find((u) => u.name.value === 'standardDSv5Family')?.currentValue).toBe(8)
    expect(usages.find((u) => u.name.value === 'cores')?.currentValue).toBe(8)
  })

  it('requires accepted marketplace terms for images with a plan', async () => {
    const error = await clients.compute.virtualMachineScaleSets
      .beginCreateOrUpdateAndWait(
        names.resourceGroup,
        'planned',
        scaleSetModel(env, names, { plan: true }),
        poll,
      )
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ statusCode: 400, code: 'ResourcePurchaseValidationFailed' })
    expect(String((error as Error).message)).toContain(
      'You have not accepted the legal terms on this subscription',
    )

    const termsPath = `subscriptions/${env.sandbox.subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/microsoft-dsvm/offers/ubuntu-2204/plans/2204-gen2/agreements/current`
    const terms = await clients.resources.resources.getById(termsPath, '2021-01-01')
    await clients.resources.resources.beginCreateOrUpdateByIdAndWait(termsPath, '2021-01-01', {
      properties: { ...terms.properties, accepted: true },
    })
    const created = await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        names.resourceGroup,
        'planned',
        scaleSetModel(env, names, { plan: true, capacity: 1 }),
        poll,
      ),
    )
    expect(created.plan).toEqual({
      name: '2204-gen2',
      publisher: 'microsoft-dsvm',
      product: 'ubuntu-2204',
    })
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginDelete(names.resourceGroup, 'planned', poll),
    )
  })

  it('fails the operation with AllocationFailed when the region has no capacity', async () => {
    env.sandbox.faults.allocationFailure()
    const error = await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginUpdate(
        names.resourceGroup,
        names.pool,
        { sku: { capacity: 3 } },
        poll,
      ),
    ).catch((e: unknown) => e)
    // core-lro reports a failed operation as 'The long-running operation has failed. <code>. <message>'.
    expect(String((error as Error).message)).toContain('AllocationFailed. Allocation failed.')
    const vms = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool, {
        expand: 'instanceView',
      }),
    )
    const failed = vms.find((vm) => vm.instanceId === '2')!
    expect(failed.provisioningState).toBe('Failed')
    expect(failed.instanceView?.statuses?.[0]?.code).toBe(
      'ProvisioningState/failed/AllocationFailed',
    )
    expect(
      (await clients.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool))
        .provisioningState,
    ).toBe('Failed')
  })

  it('rejects a stale If-Match with 412 PreconditionFailed and accepts the current ETag', async () => {
    const current = await clients.compute.virtualMachineScaleSets.get(
      names.resourceGroup,
      names.pool,
    )
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginUpdate(
        names.resourceGroup,
        names.pool,
        { tags: { owner: 'grace' } },
        { ...poll, ifMatch: current.etag! },
      ),
    )
    const error = await clients.compute.virtualMachineScaleSets
      .beginUpdateAndWait(
        names.resourceGroup,
        names.pool,
        { sku: { capacity: 0 } },
        { ...poll, ifMatch: current.etag! },
      )
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ statusCode: 412, code: 'PreconditionFailed' })
    const after = await clients.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool)
    expect(after.tags).toEqual({ owner: 'grace' })
    expect(after.etag).not.toBe(current.etag)
  })

  it('refuses to delete network resources a scale set still uses', async () => {
    const id = ids(env.sandbox.subscriptionId, names)
    await expect(
      clients.network.loadBalancers.beginDeleteAndWait(
        names.resourceGroup,
        `${names.pool}-lb`,
        poll,
      ),
    ).rejects.toMatchObject({
      code: 'LoadBalancerInUseByVirtualMachineScaleSet',
    })
    await expect(
      clients.network.virtualNetworks.beginDeleteAndWait(
        names.resourceGroup,
        `${names.pool}-vnet`,
        poll,
      ),
    ).rejects.toMatchObject({
      code: 'InUseSubnetCannotBeDeleted',
    })
    await expect(
      clients.network.networkSecurityGroups.beginDeleteAndWait(
        names.resourceGroup,
        `${names.pool}-nsg`,
        poll,
      ),
    ).rejects.toMatchObject({ code: 'InUseNetworkSecurityGroupCannotBeDeleted' })
    await expect(
      clients.network.publicIPAddresses.beginDeleteAndWait(
        names.resourceGroup,
        `${names.pool}-ip`,
        poll,
      ),
    ).rejects.toMatchObject({
      statusCode: 400,
    })
    expect(
      (await clients.network.virtualNetworks.get(names.resourceGroup, `${names.pool}-vnet`))
        .subnets?.[0]?.id,
    ).toBe(id.subnet)
  })
})

describe('Spot instances', () => {
  const spot = { resourceGroup: 'rg-spot', pool: 'spotpool', location: 'eastus' }

  it('deallocates evicted instances with the Deallocate policy and deletes them with Delete', async () => {
    await createPoolNetwork(env, clients, spot)
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        spot.resourceGroup,
        spot.pool,
        scaleSetModel(env, spot, { spot: 'Deallocate' }),
        poll,
      ),
    )
    const usages = await collect(clients.compute.usage.list('eastus'))
    expect(usages.find((u) => u.name.value === 'lowPriorityCores')?.currentValue).toBe(8)

    env.sandbox.faults.evictSpot(ids(env.sandbox.subscriptionId, spot).scaleSet)
    env.sandbox.clock.advance(31_000)
    const evicted = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(spot.resourceGroup, spot.pool, {
        expand: 'instanceView',
      }),
    )
    expect(evicted.map(powerOf)).toEqual(['deallocated', 'deallocated'])
    expect(
      (await clients.compute.virtualMachineScaleSets.get(spot.resourceGroup, spot.pool)).sku
        ?.capacity,
    ).toBe(2)

    const deleting = { ...spot, pool: 'spotdelete' }
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
        spot.resourceGroup,
        deleting.pool,
        scaleSetModel(env, spot, { spot: 'Delete' }),
        poll,
      ),
    )
    env.sandbox.faults.evictSpot()
    expect(
      (await clients.compute.virtualMachineScaleSets.get(spot.resourceGroup, deleting.pool)).sku
        ?.capacity,
    ).toBe(0)
    env.sandbox.clock.advance(31_000)
    expect(
      await collect(
        clients.compute.virtualMachineScaleSetVMs.list(spot.resourceGroup, deleting.pool),
      ),
    ).toEqual([])
  })
})
