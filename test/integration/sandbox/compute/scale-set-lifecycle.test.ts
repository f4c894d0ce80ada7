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
const names = { resourceGroup: 'rg-lifecycle', pool: 'lifepool', location: 'eastus' }

const powerOf = (vm: VirtualMachineScaleSetVM) =>
  vm.instanceView?.statuses
    ?.find((s) => s.code?.startsWith('PowerState/'))
    ?.code?.slice('PowerState/'.length)
const provisioningOf = (vm: VirtualMachineScaleSetVM) =>
  vm.instanceView?.statuses?.find((s) => s.code?.startsWith('ProvisioningState/'))?.code

async function instances(): Promise<VirtualMachineScaleSetVM[]> {
  return collect(
    clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool, {
      expand: 'instanceView',
    }),
  )
}

beforeAll(async () => {
  clients = clientsFor(env)
  await createPoolNetwork(env, clients, names)
})

describe('scale set life cycle', () => {
  it('creates instances that move from creating to running over sandbox time', async () => {
    const poller = await clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
      names.resourceGroup,
      names.pool,
      scaleSetModel(env, names, { capacity: 2 }),
      poll,
    )
    const creating = await instances()
    expect(creating.map((vm) => vm.instanceId)).toEqual(['0', '1'])
    expect(creating.map(powerOf)).toEqual(['starting', 'starting'])
    expect(creating.map(provisioningOf)).toEqual([
      'ProvisioningState/creating',
      'ProvisioningState/creating',
    ])
    const during = await clients.compute.virtualMachineScaleSets.get(
      names.resourceGroup,
      names.pool,
    )
    expect(during.provisioningState).toBe('Creating')

    env.sandbox.clock.advance(95_000)
    const created = await poller.pollUntilDone()
    expect(created.provisioningState).toBe('Succeeded')
    expect(created.sku?.capacity).toBe(2)
    expect(created.etag).toMatch(/^"\d+"$/)
    const running = await instances()
    expect(running.map(powerOf)).toEqual(['running', 'running'])
    expect(running[0]!.name).toBe(`${names.pool}_0`)
    expect(running[0]!.osProfile?.computerName).toBe(`${names.pool}000000`)
    expect(running[0]!.protectionPolicy?.protectFromScaleIn).toBe(false)
  })

  it('gives every instance a NAT rule <pool>.<id> pointing at its NIC ip configuration', async () => {
    const id = ids(env.sandbox.subscriptionId, names)
    const lb = await clients.network.loadBalancers.get(names.resourceGroup, `${names.pool}-lb`)
    const rules = lb.inboundNatRules ?? []
    expect(rules.map((r) => [r.name, r.frontendPort, r.backendPort])).toEqual([
      ['ssh.0', 50000, 22],
      ['ssh.1', 50001, 22],
    ])
    expect(rules[1]!.backendIPConfiguration?.id).toBe(
      `${id.scaleSet}/virtualMachines/1/networkInterfaces/nic/ipConfigurations/ipconfig`,
    )
    expect(lb.backendAddressPools?.[0]?.backendIPConfigurations?.map((c) => c.id)).toHaveLength(2)
    const listed = await collect(
      clients.network.inboundNatRules.list(names.resourceGroup, `${names.pool}-lb`),
    )
    expect(listed.map((r) => r.name)).toEqual(['ssh.0', 'ssh.1'])
    const nics = await collect(
      clients.network.networkInterfaces.listVirtualMachineScaleSetNetworkInterfaces(
        names.resourceGroup,
        names.pool,
      ),
    )
    expect(nics.map((n) => n.ipConfigurations?.[0]?.privateIPAddress)).toEqual([
      '10.0.0.4',
      '10.0.0.5',
    ])
    expect(nics[0]!.ipConfigurations?.[0]?.loadBalancerInboundNatRules?.[0]?.id).toBe(
      `${id.loadBalancer}/inboundNatRules/ssh.0`,
    )
    const ofOne = await collect(
      clients.network.networkInterfaces.listVirtualMachineScaleSetVMNetworkInterfaces(
        names.resourceGroup,
        names.pool,
        '1',
      ),
    )
    expect(ofOne.map((n) => n.id)).toEqual([
      `${id.scaleSet}/virtualMachines/1/networkInterfaces/nic`,
    ])
    const nic = await clients.network.networkInterfaces.getVirtualMachineScaleSetNetworkInterface(
      names.resourceGroup,
      names.pool,
      '1',
      'nic',
    )
    expect(nic.virtualMachine?.id).toBe(`${id.scaleSet}/virtualMachines/1`)
    expect(nic.networkSecurityGroup?.id).toBe(id.nsg)
    const ip = await clients.network.publicIPAddresses.get(names.resourceGroup, `${names.pool}-ip`)
    expect(ip.ipAddress).toMatch(/^20\.\d+\.\d+\.\d+$/)
    expect(ip.dnsSettings?.fqdn).toBe('lifepool-rg-lifecycle.eastus.cloudapp.azure.com')
    expect(ip.ipConfiguration?.id).toBe(id.frontend)
  })

  it('scales out with increasing ids and scales in from the highest id, never a protected one', async () => {
    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginUpdate(
        names.resourceGroup,
        names.pool,
        { sku: { capacity: 4 } },
        poll,
      ),
    )
    expect((await instances()).map((vm) => vm.instanceId)).toEqual(['0', '1', '2', '3'])

    await finish(
      env,
      clients.compute.virtualMachineScaleSetVMs.beginUpdate(
        names.resourceGroup,
        names.pool,
        '3',
        { location: names.location, protectionPolicy: { protectFromScaleIn: true } },
        poll,
      ),
      5_000,
    )
    const scaled = await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginUpdate(
        names.resourceGroup,
        names.pool,
        { sku: { capacity: 2 } },
        poll,
      ),
    )
    expect(scaled.sku?.capacity).toBe(2)
    const left = await instances()
    expect(left.map((vm) => vm.instanceId)).toEqual(['0', '3'])
    expect(left[1]!.protectionPolicy?.protectFromScaleIn).toBe(true)
    const lb = await clients.network.loadBalancers.get(names.resourceGroup, `${names.pool}-lb`)
    expect(lb.inboundNatRules?.map((r) => r.name)).toEqual(['ssh.0', 'ssh.3'])
  })

  it('lets a Reader look at the pool but not change it', async () => {
    const reader = clientsFor(env, env.credential('alan@contoso.example'))
    const vms = await collect(
      reader.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool),
    )
    expect(vms).toHaveLength(2)
    await expect(
      reader.compute.virtualMachineScaleSets.beginUpdateAndWait(
        names.resourceGroup,
        names.pool,
        { sku: { capacity: 5 } },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' })
  })

  it('deallocates and starts instances through the real sequence of power states', async () => {
    const deallocating = await clients.compute.virtualMachineScaleSets.beginDeallocate(
      names.resourceGroup,
      names.pool,
      poll,
    )
    expect((await instances()).map(powerOf)).toEqual(['deallocating', 'deallocating'])
    env.sandbox.clock.advance(61_000)
    await deallocating.pollUntilDone()
    expect((await instances()).map(powerOf)).toEqual(['deallocated', 'deallocated'])

    const starting = await clients.compute.virtualMachineScaleSetVMs.beginStart(
      names.resourceGroup,
      names.pool,
      '0',
      poll,
    )
    expect((await instances()).map(powerOf)).toEqual(['starting', 'deallocated'])
    env.sandbox.clock.advance(41_000)
    await starting.pollUntilDone()
    const view = await clients.compute.virtualMachineScaleSetVMs.getInstanceView(
      names.resourceGroup,
      names.pool,
      '0',
    )
    expect(view.statuses?.map((s) => s.code)).toEqual([
      'ProvisioningState/succeeded',
      'PowerState/running',
    ])
    expect(view.vmAgent?.statuses?.[0]?.displayStatus).toBe('Ready')

    await finish(
      env,
      clients.compute.virtualMachineScaleSets.beginPowerOff(names.resourceGroup, names.pool, {
        ...poll,
        vmInstanceIDs: { instanceIds: ['0'] },
      }),
    )
    expect((await instances()).map(powerOf)).toEqual(['stopped', 'deallocated'])
  })

  it('deletes explicit instances (protected or not) and lowers the capacity', async () => {
    const deleting = await clients.compute.virtualMachineScaleSets.beginDeleteInstances(
      names.resourceGroup,
      names.pool,
      { instanceIds: ['3'] },
      poll,
    )
    const during = await instances()
    expect(provisioningOf(during.find((vm) => vm.instanceId === '3')!)).toBe(
      'ProvisioningState/deleting',
    )
    expect(
      (await clients.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool)).sku
        ?.capacity,
    ).toBe(1)
    env.sandbox.clock.advance(50_000)
    await deleting.pollUntilDone()
    expect((await instances()).map((vm) => vm.instanceId)).toEqual(['0'])

    await expect(
      clients.compute.virtualMachineScaleSets.beginDeleteInstancesAndWait(
        names.resourceGroup,
        names.pool,
        { instanceIds: ['42'] },
        poll,
      ),
    ).rejects.toMatchObject({ code: 'InvalidParameter' })
  })

  it('reports the scale set instance view and lists scale sets by group and subscription', async () => {
    const view = await clients.compute.virtualMachineScaleSets.getInstanceView(
      names.resourceGroup,
      names.pool,
    )
    expect(view.virtualMachine?.statusesSummary).toEqual([
      { code: 'ProvisioningState/succeeded', count: 1 },
    ])
    const inGroup = await collect(clients.compute.virtualMachineScaleSets.list(names.resourceGroup))
    const all = await collect(clients.compute.virtualMachineScaleSets.listAll())
    expect(inGroup.map((s) => s.name)).toEqual([names.pool])
    expect(all.map((s) => s.name)).toContain(names.pool)
  })

  it('deletes the scale set: instances go through deleting, then everything is gone', async () => {
    const deleting = await clients.compute.virtualMachineScaleSets.beginDelete(
      names.resourceGroup,
      names.pool,
      poll,
    )
    expect(
      (await clients.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool))
        .provisioningState,
    ).toBe('Deleting')
    env.sandbox.clock.advance(50_000)
    await deleting.pollUntilDone()
    await expect(
      clients.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool),
    ).rejects.toMatchObject({ statusCode: 404 })
    const lb = await clients.network.loadBalancers.get(names.resourceGroup, `${names.pool}-lb`)
    expect(lb.inboundNatRules).toEqual([])
  })
})
