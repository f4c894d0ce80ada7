import type { Sandbox } from '../../../../sandbox'
import { sshPublicKey, type ConformanceFixture, type FixturePart } from './fixture'
import type { Wire, WireRequest, WireResponse } from './wire'

/**
 * Which REST operation each of Microsoft's example files documents, and how to send the
 * example's request to the sandbox: the path template of the operation (the example files
 * hold only parameters), filled with the sandbox's subscription and the conformance
 * fixture's resource names, and the example's body with placeholders replaced.
 */
export interface Example {
  parameters?: Record<string, unknown>
  responses?: Record<string, { headers?: Record<string, unknown>; body?: unknown }>
  [key: string]: unknown
}

export interface CaseContext {
  sandbox: Sandbox
  wire: Wire
  fixture: ConformanceFixture
  example: Example
}

export interface ConformanceCase {
  /** Path under azure-api-examples. */
  file: string
  /** The operation id in Microsoft's REST specification. */
  operation: string
  /** Fixture parts that must exist first. */
  needs?: FixturePart[]
  /** Steps that must run just before (e.g. accept marketplace terms); failures fail the case. */
  prepare?(context: CaseContext): Promise<void>
  request(context: CaseContext): WireRequest | Promise<WireRequest>
  /**
   * The example documents the operation's final answer (200) while the first answer is a
   * 201/202: follow the operation and compare its final answer too.
   */
  followToFinal?: boolean
  /** Compare only part of the sandbox's body against the whole example body (Retail Prices items). */
  select?(body: unknown): unknown
  /** The example body to compare with when the file is not a request/response pair. */
  exampleBody?(example: Example): { status: number; body: unknown }
  /** Keys that are user data at these paths (tags ...): only the type is compared. */
  freeKeys?: string[]
}

const api = (example: Example) => String(example.parameters?.['api-version'])

/** Replaces every occurrence of each placeholder in every string of a JSON value. */
export function fill<T>(value: T, replacements: Array<[string | RegExp, string]>): T {
  if (typeof value === 'string') {
    let text: string = value
    for (const [from, to] of replacements) text = text.split(from as string).join(to)
    if (replacements.some(([from]) => from instanceof RegExp)) {
      for (const [from, to] of replacements)
        if (from instanceof RegExp) text = text.replace(from, to)
    }
    return text as T
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, replacements)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fill(v, replacements)]),
    ) as T
  }
  return value
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** The value at a property path, or undefined when any step is missing. */
const dig = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
    value,
  )

/** The example's own request body, placeholders filled with the fixture's names. */
function computeBody(context: CaseContext, vmssName: string): Record<string, unknown> {
  const { fixture } = context
  const n = fixture.names
  const body = fill(clone(context.example.parameters!.parameters as Record<string, unknown>), [
    ['{subscription-id}', n.subscriptionId],
    ['myResourceGroup', n.resourceGroup],
    ['{existing-virtual-network-name}', n.vnet],
    ['{existing-subnet-name}', n.subnet],
    ['{existing-load-balancer-name}', n.loadBalancer],
    ['{existing-nat-pool-name}', `${n.natPool}-2`],
    ['{existing-backend-address-pool-name}', `${n.backendPool}-2`],
    ['{existing-storage-account-name}', n.storageAccount],
    ['{vmss-name}', vmssName],
    ['{your-username}', 'azureuser'],
    ['{your-password}', 'Conformance-Passw0rd!'],
    ['{extension-name}', 'mount-share'],
    ['{extension-Publisher}', 'Microsoft.Compute'],
    ['{extension-Type}', 'CustomScriptExtension'],
    ['{handler-version}', '1.10'],
  ])
  body.location = n.location
  const sku = body.sku as Record<string, unknown> | undefined
  if (sku) sku.name = n.vmSize
  const keys = dig(
    body,
    'properties',
    'virtualMachineProfile',
    'osProfile',
    'linuxConfiguration',
    'ssh',
    'publicKeys',
  ) as Array<Record<string, unknown>> | undefined
  for (const key of keys ?? []) key.keyData = sshPublicKey()
  return body
}

