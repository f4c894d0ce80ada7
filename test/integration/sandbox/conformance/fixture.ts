import { generateKeyPairSync } from 'node:crypto'
import type { Wire } from './wire'

/**
 * The resources the examples' requests need to exist first (a scale set for its VMs, a
 * load balancer for its NAT rules ...), created once over the wire with the API versions
 * of the examples. Each part is created on first use; a part that fails makes every case
 * that needs it fail with the reason.
 */
export interface ConformanceNames {
  subscriptionId: string
  resourceGroup: string
  location: string
  vnet: string
  subnet: string
  nsg: string
  publicIp: string
  loadBalancer: string
  frontend: string
  backendPool: string
  natPool: string
  probe: string
  rule: string
  scaleSet: string
  vmSize: string
  storageAccount: string
  share: string
  autoscale: string
}

export type FixturePart =
  'resourceGroup' | 'network' | 'scaleSet' | 'opsScaleSet' | 'storage' | 'autoscale'

const versions = {
  resources: '2024-11-01',
  network: '2024-07-01',
  compute: '2024-11-01',
  storage: '2025-01-01',
  monitor: '2022-10-01',
}

/** An OpenSSH public key, as a user pastes it into a template. */
export function sshPublicKey(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = publicKey.export({ format: 'jwk' })
  const mpint = (b64url: string) => {
    let bytes = Buffer.from(b64url, 'base64url')
    if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes])
    return bytes
  }
  const field = (data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    return Buffer.concat([length, data])
  }
  const blob = Buffer.concat([
    field(Buffer.from('ssh-rsa')),
    field(mpint(jwk.e!)),
    field(mpint(jwk.n!)),
  ])
  return `ssh-rsa ${blob.toString('base64')} conformance@sandbox`
}

export class ConformanceFixture {
  readonly names: ConformanceNames
  private readonly parts = new Map<FixturePart, Promise<void>>()

  constructor(
    private readonly wire: Wire,
    subscriptionId: string,
  ) {
    this.names = {
      subscriptionId,
      resourceGroup: 'conformance-rg',
      location: 'eastus',
      vnet: 'conf-vnet',
      subnet: 'default',
      nsg: 'conf-nsg',
      publicIp: 'conf-ip',
      loadBalancer: 'conf-lb',
      frontend: 'conf-frontend',
      backendPool: 'conf-backend',
      natPool: 'conf-ssh',
      probe: 'conf-probe',
      rule: 'conf-jupyter',
      scaleSet: 'conf-vmss',
      vmSize: 'Standard_D2s_v5',
      storageAccount: 'confstore0001',
      share: 'confshare',
      autoscale: 'conf-autoscale',
    }
  }

  /** Resource group path prefix: /subscriptions/{id}/resourceGroups/{rg} */
  get rgPath(): string {
    return `/subscriptions/${this.names.subscriptionId}/resourceGroups/${this.names.resourceGroup}`
  }

  id(provider: string, ...segments: string[]): string {
    return `${this.rgPath}/providers/${provider}/${segments.join('/')}`
  }

  /** Creates the part (and what it depends on) once; later calls share the outcome. */
  need(part: FixturePart): Promise<void> {
    let pending = this.parts.get(part)
    if (!pending) {
      pending = this.create(part)
      this.parts.set(part, pending)
    }
    return pending
  }

  private async create(part: FixturePart): Promise<void> {
    const n = this.names
    switch (part) {
      case 'resourceGroup':
        await this.wire.ensure(
          {
            method: 'PUT',
            path: `/subscriptions/${n.subscriptionId}/resourcegroups/${n.resourceGroup}?api-version=${versions.resources}`,
            body: { location: n.location },
          },
          'resource group',
        )
        return
      case 'network':
        await this.need('resourceGroup')
        await this.createNetwork()
        return
      case 'scaleSet':
        await this.need('network')
        await this.createScaleSet(n.scaleSet, this.scaleSetBody())
        return
      case 'opsScaleSet':
        // A second scale set, outside the load balancer, for the examples that stop or delete.
        await this.need('network')
        await this.createScaleSet(
          'conf-ops-vmss',
          this.scaleSetBody({ name: 'conf-ops-vmss', loadBalancer: false }),
        )
        return
      case 'storage':
        await this.need('resourceGroup')
        await this.wire.ensure(
          {
            method: 'PUT',
            path: `${this.id('Microsoft.Storage', 'storageAccounts', n.storageAccount)}?api-version=${versions.storage}`,
            body: {
              sku: { name: 'Standard_LRS' },
              kind: 'StorageV2',
              location: n.location,
              properties: { minimumTlsVersion: 'TLS1_2' },
            },
          },
          'storage account',
        )
        await this.wire.ensure(
          {
            method: 'PUT',
            path: `${this.id('Microsoft.Storage', 'storageAccounts', n.storageAccount, 'fileServices', 'default', 'shares', n.share)}?api-version=${versions.storage}`,
            body: { properties: { shareQuota: 100, accessTier: 'TransactionOptimized' } },
          },
          'file share',
        )
        return
      case 'autoscale':
        await this.need('scaleSet')
        await this.wire.ensure(
          {
            method: 'PUT',
            path: `${this.id('Microsoft.Insights', 'autoscalesettings', n.autoscale)}?api-version=${versions.monitor}`,
            body: this.autoscaleBody(),
          },
          'autoscale setting',
        )
        return
    }
  }

