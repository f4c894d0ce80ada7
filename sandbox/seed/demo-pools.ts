import type { InternalRequest, SandboxContext } from '../core/context'
import type { Principal, SandboxReply } from '../core/http'
import { makeManager } from '../arm/authorization/access'
import type { SandboxModule } from '../core/module'
import { setInstanceCpu } from '../arm/compute/cpu'
import { settleNow } from '../arm/compute/lifecycle'
import { getScaleSet } from '../arm/compute/model'
import { poolTags } from '../../shared/pool-tags'
import { demoPoolHistories } from './cost-history'
import { subscriptions, users } from './directory'

/**
 * The demo seed's pools, created through the providers' own PUT handlers as a seeded Owner
 * (so quota, SKU and reference checks apply), then brought to their final state at once:
 * 'team-pool' with three running Standard_D4s_v5 instances, and 'gpu-pool' scaled to zero
 * with the capacity to restore in its tag and autoscale switched off. Names and groups are
 * the ones the demo spend history (cost-history.ts) bills.
 */

interface DemoPool {
  pool: string
  resourceGroup: string
  location: string
  vmSize: string
  capacity: number
  storageAccount: string
  /** Set on a pool that is scaled to zero: the capacity to restore. */
  restoreCapacity?: number
  /** Percentage CPU of the running instances (between the rules' thresholds, so it holds). */
  cpu?: number[]
}

const history = (pool: string) => {
  const found = demoPoolHistories.find((h) => h.pool === pool)
  if (!found) throw new Error(`No demo history for ${pool}`)
  return found
}

export const demoPools: DemoPool[] = [
  { ...pick(history('team-pool')), capacity: 3, cpu: [42, 55, 37] },
  { ...pick(history('gpu-pool')), capacity: 0, restoreCapacity: 2 },
]

function pick(h: ReturnType<typeof history>) {
  return {
    pool: h.pool,
    resourceGroup: h.resourceGroup,
    location: h.location,
    vmSize: h.vmSize,
    storageAccount: h.storageAccount,
  }
}

const owner = users[0]!
const ownerPrincipal: Principal = {
  oid: owner.oid,
  tenantId: owner.homeTenantId,
  username: owner.username,
  audience: 'https://management.azure.com',
  scopes: ['user_impersonation'],
}
const shareName = 'notebooks'
const demoSshKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoSandboxKeyForTheTeamPoolOnlyNotARealKey0000 demo@sandbox'

async function call(
  ctx: SandboxContext,
  method: string,
  path: string,
  apiVersion: string,
  body?: unknown,
): Promise<SandboxReply> {
  const request: InternalRequest = {
    method,
    path: `${path}?api-version=${apiVersion}`,
    principal: ownerPrincipal,
    ...(body === undefined ? {} : { body }),
  }
  const reply = await ctx.dispatch(request)
  if (reply.status >= 400) {
    throw new Error(
      `Demo seed: ${method} ${path} failed with ${reply.status}: ${JSON.stringify(reply.body)}`,
    )
  }
  // Long-running operations end now rather than after their sandbox duration.
  const headers = reply.headers ?? {}
  const operationUrl = String(headers['Azure-AsyncOperation'] ?? headers.Location ?? '')
  const operationId = /\/(?:operations|operationResults)\/([^/?]+)/i.exec(operationUrl)?.[1]
  if (operationId) ctx.lro.completeNow(operationId)
  return reply
}

function tagsFor(pool: DemoPool): Record<string, string> {
  return {
    [poolTags.pool]: pool.pool,
    [poolTags.owner]: owner.username,
    [poolTags.templateVersion]: '1',
  }
}

