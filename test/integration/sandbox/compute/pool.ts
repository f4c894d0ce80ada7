import { ComputeManagementClient, type VirtualMachineScaleSet } from '@azure/arm-compute'
import { MonitorClient } from '@azure/arm-monitor'
import { NetworkManagementClient } from '@azure/arm-network'
import { ResourceManagementClient } from '@azure/arm-resources'
import type { TokenCredential } from '@azure/core-auth'
import type { TestSandbox } from '../harness'

/**
 * A pool the way the app's template builds one (virtual network, NSG, public IP with a DNS
 * label, Standard load balancer with a JupyterHub rule on 8000 and an SSH NAT pool from
 * 50000, Linux scale set), created through the real SDK clients against the sandbox.
 */

export const poll = { updateIntervalInMs: 10 }

export interface Clients {
  compute: ComputeManagementClient
  network: NetworkManagementClient
  monitor: MonitorClient
  resources: ResourceManagementClient
}

export function clientsFor(
  env: TestSandbox,
  credential: TokenCredential = env.credential(),
  subscriptionId = env.sandbox.subscriptionId,
): Clients {
  const options = { endpoint: env.sandbox.armEndpoint, tlsOptions: { ca: env.sandbox.caCert } }
  return {
    compute: new ComputeManagementClient(credential, subscriptionId, options),
    network: new NetworkManagementClient(credential, subscriptionId, options),
    monitor: new MonitorClient(credential, subscriptionId, options),
    resources: new ResourceManagementClient(credential, subscriptionId, options),
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** Runs a long-running operation to its end, moving sandbox time forward while it waits. */
export async function finish<T>(
  env: TestSandbox,
  started: Promise<{ pollUntilDone(): Promise<T> }>,
  advanceMs = 120_000,
): Promise<T> {
  const poller = await started
  env.sandbox.clock.advance(advanceMs)
  return poller.pollUntilDone()
}

export interface PoolNames {
  resourceGroup: string
  pool: string
  location: string
}

export const ids = (subscriptionId: string, names: PoolNames) => {
  const base = `/subscriptions/${subscriptionId}/resourceGroups/${names.resourceGroup}/providers`
  const lb = `${base}/Microsoft.Network/loadBalancers/${names.pool}-lb`
  return {
    subnet: `${base}/Microsoft.Network/virtualNetworks/${names.pool}-vnet/subnets/default`,
    nsg: `${base}/Microsoft.Network/networkSecurityGroups/${names.pool}-nsg`,
    publicIp: `${base}/Microsoft.Network/publicIPAddresses/${names.pool}-ip`,
    loadBalancer: lb,
    frontend: `${lb}/frontendIPConfigurations/frontend`,
    backendPool: `${lb}/backendAddressPools/backend`,
    probe: `${lb}/probes/jupyterhub`,
    natPool: `${lb}/inboundNatPools/ssh`,
    scaleSet: `${base}/Microsoft.Compute/virtualMachineScaleSets/${names.pool}`,
  }
}

/** Creates the group and the network a pool needs. */
export async function createPoolNetwork(
  env: TestSandbox,
  clients: Clients,
  names: PoolNames,
  natPorts = 120,
  subnetPrefix = '10.0.0.0/24',
): Promise<void> {
  const id = ids(env.sandbox.subscriptionId, names)
  const { location, resourceGroup, pool } = names
  await clients.resources.resourceGroups.createOrUpdate(resourceGroup, { location })
  await finish(
    env,
    clients.network.virtualNetworks.beginCreateOrUpdate(
      resourceGroup,
      `${pool}-vnet`,
      {
        location,
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ name: 'default', addressPrefix: subnetPrefix }],
      },
      poll,
    ),
  )
  await finish(
    env,
    clients.network.networkSecurityGroups.beginCreateOrUpdate(
      resourceGroup,
      `${pool}-nsg`,
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
          {
            name: 'jupyterhub',
            protocol: 'Tcp',
            sourcePortRange: '*',
            destinationPortRange: '8000',
            sourceAddressPrefix: '*',
            destinationAddressPrefix: '*',
            access: 'Allow',
            priority: 1010,
            direction: 'Inbound',
          },
        ],
      },
      poll,
    ),
  )
  await finish(
    env,
    clients.network.publicIPAddresses.beginCreateOrUpdate(
      resourceGroup,
      `${pool}-ip`,
      {
        location,
        sku: { name: 'Standard' },
        publicIPAllocationMethod: 'Static',
        dnsSettings: {
          domainNameLabel: `${pool}-${resourceGroup}`.toLowerCase().replace(/[^a-z0-9-]/g, ''),
        },
      },
      poll,
    ),
  )
  await finish(
    env,
    clients.network.loadBalancers.beginCreateOrUpdate(
      resourceGroup,
      `${pool}-lb`,
      {
        location,
        sku: { name: 'Standard' },
        frontendIPConfigurations: [{ name: 'frontend', publicIPAddress: { id: id.publicIp } }],
        backendAddressPools: [{ name: 'backend' }],
        probes: [
          {
            name: 'jupyterhub',
            protocol: 'Tcp',
            port: 8000,
            intervalInSeconds: 5,
            numberOfProbes: 2,
          },
        ],
        loadBalancingRules: [
          {
            name: 'jupyterhub',
            frontendIPConfiguration: { id: id.frontend },
            backendAddressPool: { id: id.backendPool },
            probe: { id: id.probe },
            protocol: 'Tcp',
            frontendPort: 8000,
            backendPort: 8000,
          },
        ],
        inboundNatPools: [
          {
            name: 'ssh',
            frontendIPConfiguration: { id: id.frontend },
            protocol: 'Tcp',
            frontendPortRangeStart: 50000,
            frontendPortRangeEnd: 50000 + natPorts - 1,
            backendPort: 22,
          },
        ],
      },
      poll,
    ),
  )
}