async function firstInstanceId(context: CaseContext, scaleSet: string): Promise<string> {
  const { fixture, wire } = context
  const list = await wire.send({
    method: 'GET',
    path: `${fixture.id('Microsoft.Compute', 'virtualMachineScaleSets', scaleSet, 'virtualMachines')}?api-version=2024-11-01`,
  })
  const id = (list.body as { value?: Array<{ instanceId?: string }> } | undefined)?.value?.[0]
    ?.instanceId
  if (!id)
    throw new Error(
      `The scale set ${scaleSet} has no instances to use: ${list.status} ${list.text}`,
    )
  return id
}

const vmss = (context: CaseContext, name = context.fixture.names.scaleSet, suffix = '') =>
  `${context.fixture.id('Microsoft.Compute', 'virtualMachineScaleSets', name)}${suffix}`

/** An inline template for the deployment examples (theirs point at a URL the sandbox cannot fetch). */
const inlineTemplate = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    ipName: { type: 'string', defaultValue: 'conf-deployed-ip' },
    poolTag: { type: 'string', defaultValue: 'conformance' },
  },
  resources: [
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: '2024-07-01',
      name: "[parameters('ipName')]",
      location: '[resourceGroup().location]',
      tags: { 'dsvm-pool': "[parameters('poolTag')]" },
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static' },
    },
  ],
  outputs: {
    ipId: {
      type: 'string',
      value: "[resourceId('Microsoft.Network/publicIPAddresses', parameters('ipName'))]",
    },
  },
}

function deploymentBody(context: CaseContext, poolTag?: string): Record<string, unknown> {
  const body = clone(
    context.example.parameters!.parameters as { properties: Record<string, unknown> },
  )
  delete body.properties.templateLink
  body.properties.template = inlineTemplate
  if (poolTag) body.properties.parameters = { poolTag: { value: poolTag } }
  return body
}

/** A GET on the sandbox's Retail Prices endpoint with this filter (no token, like prices.azure.com). */
const retail = (sandbox: Sandbox, filter: string): WireRequest => ({
  method: 'GET',
  anonymous: true,
  path: `${sandbox.pricesEndpoint}?$filter=${encodeURIComponent(filter)}`,
})