async function createPool(
  ctx: SandboxContext,
  subscriptionId: string,
  pool: DemoPool,
): Promise<void> {
  const group = `/subscriptions/${subscriptionId}/resourceGroups/${pool.resourceGroup}`
  const network = `${group}/providers/Microsoft.Network`
  const lb = `${network}/loadBalancers/${pool.pool}-lb`
  const tags = tagsFor(pool)
  const { location } = pool

  await call(ctx, 'PUT', group, '2024-11-01', { location, tags: { [poolTags.pool]: pool.pool } })
  await call(ctx, 'PUT', `${network}/virtualNetworks/${pool.pool}-vnet`, '2024-07-01', {
    location,
    tags,
    properties: {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24' } }],
    },
  })
  const rule = (name: string, port: string, priority: number) => ({
    name,
    properties: {
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: port,
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
      access: 'Allow',
      priority,
      direction: 'Inbound',
    },
  })
  await call(ctx, 'PUT', `${network}/networkSecurityGroups/${pool.pool}-nsg`, '2024-07-01', {
    location,
    tags,
    properties: { securityRules: [rule('ssh', '22', 1000), rule('jupyterhub', '8000', 1010)] },
  })
  await call(ctx, 'PUT', `${network}/publicIPAddresses/${pool.pool}-ip`, '2024-07-01', {
    location,
    tags,
    sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      publicIPAllocationMethod: 'Static',
      dnsSettings: { domainNameLabel: `${pool.pool}-contoso` },
    },
  })
  await call(ctx, 'PUT', lb, '2024-07-01', {
    location,
    tags,
    sku: { name: 'Standard' },
    properties: {
      frontendIPConfigurations: [
        {
          name: 'frontend',
          properties: { publicIPAddress: { id: `${network}/publicIPAddresses/${pool.pool}-ip` } },
        },
      ],
      backendAddressPools: [{ name: 'backend' }],
      probes: [
        {
          name: 'jupyterhub',
          properties: { protocol: 'Tcp', port: 8000, intervalInSeconds: 5, numberOfProbes: 2 },
        },
      ],
      loadBalancingRules: [
        {
          name: 'jupyterhub',
          properties: {
            frontendIPConfiguration: { id: `${lb}/frontendIPConfigurations/frontend` },
            backendAddressPool: { id: `${lb}/backendAddressPools/backend` },
            probe: { id: `${lb}/probes/jupyterhub` },
            protocol: 'Tcp',
            frontendPort: 8000,
            backendPort: 8000,
            idleTimeoutInMinutes: 30,
          },
        },
      ],
      inboundNatPools: [
        {
          name: 'ssh',
          properties: {
            frontendIPConfiguration: { id: `${lb}/frontendIPConfigurations/frontend` },
            protocol: 'Tcp',
            frontendPortRangeStart: 50000,
            frontendPortRangeEnd: 50119,
            backendPort: 22,
          },
        },
      ],
    },
  })
  await createShare(ctx, group, pool, tags)

  const scaleSetPath = `${group}/providers/Microsoft.Compute/virtualMachineScaleSets/${pool.pool}`
  await call(ctx, 'PUT', scaleSetPath, '2024-11-01', {
    location,
    tags:
      pool.restoreCapacity === undefined
        ? tags
        : { ...tags, [poolTags.restoreCapacity]: String(pool.restoreCapacity) },
    sku: { name: pool.vmSize, tier: 'Standard', capacity: pool.capacity },
    properties: {
      singlePlacementGroup: false,
      overprovision: false,
      upgradePolicy: { mode: 'Manual' },
      virtualMachineProfile: {
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
          computerNamePrefix: pool.pool.replace(/-/g, ''),
          adminUsername: 'azureuser',
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: {
              publicKeys: [{ path: '/home/azureuser/.ssh/authorized_keys', keyData: demoSshKey }],
            },
          },
        },
        networkProfile: {
          networkInterfaceConfigurations: [
            {
              name: 'nic',
              properties: {
                primary: true,
                networkSecurityGroup: { id: `${network}/networkSecurityGroups/${pool.pool}-nsg` },
                ipConfigurations: [
                  {
                    name: 'ipconfig',
                    properties: {
                      subnet: {
                        id: `${network}/virtualNetworks/${pool.pool}-vnet/subnets/default`,
                      },
                      loadBalancerBackendAddressPools: [
                        { id: `${lb}/backendAddressPools/backend` },
                      ],
                      loadBalancerInboundNatPools: [{ id: `${lb}/inboundNatPools/ssh` }],
                    },
                  },
                ],
              },
            },
          ],
        },
        // Members sign in with their Microsoft accounts (docs/team.md), as the app's template does.
        extensionProfile: {
          extensions: [
            {
              name: 'AADSSHLoginForLinux',
              properties: {
                publisher: 'Microsoft.Azure.ActiveDirectory',
                type: 'AADSSHLoginForLinux',
                typeHandlerVersion: '1.0',
                autoUpgradeMinorVersion: true,
              },
            },
          ],
        },
      },
    },
  })
  const scaleSet = getScaleSet(ctx, scaleSetPath)
  if (scaleSet) {
    settleNow(ctx, scaleSet)
    pool.cpu?.forEach((percent, index) => setInstanceCpu(ctx, scaleSet.id, percent, String(index)))
  }

  await call(
    ctx,
    'PUT',
    `${group}/providers/Microsoft.Insights/autoscalesettings/${pool.pool}-autoscale`,
    '2022-10-01',
    {
      location,
      tags,
      properties: {
        enabled: pool.restoreCapacity === undefined,
        targetResourceUri: scaleSetPath,
        // The running pool follows its load all day; the GPU pool keeps a weekday schedule
        // (switched off while it is scaled to zero, as the app does).
        profiles:
          pool.restoreCapacity === undefined
            ? [loadProfile('Load', scaleSetPath, pool)]
            : [
                { ...loadProfile('Working hours', scaleSetPath, pool), recurrence: weekdaysAt(8) },
                offHours(),
              ],
      },
    },
  )
}