  /** A pool's autoscale setting: CPU rules and a working-hours profile. */
  autoscaleBody(): Record<string, unknown> {
    const target = this.id('Microsoft.Compute', 'virtualMachineScaleSets', this.names.scaleSet)
    const rule = (direction: 'Increase' | 'Decrease', operator: string, threshold: number) => ({
      metricTrigger: {
        metricName: 'Percentage CPU',
        metricResourceUri: target,
        timeGrain: 'PT1M',
        statistic: 'Average',
        timeWindow: 'PT5M',
        timeAggregation: 'Average',
        operator,
        threshold,
        dividePerInstance: false,
      },
      scaleAction: { direction, type: 'ChangeCount', value: '1', cooldown: 'PT5M' },
    })
    return {
      location: this.names.location,
      tags: { 'dsvm-pool': 'conformance' },
      properties: {
        enabled: true,
        targetResourceUri: target,
        profiles: [
          {
            // A fixed-date profile first, as in Microsoft's example: a maintenance window.
            name: 'maintenance-window',
            capacity: { minimum: '0', maximum: '2', default: '0' },
            rules: [rule('Increase', 'GreaterThan', 70), rule('Decrease', 'LessThan', 10)],
            fixedDate: {
              timeZone: 'UTC',
              start: '2026-12-24T18:00:00Z',
              end: '2026-12-27T08:00:00Z',
            },
          },
          {
            name: 'working-hours',
            capacity: { minimum: '0', maximum: '4', default: '1' },
            rules: [rule('Increase', 'GreaterThan', 70), rule('Decrease', 'LessThan', 10)],
            recurrence: {
              frequency: 'Week',
              schedule: {
                timeZone: 'UTC',
                days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
                hours: [8],
                minutes: [0],
              },
            },
          },
        ],
        notifications: [
          {
            operation: 'Scale',
            email: {
              sendToSubscriptionAdministrator: false,
              sendToSubscriptionCoAdministrators: false,
              customEmails: ['ada@contoso.example'],
            },
            webhooks: [{ serviceUri: 'https://hooks.contoso.example/pool-scaled', properties: {} }],
          },
        ],
      },
    }
  }

