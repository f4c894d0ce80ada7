import type { ResourceManagementClient } from '@azure/arm-resources'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modules } from '../../../../sandbox/modules'
import { startTestSandbox, type TestSandbox } from '../harness'
import { collect, resourcesClient } from '../resources/clients'
import { deploymentsClient, type DeploymentBody } from './deployments-client'
import { fakeProviderModule, widgetCreateMs, widgetLog } from './fake-provider'

const api = '2024-01-01'
const widget = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'Sandbox.Test/widgets',
  apiVersion: api,
  name,
  location: '[resourceGroup().location]',
  properties: { size: 'small' },
  ...extra,
})

const poolTemplate = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    poolName: { type: 'string', maxLength: 12 },
    size: { type: 'string', defaultValue: 'small', allowedValues: ['small', 'large', 'huge'] },
    count: { type: 'int', defaultValue: 2, minValue: 0, maxValue: 5 },
    adminPassword: { type: 'securestring' },
    withExtra: { type: 'bool', defaultValue: false },
  },
  variables: { store: "[concat(parameters('poolName'), 'store')]" },
  resources: [
    widget("[variables('store')]", {
      tags: { 'dsvm-pool': "[parameters('poolName')]" },
      resources: [
        {
          type: 'parts',
          apiVersion: api,
          name: 'default',
          dependsOn: ["[variables('store')]"],
          properties: { color: 'blue' },
        },
      ],
    }),
    widget("[concat(parameters('poolName'), '-net')]", { properties: { size: 'large' } }),
    widget("[concat(parameters('poolName'), '-node', copyIndex())]", {
      copy: { name: 'nodes', count: "[parameters('count')]" },
      dependsOn: [
        "[resourceId('Sandbox.Test/widgets', variables('store'))]",
        "[concat(parameters('poolName'), '-net')]",
      ],
      properties: {
        size: "[parameters('size')]",
        netSize: "[reference(concat(parameters('poolName'), '-net')).size]",
        protectedSettings: {
          storageKey:
            "[listKeys(resourceId('Sandbox.Test/widgets', variables('store')), '2024-01-01').keys[0].value]",
          password: "[parameters('adminPassword')]",
        },
        copy: [{ name: 'disks', count: 2, input: { lun: "[copyIndex('disks')]" } }],
      },
    }),
    widget('extra', { condition: "[parameters('withExtra')]" }),
  ],
  outputs: {
    store: { type: 'string', value: "[variables('store')]" },
    nodes: {
      type: 'array',
      copy: {
        count: "[parameters('count')]",
        input: "[concat(parameters('poolName'), '-node', copyIndex())]",
      },
    },
    netSize: {
      type: 'string',
      value:
        "[reference(resourceId('Sandbox.Test/widgets', concat(parameters('poolName'), '-net')), '2024-01-01').size]",
    },
  },
}

const body = (
  parameters: Record<string, unknown>,
  template: unknown = poolTemplate,
  mode: 'Incremental' | 'Complete' = 'Incremental',
): DeploymentBody => ({
  properties: {
    mode,
    template,
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, { value: v }])),
  },
})

const password = 'Sup3r-Secret!'