export const conformanceCases: ConformanceCase[] = [
  // Subscriptions and tenants
  {
    file: 'subscriptions/2019-11-01/GetSubscriptions.json',
    operation: 'Subscriptions_List',
    freeKeys: ['value[].tags'],
    request: ({ example }) => ({
      method: 'GET',
      path: `/subscriptions?api-version=${api(example)}`,
    }),
  },
  {
    file: 'subscriptions/2021-01-01/GetSubscription.json',
    operation: 'Subscriptions_Get',
    freeKeys: ['tags'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `/subscriptions/${fixture.names.subscriptionId}?api-version=${api(example)}`,
    }),
  },
  {
    file: 'subscriptions/2022-12-01/GetTenants.json',
    operation: 'Tenants_List',
    request: ({ example }) => ({ method: 'GET', path: `/tenants?api-version=${api(example)}` }),
  },

  // Resource groups and deployments
  {
    file: 'resources/2024-11-01/CreateResourceGroup.json',
    operation: 'ResourceGroups_CreateOrUpdate',
    request: ({ example, fixture }) => ({
      method: 'PUT',
      path: `/subscriptions/${fixture.names.subscriptionId}/resourcegroups/conformance-new-rg?api-version=${api(example)}`,
      body: { ...(example.parameters!.parameters as object), location: fixture.names.location },
    }),
  },
  {
    file: 'resources/2024-11-01/ForceDeleteVMsAndVMSSInResourceGroup.json',
    operation: 'ResourceGroups_Delete (forceDeletionTypes)',
    request: ({ example, fixture }) => ({
      method: 'DELETE',
      path: `/subscriptions/${fixture.names.subscriptionId}/resourcegroups/conformance-new-rg?forceDeletionTypes=${encodeURIComponent(String(example.parameters!.forceDeletionTypes))}&api-version=${api(example)}`,
    }),
  },

  // Network
  {
    file: 'network/2024-07-01/VirtualNetworkGet.json',
    operation: 'VirtualNetworks_Get',
    // With the scale set's NICs in the subnet, as in the example (subnet ipConfigurations).
    needs: ['scaleSet'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.id('Microsoft.Network', 'virtualNetworks', fixture.names.vnet)}?api-version=${api(example)}`,
    }),
  },
  {
    file: 'network/2024-07-01/NetworkSecurityGroupGet.json',
    operation: 'NetworkSecurityGroups_Get',
    needs: ['network'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.id('Microsoft.Network', 'networkSecurityGroups', fixture.names.nsg)}?api-version=${api(example)}`,
    }),
  },
  {
    file: 'network/2024-07-01/PublicIpAddressGet.json',
    operation: 'PublicIPAddresses_Get',
    needs: ['network'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.id('Microsoft.Network', 'publicIPAddresses', fixture.names.publicIp)}?api-version=${api(example)}`,
    }),
  },
  {
    file: 'network/2024-07-01/PublicIpAddressList.json',
    operation: 'PublicIPAddresses_List',
    needs: ['network'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.rgPath}/providers/Microsoft.Network/publicIPAddresses?api-version=${api(example)}`,
    }),
  },
  {
    file: 'network/2024-07-01/LoadBalancerCreateWithInboundNatPool.json',
    operation: 'LoadBalancers_CreateOrUpdate',
    needs: ['network'],
    request: ({ example, fixture }) => {
      const n = fixture.names
      const lbId = fixture.id('Microsoft.Network', 'loadBalancers', 'conf-internal-lb')
      const body = fill(clone(example.parameters!.parameters), [
        [
          '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/loadBalancers/lb',
          lbId,
        ],
        [
          '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/lbvnet/subnets/lbsubnet',
          `${fixture.id('Microsoft.Network', 'virtualNetworks', n.vnet)}/subnets/${n.subnet}`,
        ],
      ])
      return { method: 'PUT', path: `${lbId}?api-version=${api(example)}`, body }
    },
  },
  {
    file: 'network/2024-07-01/LoadBalancerGet.json',
    operation: 'LoadBalancers_Get',
    needs: ['scaleSet'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.id('Microsoft.Network', 'loadBalancers', fixture.names.loadBalancer)}?api-version=${api(example)}`,
    }),
  },
  {
    file: 'network/2024-07-01/InboundNatRuleList.json',
    operation: 'InboundNatRules_List',
    needs: ['scaleSet'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.id('Microsoft.Network', 'loadBalancers', fixture.names.loadBalancer, 'inboundNatRules')}?api-version=${api(example)}`,
    }),
  },
  {
    file: 'network/2024-07-01/VmssNetworkInterfaceList.json',
    operation: 'NetworkInterfaces_ListVirtualMachineScaleSetNetworkInterfaces',
    needs: ['scaleSet'],
    request: (context) => ({
      method: 'GET',
      path: `${vmss(context, undefined, '/networkInterfaces')}?api-version=${api(context.example)}`,
    }),
  },

  // Compute
  {
    file: 'compute/2021-07-01/ListAvailableResourceSkusForARegion.json',
    operation: 'ResourceSkus_List',
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `/subscriptions/${fixture.names.subscriptionId}/providers/Microsoft.Compute/skus?api-version=${api(example)}&$filter=${encodeURIComponent("location eq 'eastus'")}`,
    }),
  },
  {
    file: 'compute/2024-11-01/Usage_List_MaximumSet_Gen.json',
    operation: 'Usage_List',
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `/subscriptions/${fixture.names.subscriptionId}/providers/Microsoft.Compute/locations/${fixture.names.location}/usages?api-version=${api(example)}`,
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Create_WithSshAuthentication.json',
    operation: 'VirtualMachineScaleSets_CreateOrUpdate (SSH)',
    needs: ['network'],
    request: (context) => ({
      method: 'PUT',
      path: `${vmss(context, 'conf-ssh-vmss')}?api-version=${api(context.example)}`,
      body: computeBody(context, 'conf-ssh-vmss'),
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Create_WithAzureLoadBalancer.json',
    operation: 'VirtualMachineScaleSets_CreateOrUpdate (load balancer)',
    needs: ['network'],
    request: (context) => ({
      method: 'PUT',
      path: `${vmss(context, 'conf-lb-vmss')}?api-version=${api(context.example)}`,
      body: computeBody(context, 'conf-lb-vmss'),
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Create_WithExtensionsTimeBudget.json',
    operation: 'VirtualMachineScaleSets_CreateOrUpdate (extensions)',
    needs: ['network', 'storage'],
    request: (context) => ({
      method: 'PUT',
      path: `${vmss(context, 'conf-ext-vmss')}?api-version=${api(context.example)}`,
      body: computeBody(context, 'conf-ext-vmss'),
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Create_WithAMarketplaceImagePlan.json',
    operation: 'VirtualMachineScaleSets_CreateOrUpdate (marketplace plan)',
    needs: ['network'],
    async prepare({ wire, fixture, example }) {
      const plan = (
        example.parameters!.parameters as {
          plan: { publisher: string; product: string; name: string }
        }
      ).plan
      await wire.ensure(
        {
          method: 'POST',
          path: `/subscriptions/${fixture.names.subscriptionId}/providers/Microsoft.MarketplaceOrdering/agreements/${plan.publisher}/offers/${plan.product}/plans/${plan.name}/sign?api-version=2021-01-01`,
        },
        'accepting the marketplace terms',
      )
    },
    request: (context) => ({
      method: 'PUT',
      path: `${vmss(context, 'conf-plan-vmss')}?api-version=${api(context.example)}`,
      body: computeBody(context, 'conf-plan-vmss'),
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Get.json',
    operation: 'VirtualMachineScaleSets_Get',
    needs: ['scaleSet'],
    request: (context) => ({
      method: 'GET',
      path: `${vmss(context)}?api-version=${api(context.example)}`,
    }),
    freeKeys: ['tags'],
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_List_MinimumSet_Gen.json',
    operation: 'VirtualMachineScaleSets_List',
    needs: ['scaleSet'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.rgPath}/providers/Microsoft.Compute/virtualMachineScaleSets?api-version=${api(example)}`,
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Update_MinimumSet_Gen.json',
    operation: 'VirtualMachineScaleSets_Update',
    needs: ['scaleSet'],
    request: (context) => ({
      method: 'PATCH',
      path: `${vmss(context)}?api-version=${api(context.example)}`,
      body: context.example.parameters!.parameters,
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSetVM_List_MinimumSet_Gen.json',
    operation: 'VirtualMachineScaleSetVMs_List',
    needs: ['scaleSet'],
    request: (context) => ({
      method: 'GET',
      path: `${vmss(context, undefined, '/virtualMachines')}?api-version=${api(context.example)}`,
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSetVM_List_MaximumSet_Gen.json',
    operation: 'VirtualMachineScaleSetVMs_List ($expand=instanceView)',
    needs: ['scaleSet'],
    request: (context) => ({
      method: 'GET',
      path: `${vmss(context, undefined, '/virtualMachines')}?$expand=instanceView&api-version=${api(context.example)}`,
    }),
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json',
    operation: 'VirtualMachineScaleSetVMs_GetInstanceView',
    needs: ['scaleSet'],
    request: async (context) => {
      const id = await firstInstanceId(context, context.fixture.names.scaleSet)
      return {
        method: 'GET',
        path: `${vmss(context, undefined, `/virtualMachines/${id}/instanceView`)}?api-version=${api(context.example)}`,
      }
    },
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSetVM_Update_MinimumSet_Gen.json',
    operation: 'VirtualMachineScaleSetVMs_Update',
    needs: ['scaleSet'],
    request: async (context) => {
      const id = await firstInstanceId(context, context.fixture.names.scaleSet)
      return {
        method: 'PUT',
        path: `${vmss(context, undefined, `/virtualMachines/${id}`)}?api-version=${api(context.example)}`,
        body: {
          location: context.fixture.names.location,
          properties: { protectionPolicy: { protectFromScaleIn: true } },
        },
      }
    },
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Deallocate_MinimumSet_Gen.json',
    operation: 'VirtualMachineScaleSets_Deallocate',
    needs: ['opsScaleSet'],
    request: (context) => ({
      method: 'POST',
      path: `${vmss(context, 'conf-ops-vmss', '/deallocate')}?api-version=${api(context.example)}`,
    }),
    followToFinal: true,
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Start_MinimumSet_Gen.json',
    operation: 'VirtualMachineScaleSets_Start',
    needs: ['opsScaleSet'],
    request: (context) => ({
      method: 'POST',
      path: `${vmss(context, 'conf-ops-vmss', '/start')}?api-version=${api(context.example)}`,
    }),
    followToFinal: true,
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_DeleteInstances_MinimumSet_Gen.json',
    operation: 'VirtualMachineScaleSets_DeleteInstances',
    needs: ['opsScaleSet'],
    request: async (context) => {
      const id = await firstInstanceId(context, 'conf-ops-vmss')
      return {
        method: 'POST',
        path: `${vmss(context, 'conf-ops-vmss', '/delete')}?api-version=${api(context.example)}`,
        body: { instanceIds: [id] },
      }
    },
    followToFinal: true,
  },
  {
    file: 'compute/2024-11-01/VirtualMachineScaleSet_Delete_Force.json',
    operation: 'VirtualMachineScaleSets_Delete (forceDeletion)',
    needs: ['opsScaleSet'],
    request: (context) => ({
      method: 'DELETE',
      path: `${vmss(context, 'conf-ops-vmss')}?forceDeletion=true&api-version=${api(context.example)}`,
    }),
    followToFinal: true,
  },

  // Storage
  {
    file: 'storage/2025-01-01/StorageAccountCheckNameAvailability.json',
    operation: 'StorageAccounts_CheckNameAvailability',
    request: ({ example, fixture }) => ({
      method: 'POST',
      path: `/subscriptions/${fixture.names.subscriptionId}/providers/Microsoft.Storage/checkNameAvailability?api-version=${api(example)}`,
      body: example.parameters!.accountName,
    }),
  },
  {
    file: 'storage/2025-01-01/StorageAccountCreate.json',
    operation: 'StorageAccounts_Create',
    needs: ['resourceGroup'],
    request: ({ example, fixture }) => ({
      method: 'PUT',
      path: `${fixture.id('Microsoft.Storage', 'storageAccounts', 'confstore0002')}?api-version=${api(example)}`,
      body: { ...(example.parameters!.parameters as object), location: fixture.names.location },
    }),
    followToFinal: true,
    freeKeys: ['tags'],
  },
  {
    file: 'storage/2025-01-01/StorageAccountListKeys.json',
    operation: 'StorageAccounts_ListKeys',
    needs: ['storage'],
    request: ({ example, fixture }) => ({
      method: 'POST',
      path: `${fixture.id('Microsoft.Storage', 'storageAccounts', fixture.names.storageAccount, 'listKeys')}?api-version=${api(example)}`,
    }),
  },
  {
    file: 'storage/2025-01-01/FileSharesPut.json',
    operation: 'FileShares_Create',
    needs: ['storage'],
    request: ({ example, fixture }) => ({
      method: 'PUT',
      path: `${fixture.id('Microsoft.Storage', 'storageAccounts', fixture.names.storageAccount, 'fileServices', 'default', 'shares', 'confshare2')}?api-version=${api(example)}`,
      body: example.parameters!.fileShare,
    }),
  },
  {
    file: 'storage/2025-01-01/FileSharesGet.json',
    operation: 'FileShares_Get',
    needs: ['storage'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.id('Microsoft.Storage', 'storageAccounts', fixture.names.storageAccount, 'fileServices', 'default', 'shares', fixture.names.share)}?api-version=${api(example)}`,
    }),
  },

  // Monitor
  {
    file: 'monitor/2022-10-01/createOrUpdateAutoscaleSetting.json',
    operation: 'AutoscaleSettings_CreateOrUpdate',
    needs: ['scaleSet'],
    request: ({ example, fixture }) => {
      const target = fixture.id(
        'Microsoft.Compute',
        'virtualMachineScaleSets',
        fixture.names.scaleSet,
      )
      const body = fill(clone(example.parameters!.parameters as Record<string, unknown>), [
        [
          '/subscriptions/b67f7fec-69fc-4974-9099-a26bd6ffeda3/resourceGroups/TestingMetricsScaleSet/providers/Microsoft.Compute/virtualMachineScaleSets/testingsc',
          target,
        ],
      ])
      body.location = 'East US'
      return {
        method: 'PUT',
        path: `${fixture.id('Microsoft.Insights', 'autoscalesettings', 'conf-example-autoscale')}?api-version=${api(example)}`,
        body,
      }
    },
    freeKeys: ['tags'],
  },
  {
    file: 'monitor/2022-10-01/getAutoscaleSetting.json',
    operation: 'AutoscaleSettings_Get',
    needs: ['autoscale'],
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `${fixture.id('Microsoft.Insights', 'autoscalesettings', fixture.names.autoscale)}?api-version=${api(example)}`,
    }),
    freeKeys: ['tags'],
  },
  {
    file: 'monitor/2024-02-01/GetMetric.json',
    operation: 'Metrics_List',
    needs: ['scaleSet'],
    request: (context) => {
      // An hour of running instances first, then the last half hour in 5-minute points: every
      // point has data (Azure leaves the aggregates out of points without data).
      context.sandbox.clock.advance(60 * 60 * 1000)
      const end = new Date(context.sandbox.clock.now())
      const start = new Date(end.getTime() - 30 * 60 * 1000)
      const query = new URLSearchParams({
        timespan: `${start.toISOString()}/${end.toISOString()}`,
        interval: 'PT5M',
        metricnames: 'Percentage CPU',
        aggregation: 'average,minimum,maximum',
        metricnamespace: 'Microsoft.Compute/virtualMachineScaleSets',
        'api-version': api(context.example),
      })
      return {
        method: 'GET',
        path: `${vmss(context, undefined, '/providers/Microsoft.Insights/metrics')}?${query.toString()}`,
      }
    },
  },

  // Marketplace terms
  {
    file: 'marketplaceordering/2021-01-01/GetMarketplaceTerms.json',
    operation: 'MarketplaceAgreements_Get',
    request: ({ example, fixture }) => ({
      method: 'GET',
      path: `/subscriptions/${fixture.names.subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/microsoft-dsvm/offers/ubuntu-hpc/plans/2204/agreements/current?api-version=${api(example)}`,
    }),
  },
  {
    file: 'marketplaceordering/2021-01-01/SetMarketplaceTerms.json',
    operation: 'MarketplaceAgreements_Create',
    request: async ({ example, fixture, wire }) => {
      const path = `/subscriptions/${fixture.names.subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/microsoft-dsvm/offers/ubuntu-hpc/plans/2204/agreements/current?api-version=${api(example)}`
      // Accepting terms sends back what GET returned, with accepted set (as the portal and CLI do).
      const current = await wire.send({ method: 'GET', path })
      const properties = {
        ...((current.body as { properties?: object })?.properties ?? {}),
        accepted: true,
      }
      return { method: 'PUT', path, body: { properties } }
    },
  },
  {
    file: 'marketplaceordering/2021-01-01/SignMarketplaceTerms.json',
    operation: 'MarketplaceAgreements_Sign',
    request: ({ example, fixture }) => ({
      method: 'POST',
      path: `/subscriptions/${fixture.names.subscriptionId}/providers/Microsoft.MarketplaceOrdering/agreements/microsoft-dsvm/offers/ubuntu-hpc/plans/2204/sign?api-version=${api(example)}`,
    }),
  },

  // Cost Management
  {
    file: 'costmanagement/2023-11-01/ResourceGroupQuery.json',
    operation: 'Query_Usage (resource group scope)',
    needs: ['scaleSet'],
    request: ({ example, fixture }) => {
      const body = fill(clone(example.parameters!.parameters), [
        ['API', fixture.names.resourceGroup],
      ])
      return {
        method: 'POST',
        path: `${fixture.rgPath}/providers/Microsoft.CostManagement/query?api-version=${api(example)}`,
        body,
      }
    },
  },

  // Retail Prices (samples of single items, compared with an item of the sandbox's answer)
  {
    file: 'retail-prices/sample.json',
    operation: 'Retail Prices item',
    request: ({ sandbox }) =>
      retail(
        sandbox,
        "armRegionName eq 'westeurope' and skuName eq 'D4s v5 Spot' and priceType eq 'DevTestConsumption'",
      ),
    select: (body) => (body as { Items?: unknown[] }).Items?.[0],
    exampleBody: (example) => ({ status: 200, body: example }),
  },
  {
    file: 'retail-prices/sample-reservation.json',
    operation: 'Retail Prices item (reservation)',
    request: ({ sandbox }) =>
      retail(
        sandbox,
        "armRegionName eq 'southcentralus' and priceType eq 'Reservation' and armSkuName eq 'Standard_E8s_v5'",
      ),
    select: (body) => (body as { Items?: unknown[] }).Items?.[0],
    exampleBody: (example) => ({ status: 200, body: example }),
  },
  // Deployments last: the deployed public IP would otherwise be the first of the IP list.
  {
    file: 'resources/2025-04-01/PutDeploymentResourceGroup.json',
    operation: 'Deployments_CreateOrUpdate',
    needs: ['resourceGroup'],
    request: (context) => ({
      method: 'PUT',
      path: `${context.fixture.rgPath}/providers/Microsoft.Resources/deployments/conf-deploy?api-version=${api(context.example)}`,
      body: deploymentBody(context),
    }),
    freeKeys: ['properties.parameters', 'properties.outputs'],
  },
  {
    file: 'resources/2025-04-01/PostDeploymentWhatIfOnResourceGroup.json',
    operation: 'Deployments_WhatIf',
    needs: ['resourceGroup'],
    request: (context) => ({
      method: 'POST',
      path: `${context.fixture.rgPath}/providers/Microsoft.Resources/deployments/conf-whatif/whatIf?api-version=${api(context.example)}`,
      // A changed tag on the resource the deployment example created: a 'Modify' with a delta.
      body: deploymentBody(context, 'renamed'),
    }),
    followToFinal: true,
    freeKeys: ['properties.changes[].before.tags', 'properties.changes[].after.tags'],
  },
]

/** Files in azure-api-examples that are not examples of a response (documentation excerpts). */
export const notExamples: Record<string, string> = {
  'retail-prices/query-format-doc-excerpt.md': 'documentation text, not a request/response pair',
  'SOURCES.md': 'list of sources',
}

export type { WireResponse }