/** Capacity bounds and CPU rules, as the app's autoscale editor writes them. */
function loadProfile(name: string, scaleSetId: string, pool: DemoPool) {
  const maximum = String(Math.max(pool.capacity, pool.restoreCapacity ?? 0, 5))
  const trigger = (operator: string, threshold: number) => ({
    metricName: 'Percentage CPU',
    metricResourceUri: scaleSetId,
    timeGrain: 'PT1M',
    statistic: 'Average',
    timeWindow: 'PT10M',
    timeAggregation: 'Average',
    operator,
    threshold,
  })
  return {
    name,
    capacity: { minimum: '1', maximum, default: String(pool.restoreCapacity ?? pool.capacity) },
    rules: [
      {
        metricTrigger: trigger('GreaterThan', 75),
        scaleAction: { direction: 'Increase', type: 'ChangeCount', value: '1', cooldown: 'PT10M' },
      },
      {
        metricTrigger: trigger('LessThan', 20),
        scaleAction: { direction: 'Decrease', type: 'ChangeCount', value: '1', cooldown: 'PT15M' },
      },
    ],
  }
}

/** Zero instances from 18:00 Eastern on weekdays until the working-hours profile starts again. */
function offHours() {
  return {
    name: JSON.stringify({ name: 'Off hours', for: 'Working hours' }),
    capacity: { minimum: '0', maximum: '0', default: '0' },
    rules: [],
    recurrence: weekdaysAt(18),
  }
}

function weekdaysAt(hour: number) {
  return {
    frequency: 'Week',
    schedule: {
      timeZone: 'Eastern Standard Time',
      days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      hours: [hour],
      minutes: [0],
    },
  }
}

/** The pool's storage account and share, through the storage provider when it is installed. */
async function createShare(
  ctx: SandboxContext,
  group: string,
  pool: DemoPool,
  tags: Record<string, string>,
): Promise<void> {
  const account = `${group}/providers/Microsoft.Storage/storageAccounts/${pool.storageAccount}`
  const created = await ctx.dispatch({
    method: 'PUT',
    path: `${account}?api-version=2023-05-01`,
    principal: ownerPrincipal,
    body: {
      location: pool.location,
      tags,
      sku: { name: 'Standard_LRS' },
      kind: 'StorageV2',
      properties: { minimumTlsVersion: 'TLS1_2' },
    },
  })
  if (created.status === 404 && JSON.stringify(created.body).includes('InvalidResourceType')) return
  if (created.status >= 400)
    throw new Error(
      `Demo seed: storage account failed with ${created.status}: ${JSON.stringify(created.body)}`,
    )
  const headers = created.headers ?? {}
  const operationId = /\/(?:operations|operationResults|asyncoperations)\/([^/?]+)/i.exec(
    String(headers.Location ?? headers['Azure-AsyncOperation'] ?? ''),
  )?.[1]
  if (operationId) ctx.lro.completeNow(operationId)
  await call(ctx, 'PUT', `${account}/fileServices/default/shares/${shareName}`, '2023-05-01', {
    properties: { shareQuota: 100, accessTier: 'TransactionOptimized' },
  })
}

/** Runs after every provider is installed: 'demo' seeds the two pools in subscription 1. */
export const demoPoolsModule: SandboxModule = {
  name: 'demo-pools',
  install() {},
  async seed(ctx, seed) {
    if (seed !== 'demo') return
    const subscriptionId = subscriptions[0]!.id
    for (const pool of demoPools) await createPool(ctx, subscriptionId, pool)
    // Their creator, Ada, is each pool's first Manager (docs/team.md).
    for (const pool of demoPools)
      makeManager(
        ctx.state,
        `/subscriptions/${subscriptionId}/resourceGroups/${pool.resourceGroup}`,
        owner.oid,
      )
  },
}