describe('deployments', () => {
  let test: TestSandbox
  let groups: ResourceManagementClient
  let deployments: ReturnType<typeof deploymentsClient>
  let rgId: string

  beforeAll(async () => {
    modules.push(fakeProviderModule)
    test = await startTestSandbox({ timeScale: 20 })
    groups = resourcesClient(test, test.credential())
    deployments = deploymentsClient(test, test.credential())
    rgId = (await groups.resourceGroups.createOrUpdate('pool-rg', { location: 'eastus' })).id!
  })
  afterAll(async () => {
    modules.splice(modules.indexOf(fakeProviderModule), 1)
    await test?.close()
  })

  it('deploys a template: Accepted, Running, Succeeded, in dependency order with independent resources in parallel', async () => {
    widgetLog.length = 0
    const poller = deployments.createOrUpdate(
      'pool-rg',
      'pool-1',
      body({ poolName: 'gpu', adminPassword: password }),
    )
    await poller.submitted()
    const accepted = await deployments.get('pool-rg', 'pool-1')
    expect(accepted.properties.provisioningState).toBe('Accepted')
    expect(accepted.properties.parameters.adminPassword).toEqual({ type: 'SecureString' })
    expect(accepted.properties.parameters.count).toEqual({ type: 'Int', value: 2 })

    const done = await poller.pollUntilDone()
    expect(done.properties.provisioningState).toBe('Succeeded')
    expect(done.properties.outputs).toEqual({
      store: { type: 'String', value: 'gpustore' },
      nodes: { type: 'Array', value: ['gpu-node0', 'gpu-node1'] },
      netSize: { type: 'String', value: 'large' },
    })
    expect(
      done.properties.outputResources!.map((r) => r.id.split('/').slice(-2).join('/')).sort(),
    ).toEqual([
      'parts/default',
      'widgets/gpu-net',
      'widgets/gpu-node0',
      'widgets/gpu-node1',
      'widgets/gpustore',
    ])
    expect(done.properties.providers).toEqual([
      {
        namespace: 'Sandbox.Test',
        resourceTypes: expect.arrayContaining([{ resourceType: 'widgets', locations: ['eastus'] }]),
      },
    ])

    const at = (name: string) => widgetLog.find((w) => w.name === name)!.at
    expect(at('gpu-net')).toBeLessThan(at('gpustore') + widgetCreateMs)
    expect(at('gpustore')).toBeLessThan(at('gpu-net') + widgetCreateMs)
    expect(at('gpu-node0')).toBeGreaterThanOrEqual(at('gpustore') + widgetCreateMs)
    expect(at('gpu-node1')).toBeLessThan(at('gpu-node0') + widgetCreateMs)
    expect(widgetLog.map((w) => w.name)).not.toContain('extra')

    const node = test.sandbox.context.resources.get(
      `${rgId}/providers/Sandbox.Test/widgets/gpu-node1`,
    )!
    expect(node.properties).toMatchObject({
      size: 'small',
      netSize: 'large',
      protectedSettings: { storageKey: 'secret-of-gpustore', password },
      disks: [{ lun: 0 }, { lun: 1 }],
      provisioningState: 'Succeeded',
    })
    expect(
      test.sandbox.context.resources.get(
        `${rgId}/providers/Sandbox.Test/widgets/gpustore/parts/default`,
      )?.properties,
    ).toMatchObject({ color: 'blue' })

    const operations = await collect(deployments.listOperations('pool-rg', 'pool-1'))
    const creates = operations.filter((o) => o.properties.provisioningOperation === 'Create')
    expect(creates).toHaveLength(5)
    for (const op of creates) {
      expect(op.properties).toMatchObject({
        provisioningState: 'Succeeded',
        statusCode: expect.any(String),
        targetResource: { apiVersion: api },
      })
      expect(op.id).toBe(`${done.id}/operations/${op.operationId}`)
    }
    expect(operations.at(-1)!.properties).toMatchObject({
      provisioningOperation: 'EvaluateDeploymentOutput',
      provisioningState: 'Succeeded',
    })
  })

  it('refuses invalid templates before creating anything', async () => {
    widgetLog.length = 0
    const attempt = (parameters: Record<string, unknown>, template: unknown = poolTemplate) =>
      deployments.beginCreateOrUpdateAndWait('pool-rg', 'bad', body(parameters, template))
    await expect(attempt({ poolName: 'gpu' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidTemplate',
      message: expect.stringMatching(
        /^Deployment template validation failed: 'The value for the template parameter 'adminPassword' at line '1' and column '\d+' is not provided/,
      ),
    })
    await expect(
      attempt({ poolName: 'gpu', adminPassword: password, size: 'tiny' }),
    ).rejects.toMatchObject({
      code: 'InvalidTemplate',
      message: expect.stringContaining("is not part of the allowed value(s): 'small,large,huge'"),
    })
    await expect(
      attempt({ poolName: 'much-too-long-name', adminPassword: password }),
    ).rejects.toMatchObject({ code: 'InvalidTemplate' })
    await expect(
      attempt({ poolName: 'gpu', adminPassword: password, count: 9 }),
    ).rejects.toMatchObject({ code: 'InvalidTemplate' })
    const broken = { ...poolTemplate, variables: { store: "[concatenate('a')]" } }
    await expect(
      attempt({ poolName: 'gpu', adminPassword: password }, broken),
    ).rejects.toMatchObject({
      code: 'InvalidTemplate',
      message: expect.stringContaining("The template function 'concatenate' is not valid"),
    })
    expect(widgetLog).toEqual([])
    await expect(deployments.get('pool-rg', 'bad')).rejects.toMatchObject({
      statusCode: 404,
      code: 'DeploymentNotFound',
    })
    await expect(
      deployments.beginCreateOrUpdateAndWait('no-such-rg', 'x', body({})),
    ).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' })
  })

  it("fails with DeploymentFailed and the provider's error, creating what does not depend on the failure", async () => {
    await groups.resourceGroups.createOrUpdate('quota-rg', { location: 'eastus' })
    const failure = deployments.beginCreateOrUpdateAndWait(
      'quota-rg',
      'too-big',
      body({ poolName: 'big', size: 'huge', adminPassword: password }),
    )
    // The SDK's poller reports a failed operation status as "<code>. <message>".
    await expect(failure).rejects.toThrow(
      'The long-running operation has failed. DeploymentFailed. At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.',
    )
    const deployment = await deployments.get('quota-rg', 'too-big')
    expect(deployment.properties.provisioningState).toBe('Failed')
    expect(deployment.properties.error).toMatchObject({
      code: 'DeploymentFailed',
      details: [
        {
          code: 'OperationNotAllowed',
          message: expect.stringContaining('Additional Required: 64'),
        },
        { code: 'OperationNotAllowed', message: expect.stringContaining('Current Limit: 10') },
      ],
    })
    const operations = await collect(deployments.listOperations('quota-rg', 'too-big'))
    const failed = operations.filter((o) => o.properties.provisioningState === 'Failed')
    expect(failed.map((o) => o.properties.targetResource!.resourceName).sort()).toEqual([
      'big-node0',
      'big-node1',
    ])
    expect(failed[0]!.properties).toMatchObject({
      statusCode: 'Conflict',
      statusMessage: { status: 'Failed', error: { code: 'OperationNotAllowed' } },
    })
    const created = await collect(groups.resources.listByResourceGroup('quota-rg'))
    expect(created.map((r) => r.name).sort()).toEqual(['big-net', 'bigstore'])
  })

  it('fails with ResourceNotFound when reference() names a resource that does not exist', async () => {
    const template = {
      resources: [
        widget('lonely', {
          properties: {
            peer: `[reference(resourceId('Sandbox.Test/widgets', 'ghost'), '${api}').size]`,
          },
        }),
      ],
    }
    await expect(
      deployments.beginCreateOrUpdateAndWait('pool-rg', 'ghostly', body({}, template)),
    ).rejects.toThrow(/DeploymentFailed/)
    const deployment = await deployments.get('pool-rg', 'ghostly')
    expect(deployment.properties.error!.details).toEqual([
      expect.objectContaining({
        code: 'ResourceNotFound',
        message: expect.stringContaining("'Sandbox.Test/widgets/ghost'"),
      }),
    ])
  })

  it('validates without creating anything, and reports template problems as a result', async () => {
    widgetLog.length = 0
    const valid = await deployments.beginValidateAndWait(
      'pool-rg',
      'check',
      body({ poolName: 'cpu', adminPassword: password, count: 1 }),
    )
    expect(valid.properties.provisioningState).toBe('Succeeded')
    expect(valid.properties.validatedResources!.map((r) => r.id.split('/').pop()).sort()).toEqual([
      'cpu-net',
      'cpu-node0',
      'cpustore',
      'default',
    ])
    const node0 = valid.properties.dependencies.find((d) => d.id.endsWith('cpu-node0'))!
    expect(node0.dependsOn.map((d) => d.id.split('/').pop()).sort()).toEqual([
      'cpu-net',
      'cpustore',
    ])

    // Azure answers an invalid template with 400 InvalidTemplate; the SDK's poller turns that
    // first answer into a failed operation.
    await expect(
      deployments.beginValidateAndWait('pool-rg', 'check', body({ poolName: 'cpu' })),
    ).rejects.toThrow('The long-running operation has failed')
    expect(widgetLog).toEqual([])

    const alan = deploymentsClient(test, test.credential('alan@contoso.example'))
    expect(
      (
        await alan.beginValidateAndWait(
          'pool-rg',
          'check',
          body({ poolName: 'cpu', adminPassword: password }),
        )
      ).properties.provisioningState,
    ).toBe('Succeeded')
    await expect(
      alan.beginCreateOrUpdateAndWait(
        'pool-rg',
        'alan',
        body({ poolName: 'cpu', adminPassword: password }),
      ),
    ).rejects.toMatchObject({
      statusCode: 403,
      code: 'AuthorizationFailed',
    })
  })

  it('shows what would change with what-if, without secrets', async () => {
    const existing = await deployments.beginWhatIfAndWait(
      'pool-rg',
      'pool-1',
      body({ poolName: 'gpu', adminPassword: password, size: 'large', count: 1 }),
    )
    expect(existing.status).toBe('Succeeded')
    const byName = (name: string) =>
      existing.changes.find((c) => c.resourceId.endsWith(`/${name}`))!
    expect(byName('gpustore').changeType).toBe('NoChange')
    expect(byName('gpu-node0')).toMatchObject({
      changeType: 'Modify',
      delta: expect.arrayContaining([
        { path: 'properties.size', propertyChangeType: 'Modify', before: 'small', after: 'large' },
      ]),
    })
    expect(byName('gpu-node1').changeType).toBe('Ignore')
    expect(byName('ghostly')).toBeUndefined()
    expect(JSON.stringify(existing)).not.toContain(password)
    expect(JSON.stringify(existing)).not.toContain('secret-of-')

    const fresh = await deployments.beginWhatIfAndWait(
      'pool-rg',
      'other',
      body({ poolName: 'new', adminPassword: password, count: 1 }),
    )
    const node = fresh.changes.find((c) => c.resourceId.endsWith('/new-node0'))!
    expect(node.changeType).toBe('Create')
    expect(node.after).toMatchObject({
      type: 'Sandbox.Test/widgets',
      name: 'new-node0',
      apiVersion: api,
      properties: { protectedSettings: '*******' },
    })
    expect(node.after!.properties).toMatchObject({
      netSize: "[reference(concat(parameters('poolName'), '-net')).size]",
    })
  })

  it('runs nested deployments, inner-scoped and into another group, and reads their outputs', async () => {
    await groups.resourceGroups.createOrUpdate('side-rg', { location: 'eastus' })
    const nestedTemplate = {
      parameters: { widgetName: { type: 'string' } },
      resources: [widget("[parameters('widgetName')]")],
      outputs: { where: { type: 'string', value: '[resourceGroup().name]' } },
    }
    const template = {
      parameters: { prefix: { type: 'string', defaultValue: 'nest' } },
      resources: [
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'inner',
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { widgetName: { value: "[concat(parameters('prefix'), '-a')]" } },
            template: nestedTemplate,
          },
        },
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'elsewhere',
          resourceGroup: 'side-rg',
          dependsOn: ['inner'],
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { widgetName: { value: "[concat(parameters('prefix'), '-b')]" } },
            template: nestedTemplate,
          },
        },
      ],
      outputs: {
        innerGroup: { type: 'string', value: "[reference('inner').outputs.where.value]" },
        otherGroup: {
          type: 'string',
          value:
            "[reference(resourceId('side-rg', 'Microsoft.Resources/deployments', 'elsewhere'), '2022-09-01').outputs.where.value]",
        },
      },
    }
    const done = await deployments.beginCreateOrUpdateAndWait(
      'pool-rg',
      'nesting',
      body({}, template),
    )
    expect(done.properties.outputs).toEqual({
      innerGroup: { type: 'String', value: 'pool-rg' },
      otherGroup: { type: 'String', value: 'side-rg' },
    })
    expect((await deployments.get('side-rg', 'elsewhere')).properties.provisioningState).toBe(
      'Succeeded',
    )
    const side = await collect(groups.resources.listByResourceGroup('side-rg'))
    expect(side.map((r) => r.name)).toEqual(['nest-b'])
  })

  it('in Complete mode shows and then removes what the template does not declare', async () => {
    await groups.resourceGroups.createOrUpdate('complete-rg', { location: 'eastus' })
    const both = { resources: [widget('keep'), widget('drop')] }
    await deployments.beginCreateOrUpdateAndWait('complete-rg', 'first', body({}, both))
    const onlyKeep = { resources: [widget('keep')] }
    const preview = await deployments.beginWhatIfAndWait(
      'complete-rg',
      'second',
      body({}, onlyKeep, 'Complete'),
    )
    expect(preview.changes.map((c) => [c.resourceId.split('/').pop(), c.changeType])).toEqual([
      ['keep', 'NoChange'],
      ['drop', 'Delete'],
    ])
    await deployments.beginCreateOrUpdateAndWait(
      'complete-rg',
      'second',
      body({}, onlyKeep, 'Complete'),
    )
    const left = await collect(groups.resources.listByResourceGroup('complete-rg'))
    expect(left.map((r) => r.name)).toEqual(['keep'])
  })

  it('cancels a running deployment and refuses to replace an active one', async () => {
    const poller = deployments.createOrUpdate(
      'pool-rg',
      'slow',
      body({ poolName: 'slow', adminPassword: password }),
    )
    await poller.submitted()
    await expect(
      deployments.beginCreateOrUpdateAndWait(
        'pool-rg',
        'slow',
        body({ poolName: 'slow', adminPassword: password }),
      ),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'DeploymentActive',
    })
    await deployments.cancel('pool-rg', 'slow')
    await expect(poller.pollUntilDone()).rejects.toThrow()
    expect((await deployments.get('pool-rg', 'slow')).properties.provisioningState).toBe('Canceled')
    await expect(deployments.cancel('pool-rg', 'slow')).rejects.toMatchObject({
      statusCode: 409,
      code: 'DeploymentCannotBeCancelled',
    })
  })

  it('lists and deletes deployments; deleting the group removes its deployments and resources', async () => {
    const names = (await collect(deployments.listByResourceGroup('pool-rg'))).map((d) => d.name)
    expect(names).toEqual(expect.arrayContaining(['pool-1', 'ghostly', 'slow']))
    await deployments.beginDeleteAndWait('pool-rg', 'ghostly')
    await expect(deployments.get('pool-rg', 'ghostly')).rejects.toMatchObject({
      code: 'DeploymentNotFound',
    })
    expect(
      test.sandbox.context.resources.get(`${rgId}/providers/Sandbox.Test/widgets/lonely`),
    ).toBeUndefined()

    const deletion = groups.resourceGroups.delete('quota-rg', { updateIntervalInMs: 10 })
    await deletion.submitted()
    await expect(
      deployments.beginCreateOrUpdateAndWait('quota-rg', 'late', body({}, { resources: [] })),
    ).rejects.toMatchObject({ statusCode: 409, code: 'ResourceGroupBeingDeleted' })
    await deletion.pollUntilDone()
    await expect(deployments.listByResourceGroup('quota-rg').next()).rejects.toMatchObject({
      code: 'ResourceGroupNotFound',
    })
    expect(
      test.sandbox.context.resources.list({
        subscriptionId: test.sandbox.subscriptionId,
        resourceGroup: 'quota-rg',
      }),
    ).toEqual([])
  })
})
