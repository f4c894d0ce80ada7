import { beforeAll, describe, expect, it } from 'vitest'
import { sandboxForFile } from '../fixtures'
import { clientsFor, collect, finish, poll, type Clients } from '../compute/pool'

const env = sandboxForFile()
let clients: Clients
const rg = 'rg-network'
const location = 'northeurope'

beforeAll(async () => {
  clients = clientsFor(env)
  await clients.resources.resourceGroups.createOrUpdate(rg, { location })
})

describe('virtual networks and subnets', () => {
  it('creates a network as a long-running operation and serves its subnets as resources', async () => {
    const poller = await clients.network.virtualNetworks.beginCreateOrUpdate(
      rg,
      'vnet',
      {
        location,
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [{ name: 'default', addressPrefix: '10.1.0.0/24' }],
      },
      poll,
    )
    expect((await clients.network.virtualNetworks.get(rg, 'vnet')).provisioningState).toBe(
      'Updating',
    )
    env.sandbox.clock.advance(5_000)
    const vnet = await poller.pollUntilDone()
    expect(vnet.provisioningState).toBe('Succeeded')
    expect(vnet.subnets?.[0]?.id).toBe(`${vnet.id}/subnets/default`)

    await finish(
      env,
      clients.network.subnets.beginCreateOrUpdate(
        rg,
        'vnet',
        'data',
        { addressPrefix: '10.1.1.0/24' },
        poll,
      ),
      3_000,
    )
    const subnets = await collect(clients.network.subnets.list(rg, 'vnet'))
    expect(subnets.map((s) => [s.name, s.addressPrefix])).toEqual([
      ['default', '10.1.0.0/24'],
      ['data', '10.1.1.0/24'],
    ])
  })

  it('rejects overlapping subnets and subnets outside the address space', async () => {
    await expect(
      clients.network.subnets.beginCreateOrUpdateAndWait(
        rg,
        'vnet',
        'clash',
        { addressPrefix: '10.1.1.128/25' },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'NetcfgSubnetRangesOverlap' })
    await expect(
      clients.network.subnets.beginCreateOrUpdateAndWait(
        rg,
        'vnet',
        'outside',
        { addressPrefix: '192.168.0.0/24' },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'NetcfgInvalidSubnet' })
  })

  it('refuses a network in a group that does not exist', async () => {
    await expect(
      clients.network.virtualNetworks.beginCreateOrUpdateAndWait(
        'rg-nowhere',
        'vnet',
        { location, addressSpace: { addressPrefixes: ['10.0.0.0/16'] } },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' })
  })
})

describe('network security groups', () => {
  it('lists the six default rules next to the custom ones and rejects a priority clash', async () => {
    const nsg = await finish(
      env,
      clients.network.networkSecurityGroups.beginCreateOrUpdate(
        rg,
        'nsg',
        {
          location,
          securityRules: [
            {
              name: 'ssh',
              protocol: 'Tcp',
              sourcePortRange: '*',
              destinationPortRange: '22',
              sourceAddressPrefix: '*',
              destinationAddressPrefix: '*',
              access: 'Allow',
              priority: 1000,
              direction: 'Inbound',
            },
          ],
        },
        poll,
      ),
    )
    expect(nsg.securityRules?.map((r) => r.name)).toEqual(['ssh'])
    expect(nsg.defaultSecurityRules?.map((r) => r.name)).toEqual([
      'AllowVnetInBound',
      'AllowAzureLoadBalancerInBound',
      'DenyAllInBound',
      'AllowVnetOutBound',
      'AllowInternetOutBound',
      'DenyAllOutBound',
    ])
    const rule = {
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '80',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
      access: 'Allow',
      priority: 1000,
      direction: 'Inbound',
    } as const
    await expect(
      clients.network.networkSecurityGroups.beginCreateOrUpdateAndWait(
        rg,
        'nsg',
        {
          location,
          securityRules: [
            { name: 'a', ...rule },
            { name: 'b', ...rule },
          ],
        },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'SecurityRuleConflict' })
  })
})

describe('public IP addresses', () => {
  it('allocates an address and a cloudapp FQDN for the DNS label', async () => {
    const ip = await finish(
      env,
      clients.network.publicIPAddresses.beginCreateOrUpdate(
        rg,
        'ip',
        {
          location,
          sku: { name: 'Standard' },
          publicIPAllocationMethod: 'Static',
          dnsSettings: { domainNameLabel: 'contoso-pool' },
        },
        poll,
      ),
    )
    expect(ip.ipAddress).toMatch(/^20\.\d{1,3}\.\d{1,3}\.\d{1,3}$/)
    expect(ip.dnsSettings?.fqdn).toBe('contoso-pool.northeurope.cloudapp.azure.com')
    expect(ip.sku?.name).toBe('Standard')
    const listed = await collect(clients.network.publicIPAddresses.listAll())
    expect(listed.map((i) => i.name)).toEqual(['ip'])
  })

  it('refuses a DNS label already used in the region and an invalid one', async () => {
    await expect(
      clients.network.publicIPAddresses.beginCreateOrUpdateAndWait(
        rg,
        'ip2',
        {
          location,
          sku: { name: 'Standard' },
          publicIPAllocationMethod: 'Static',
          dnsSettings: { domainNameLabel: 'contoso-pool' },
        },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'DnsRecordInUse' })
    await expect(
      clients.network.publicIPAddresses.beginCreateOrUpdateAndWait(
        rg,
        'ip3',
        {
          location,
          sku: { name: 'Standard' },
          publicIPAllocationMethod: 'Static',
          dnsSettings: { domainNameLabel: 'Not_Valid' },
        },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidDomainNameLabel' })
  })

  it('updates tags with PATCH', async () => {
    const tagged = await clients.network.publicIPAddresses.updateTags(rg, 'ip', {
      tags: { team: 'data' },
    })
    expect(tagged.tags).toEqual({ team: 'data' })
  })
})

describe('load balancers', () => {
  it('rejects a rule that points at a probe the load balancer does not have', async () => {
    const lb = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/loadBalancers/lb`
    await expect(
      clients.network.loadBalancers.beginCreateOrUpdateAndWait(
        rg,
        'lb',
        {
          location,
          sku: { name: 'Standard' },
          frontendIPConfigurations: [
            {
              name: 'frontend',
              publicIPAddress: {
                id: `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/publicIPAddresses/ip`,
              },
            },
          ],
          loadBalancingRules: [
            {
              name: 'web',
              frontendIPConfiguration: { id: `${lb}/frontendIPConfigurations/frontend` },
              probe: { id: `${lb}/probes/missing` },
              protocol: 'Tcp',
              frontendPort: 80,
              backendPort: 80,
            },
          ],
        },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidResourceReference' })
  })

  it('shows back-references and attaches the public IP to the frontend', async () => {
    const lbId = `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/loadBalancers/lb`
    const lb = await finish(
      env,
      clients.network.loadBalancers.beginCreateOrUpdate(
        rg,
        'lb',
        {
          location,
          sku: { name: 'Standard' },
          frontendIPConfigurations: [
            {
              name: 'frontend',
              publicIPAddress: {
                id: `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/publicIPAddresses/ip`,
              },
            },
          ],
          backendAddressPools: [{ name: 'backend' }],
          probes: [{ name: 'web', protocol: 'Http', port: 80, requestPath: '/' }],
          loadBalancingRules: [
            {
              name: 'web',
              frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/frontend` },
              backendAddressPool: { id: `${lbId}/backendAddressPools/backend` },
              probe: { id: `${lbId}/probes/web` },
              protocol: 'Tcp',
              frontendPort: 80,
              backendPort: 80,
            },
          ],
          inboundNatRules: [
            {
              name: 'admin',
              frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/frontend` },
              protocol: 'Tcp',
              frontendPort: 2222,
              backendPort: 22,
            },
          ],
        },
        poll,
      ),
    )
    expect(lb.frontendIPConfigurations?.[0]?.loadBalancingRules?.[0]?.id).toBe(
      `${lbId}/loadBalancingRules/web`,
    )
    expect(lb.probes?.[0]?.loadBalancingRules?.[0]?.id).toBe(`${lbId}/loadBalancingRules/web`)
    expect(lb.backendAddressPools?.[0]?.loadBalancingRules?.[0]?.id).toBe(
      `${lbId}/loadBalancingRules/web`,
    )
    expect(lb.inboundNatRules?.map((r) => r.name)).toEqual(['admin'])
    const rule = await clients.network.inboundNatRules.get(rg, 'lb', 'admin')
    expect(rule.frontendPort).toBe(2222)
    expect((await clients.network.publicIPAddresses.get(rg, 'ip')).ipConfiguration?.id).toBe(
      `${lbId}/frontendIPConfigurations/frontend`,
    )
  })

  it('deletes as a long-running operation, after which the address is free again', async () => {
    const deleting = await clients.network.loadBalancers.beginDelete(rg, 'lb', poll)
    env.sandbox.clock.advance(6_000)
    await deleting.pollUntilDone()
    await expect(clients.network.loadBalancers.get(rg, 'lb')).rejects.toMatchObject({
      statusCode: 404,
    })
    expect((await clients.network.publicIPAddresses.get(rg, 'ip')).ipConfiguration).toBeUndefined()
  })
})