export function scaleSetModel(
  env: TestSandbox,
  names: PoolNames,
  overrides: {
    vmSize?: string
    capacity?: number
    spot?: 'Deallocate' | 'Delete'
    plan?: boolean
    singlePlacementGroup?: boolean
  } = {},
): VirtualMachineScaleSet {
  const id = ids(env.sandbox.subscriptionId, names)
  return {
    location: names.location,
    tags: { 'dsvm-pool': names.pool },
    sku: {
      name: overrides.vmSize ?? 'Standard_D4s_v5',
      tier: 'Standard',
      capacity: overrides.capacity ?? 2,
    },
    ...(overrides.plan
      ? { plan: { name: '2204-gen2', publisher: 'microsoft-dsvm', product: 'ubuntu-2204' } }
      : {}),
    upgradePolicy: { mode: 'Manual' },
    ...(overrides.singlePlacementGroup === false ? { singlePlacementGroup: false } : {}),
    virtualMachineProfile: {
      ...(overrides.spot
        ? { priority: 'Spot', evictionPolicy: overrides.spot, billingProfile: { maxPrice: -1 } }
        : {}),
      storageProfile: {
        imageReference: {
          publisher: 'microsoft-dsvm',
          offer: 'ubuntu-2204',
          sku: '2204-gen2',
          version: 'latest',
        },
        osDisk: {
          createOption: 'FromImage',
          caching: 'ReadWrite',
          managedDisk: { storageAccountType: 'Premium_LRS' },
        },
      },
      osProfile: {
        computerNamePrefix: names.pool,
        adminUsername: 'azureuser',
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: {
            publicKeys: [
              {
                path: '/home/azureuser/.ssh/authorized_keys',
                keyData: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH1 sandbox',
              },
            ],
          },
        },
      },
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: 'nic',
            primary: true,
            networkSecurityGroup: { id: id.nsg },
            ipConfigurations: [
              {
                name: 'ipconfig',
                subnet: { id: id.subnet },
                loadBalancerBackendAddressPools: [{ id: id.backendPool }],
                loadBalancerInboundNatPools: [{ id: id.natPool }],
              },
            ],
          },
        ],
      },
    },
  }
}
