import type { ResourceManagementClient } from '@azure/arm-resources'
import { StorageManagementClient } from '@azure/arm-storage'
import type { InternalRequest } from '../../../../sandbox/core/context'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../harness'
import { collect, resourcesClient } from '../resources/clients'
import { deploymentsClient, type DeploymentBody } from './deployments-client'
import { poolTemplate } from './pool-template'

const parameters = (values: Record<string, unknown>): DeploymentBody => ({
  properties: {
    mode: 'Incremental',
    template: poolTemplate,
    parameters: Object.fromEntries(
      Object.entries({
        sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH1 sandbox',
        ...values,
      }).map(([k, v]) => [k, { value: v }]),
    ),
  },
})

describe('deploying a pool template through the sandbox providers', () => {
  let test: TestSandbox
  let groups: ResourceManagementClient
  let deployments: ReturnType<typeof deploymentsClient>

  beforeAll(async () => {
    test = await startTestSandbox({ timeScale: 600 })
    groups = resourcesClient(test, test.credential())
    deployments = deploymentsClient(test, test.credential())
  })
  afterAll(() => test?.close())

  it('creates every resource in dependency order and answers the outputs, showing no storage key', async () => {
    await groups.resourceGroups.createOrUpdate('pool-we', { location: 'westeurope' })
    const context = test.sandbox.context
    const dispatch = context.dispatch
    const scaleSetPuts: InternalRequest[] = []
    context.dispatch = (request) => {
      if (request.method === 'PUT' && /virtualMachineScaleSets\/[^/]+\?/.test(request.path))
        scaleSetPuts.push(request)
      return dispatch(request)
    }
    const done = await deployments.beginCreateOrUpdateAndWait(
      'pool-we',
      'dsvm-pool',
      parameters({ poolName: 'teampool', storageAccountName: 'teampoolfiles' }),
    )
    expect(done.properties.provisioningState).toBe('Succeeded')
    const fqdn = done.properties.outputs!.fqdn!.value as string
    expect(fqdn).toMatch(/^teampool-[a-z2-7]{13}\.westeurope\.cloudapp\.azure\.com$/)
    expect(done.properties.outputs!.jupyterHubUrl!.value).toBe(`https://${fqdn}:8000`)

    const operations = await collect(deployments.listOperations('pool-we', 'dsvm-pool'))
    const targets = operations
      .filter((o) => o.properties.targetResource)
      .map((o) => o.properties.targetResource!.resourceType)
    expect(targets.sort()).toEqual(
      [
        'Microsoft.Compute/virtualMachineScaleSets',
        'Microsoft.Insights/autoscalesettings',
        'Microsoft.Network/loadBalancers',
        'Microsoft.Network/networkSecurityGroups',
        'Microsoft.Network/publicIPAddresses',
        'Microsoft.Network/virtualNetworks',
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Storage/storageAccounts/fileServices/shares',
      ].sort(),
    )
    expect(operations.every((o) => o.properties.provisioningState === 'Succeeded')).toBe(true)

    const listed = await collect(
      groups.resources.list({ filter: "tagName eq 'dsvm-pool' and tagValue eq 'teampool'" }),
    )
    expect(listed.map((r) => r.type!.toLowerCase()).sort()).toEqual([
      'microsoft.compute/virtualmachinescalesets',
      'microsoft.insights/autoscalesettings',
      'microsoft.network/loadbalancers',
      'microsoft.network/networksecuritygroups',
      'microsoft.network/publicipaddresses',
      'microsoft.network/virtualnetworks',
      'microsoft.storage/storageaccounts',
    ])

    const visible = JSON.stringify([done, operations, listed])
    const scaleSet = test.sandbox.context.resources.list({
      subscriptionId: test.sandbox.subscriptionId,
      type: 'Microsoft.Compute/virtualMachineScaleSets',
    })[0]!
    expect(scaleSet.sku).toMatchObject({ name: 'Standard_D4s_v5' })
    for (const text of [visible, JSON.stringify(scaleSet.properties)])
      expect(text).not.toMatch(/storageAccountKey/)

    // The provider received the key from listKeys() in protectedSettings, as the deployer.
    context.dispatch = dispatch
    const storage = new StorageManagementClient(test.credential(), test.sandbox.subscriptionId, {
      endpoint: test.sandbox.armEndpoint,
      tlsOptions: { ca: test.sandbox.caCert },
    })
    const { keys } = await storage.storageAccounts.listKeys('pool-we', 'teampoolfiles')
    expect(scaleSetPuts).toHaveLength(1)
    expect(scaleSetPuts[0]!.principal.username).toBe('ada@contoso.example')
    expect(scaleSetPuts[0]!.body).toMatchObject({
      properties: {
        virtualMachineProfile: {
          extensionProfile: {
            extensions: [
              {
                properties: {
                  protectedSettings: {
                    storageAccountName: 'teampoolfiles',
                    storageAccountKey: keys![0]!.value,
                  },
                },
              },
            ],
          },
        },
      },
    })
  })

  it('shows no change in a what-if of the same parameters, and the change of a new size', async () => {
    const same = await deployments.beginWhatIfAndWait(
      'pool-we',
      'dsvm-pool',
      parameters({ poolName: 'teampool', storageAccountName: 'teampoolfiles' }),
    )
    expect(
      same.changes
        .filter((c) => c.changeType !== 'NoChange')
        .map((c) => [c.resourceId, c.changeType, c.delta]),
    ).toEqual([])
    const bigger = await deployments.beginWhatIfAndWait(
      'pool-we',
      'dsvm-pool',
      parameters({
        poolName: 'teampool',
        storageAccountName: 'teampoolfiles',
        vmSku: 'Standard_D8s_v5',
      }),
    )
    const modified = bigger.changes.filter((c) => c.changeType === 'Modify')
    expect(modified.map((c) => [c.resourceId.split('/').pop(), c.delta])).toEqual([
      [
        'teampool',
        [
          {
            path: 'sku.name',
            propertyChangeType: 'Modify',
            before: 'Standard_D4s_v5',
            after: 'Standard_D8s_v5',
          },
        ],
      ],
    ])
  })

  it('fails on quota with OperationNotAllowed naming limit, usage and need', async () => {
    await groups.resourceGroups.createOrUpdate('pool-quota', { location: 'westeurope' })
    await expect(
      deployments.beginCreateOrUpdateAndWait(
        'pool-quota',
        'big',
        parameters({ poolName: 'bigpool', storageAccountName: 'bigpoolfiles', instanceCount: 40 }),
      ),
    ).rejects.toThrow(/DeploymentFailed/)
    const failed = await deployments.get('pool-quota', 'big')
    expect(failed.properties.error!.details).toEqual([
      expect.objectContaining({
        code: 'OperationNotAllowed',
        message: expect.stringMatching(
          /Current Limit: \d+.*Current Usage: \d+.*Additional Required: \d+/s,
        ),
      }),
    ])
    const operations = await collect(deployments.listOperations('pool-quota', 'big'))
    const scaleSetOp = operations.find(
      (o) =>
        o.properties.targetResource?.resourceType === 'Microsoft.Compute/virtualMachineScaleSets',
    )!
    expect(scaleSetOp.properties).toMatchObject({
      provisioningState: 'Failed',
      statusMessage: { error: { code: 'OperationNotAllowed' } },
    })
    expect(
      operations.find(
        (o) => o.properties.targetResource?.resourceType === 'Microsoft.Insights/autoscalesettings',
      ),
    ).toBeUndefined()
  })

  it('fails with SkuNotAvailable for a size restricted in the region', async () => {
    await groups.resourceGroups.createOrUpdate('pool-sku', { location: 'westeurope' })
    await expect(
      deployments.beginCreateOrUpdateAndWait(
        'pool-sku',
        'gpu',
        parameters({
          poolName: 'gpupool',
          storageAccountName: 'gpupoolfiles',
          vmSku: 'Standard_NC24ads_A100_v4',
          instanceCount: 1,
        }),
      ),
    ).rejects.toThrow(/DeploymentFailed/)
    const failed = await deployments.get('pool-sku', 'gpu')
    expect(failed.properties.error!.details).toEqual([
      expect.objectContaining({ code: 'SkuNotAvailable' }),
    ])
  })

  it('fails with ResourcePurchaseValidationFailed until the image terms are accepted', async () => {
    await groups.resourceGroups.createOrUpdate('pool-plan', { location: 'westeurope' })
    const plan = { name: '2204-gen2', publisher: 'microsoft-dsvm', product: 'ubuntu-2204' }
    await expect(
      deployments.beginCreateOrUpdateAndWait(
        'pool-plan',
        'planned',
        parameters({
          poolName: 'planpool',
          storageAccountName: 'planpoolfiles',
          plan,
          instanceCount: 1,
        }),
      ),
    ).rejects.toThrow(/DeploymentFailed/)
    const failed = await deployments.get('pool-plan', 'planned')
    expect(failed.properties.error!.details).toEqual([
      expect.objectContaining({
        code: 'ResourcePurchaseValidationFailed',
        message: expect.stringContaining('You have not accepted the legal terms'),
      }),
    ])
  })
})
