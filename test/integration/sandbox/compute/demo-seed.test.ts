import { beforeAll, describe, expect, it } from 'vitest'
import { poolTags } from '../../../../shared/pool-tags'
import { sandboxForFile } from '../fixtures'
import { clientsFor, collect, type Clients } from './pool'

const env = sandboxForFile({ seed: 'demo' })
let clients: Clients

beforeAll(async () => {
  clients = clientsFor(env)
})

describe("the 'demo' seed", () => {
  it('has a running team pool of three instances, found by its tag', async () => {
    const tagged = await collect(
      clients.resources.resources.list({
        filter: `tagName eq '${poolTags.pool}' and tagValue eq 'team-pool'`,
      }),
    )
    expect(tagged.map((r) => r.type).sort()).toEqual([
      'Microsoft.Compute/virtualMachineScaleSets',
      'Microsoft.Insights/autoscaleSettings',
      'Microsoft.Network/loadBalancers',
      'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/publicIPAddresses',
      'Microsoft.Network/virtualNetworks',
      'Microsoft.Storage/storageAccounts',
    ])
    const pool = await clients.compute.virtualMachineScaleSets.get('rg-team-pool', 'team-pool')
    expect(pool.sku).toMatchObject({ name: 'Standard_D4s_v5', capacity: 3 })
    expect(pool.provisioningState).toBe('Succeeded')
    expect(pool.tags?.[poolTags.owner]).toBe('ada@contoso.example')
    const vms = await collect(
      clients.compute.virtualMachineScaleSetVMs.list('rg-team-pool', 'team-pool', {
        expand: 'instanceView',
      }),
    )
    expect(vms.map((vm) => vm.instanceView?.statuses?.map((s) => s.code))).toEqual([
      ['ProvisioningState/succeeded', 'PowerState/running'],
      ['ProvisioningState/succeeded', 'PowerState/running'],
      ['ProvisioningState/succeeded', 'PowerState/running'],
    ])
  })

  it('serves JupyterHub and SSH through the load balancer', async () => {
    const ip = await clients.network.publicIPAddresses.get('rg-team-pool', 'team-pool-ip')
    expect(ip.dnsSettings?.fqdn).toBe('team-pool-contoso.eastus.cloudapp.azure.com')
    const lb = await clients.network.loadBalancers.get('rg-team-pool', 'team-pool-lb')
    expect(lb.loadBalancingRules?.map((r) => [r.name, r.frontendPort, r.backendPort])).toEqual([
      ['jupyterhub', 8000, 8000],
    ])
    expect(lb.inboundNatRules?.map((r) => [r.name, r.frontendPort])).toEqual([
      ['ssh.0', 50000],
      ['ssh.1', 50001],
      ['ssh.2', 50002],
    ])
    const share = await clients.resources.resources.getById(
      `subscriptions/${env.sandbox.subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Storage/storageAccounts/stteampoolfiles/fileServices/default/shares/notebooks`,
      '2023-05-01',
    )
    expect(share.name).toBe('notebooks')
  })

  it('has a GPU pool scaled to zero with the capacity to restore and autoscale off', async () => {
    const gpu = await clients.compute.virtualMachineScaleSets.get('rg-gpu-pool', 'gpu-pool')
    expect(gpu.sku?.capacity).toBe(0)
    expect(gpu.tags?.[poolTags.restoreCapacity]).toBe('2')
    const setting = await clients.monitor.autoscaleSettings.get('rg-gpu-pool', 'gpu-pool-autoscale')
    expect(setting.enabled).toBe(false)
    expect(setting.profiles.map((p) => p.recurrence?.schedule.hours)).toEqual([[8], [18]])
  })

  it('holds its shape while sandbox time passes', async () => {
    env.sandbox.clock.advance(2 * 60 * 60_000)
    expect(
      (await clients.compute.virtualMachineScaleSets.get('rg-team-pool', 'team-pool')).sku
        ?.capacity,
    ).toBe(3)
    expect(
      (await clients.compute.virtualMachineScaleSets.get('rg-gpu-pool', 'gpu-pool')).sku?.capacity,
    ).toBe(0)
  })
})