  private async createNetwork(): Promise<void> {
    const n = this.names
    const net = (type: string, name: string, body: unknown, what: string) =>
      this.wire.ensure(
        {
          method: 'PUT',
          path: `${this.id('Microsoft.Network', type, name)}?api-version=${versions.network}`,
          body,
        },
        what,
      )
    await net(
      'networkSecurityGroups',
      n.nsg,
      {
        location: n.location,
        properties: {
          securityRules: [
            {
              name: 'allow-jupyterhub',
              properties: {
                protocol: 'Tcp',
                sourcePortRange: '*',
                destinationPortRange: '8000',
                sourceAddressPrefix: '*',
                destinationAddressPrefix: '*',
                access: 'Allow',
                priority: 1000,
                direction: 'Inbound',
              },
            },
          ],
        },
      },
      'network security group',
    )
    await net(
      'virtualNetworks',
      n.vnet,
      {
        location: n.location,
        properties: {
          addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
          subnets: [
            {
              name: n.subnet,
              properties: {
                addressPrefix: '10.0.0.0/24',
                networkSecurityGroup: {
                  id: this.id('Microsoft.Network', 'networkSecurityGroups', n.nsg),
                },
              },
            },
          ],
        },
      },
      'virtual network',
    )
    await net(
      'publicIPAddresses',
      n.publicIp,
      {
        location: n.location,
        sku: { name: 'Standard', tier: 'Regional' },
        properties: {
          publicIPAllocationMethod: 'Static',
          publicIPAddressVersion: 'IPv4',
          idleTimeoutInMinutes: 4,
          dnsSettings: { domainNameLabel: 'conformance-pool' },
        },
      },
      'public IP address',
    )
    const lbId = this.id('Microsoft.Network', 'loadBalancers', n.loadBalancer)
    await net(
      'loadBalancers',
      n.loadBalancer,
      {
        location: n.location,
        sku: { name: 'Standard', tier: 'Regional' },
        properties: {
          frontendIPConfigurations: [
            {
              name: n.frontend,
              properties: {
                publicIPAddress: {
                  id: this.id('Microsoft.Network', 'publicIPAddresses', n.publicIp),
                },
              },
            },
          ],
          // The second pool is for the example that puts its own scale set behind the balancer.
          backendAddressPools: [{ name: n.backendPool }, { name: `${n.backendPool}-2` }],
          probes: [
            {
              name: n.probe,
              properties: {
                protocol: 'Http',
                port: 8000,
                requestPath: '/hub/health',
                intervalInSeconds: 15,
                numberOfProbes: 2,
                probeThreshold: 1,
              },
            },
          ],
          loadBalancingRules: [
            {
              name: n.rule,
              properties: {
                frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/${n.frontend}` },
                backendAddressPool: { id: `${lbId}/backendAddressPools/${n.backendPool}` },
                probe: { id: `${lbId}/probes/${n.probe}` },
                protocol: 'Tcp',
                frontendPort: 8000,
                backendPort: 8000,
                idleTimeoutInMinutes: 4,
                enableFloatingIP: false,
                loadDistribution: 'Default',
                disableOutboundSnat: false,
              },
            },
          ],
          inboundNatPools: [
            {
              name: n.natPool,
              properties: {
                frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/${n.frontend}` },
                protocol: 'Tcp',
                frontendPortRangeStart: 50000,
                frontendPortRangeEnd: 50119,
                backendPort: 22,
                idleTimeoutInMinutes: 4,
                enableFloatingIP: false,
              },
            },
            {
              name: `${n.natPool}-2`,
              properties: {
                frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/${n.frontend}` },
                protocol: 'Tcp',
                frontendPortRangeStart: 50200,
                frontendPortRangeEnd: 50319,
                backendPort: 22,
              },
            },
          ],
        },
      },
      'load balancer',
    )
  }

  /** The scale set body a pool uses (Ubuntu, SSH key, behind the load balancer). */
  scaleSetBody(
    options: { name?: string; capacity?: number; loadBalancer?: boolean } = {},
  ): Record<string, unknown> {
    const n = this.names
    const name = options.name ?? n.scaleSet
    const capacity = options.capacity ?? 2
    const balanced = options.loadBalancer ?? true
    const lbId = this.id('Microsoft.Network', 'loadBalancers', n.loadBalancer)
    return {
      location: n.location,
      tags: { 'dsvm-pool': 'conformance' },
      sku: { name: n.vmSize, tier: 'Standard', capacity },
      properties: {
        overprovision: false,
        doNotRunExtensionsOnOverprovisionedVMs: false,
        singlePlacementGroup: false,
        platformFaultDomainCount: 1,
        upgradePolicy: {
          mode: 'Manual',
          automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: false },
        },
        virtualMachineProfile: {
          osProfile: {
            computerNamePrefix: 'conf',
            adminUsername: 'azureuser',
            linuxConfiguration: {
              disablePasswordAuthentication: true,
              ssh: {
                publicKeys: [
                  { path: '/home/azureuser/.ssh/authorized_keys', keyData: sshPublicKey() },
                ],
              },
            },
          },
          storageProfile: {
            imageReference: {
              publisher: 'Canonical',
              offer: '0001-com-ubuntu-server-jammy',
              sku: '22_04-lts-gen2',
              version: 'latest',
            },
            osDisk: {
              createOption: 'FromImage',
              caching: 'ReadWrite',
              managedDisk: { storageAccountType: 'Premium_LRS' },
              diskSizeGB: 128,
            },
            dataDisks: [],
          },
          networkProfile: {
            networkInterfaceConfigurations: [
              {
                name: `${name}-nic`,
                properties: {
                  primary: true,
                  networkSecurityGroup: {
                    id: this.id('Microsoft.Network', 'networkSecurityGroups', n.nsg),
                  },
                  ipConfigurations: [
                    {
                      name: `${name}-ipconfig`,
                      properties: {
                        primary: true,
                        subnet: {
                          id: `${this.id('Microsoft.Network', 'virtualNetworks', n.vnet)}/subnets/${n.subnet}`,
                        },
                        ...(balanced
                          ? {
                              loadBalancerBackendAddressPools: [
                                { id: `${lbId}/backendAddressPools/${n.backendPool}` },
                              ],
                              loadBalancerInboundNatPools: [
                                { id: `${lbId}/inboundNatPools/${n.natPool}` },
                              ],
                            }
                          : {}),
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    }
  }

  private async createScaleSet(name: string, body: Record<string, unknown>): Promise<void> {
    await this.wire.ensure(
      {
        method: 'PUT',
        path: `${this.id('Microsoft.Compute', 'virtualMachineScaleSets', name)}?api-version=${versions.compute}`,
        body,
      },
      `scale set ${name}`,
    )
  }
}
