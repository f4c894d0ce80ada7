import { ResourceManagementClient } from '@azure/arm-resources'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../harness'
import { collect, resourcesClient } from './clients'

const poll = { updateIntervalInMs: 10 }

describe('resource groups', () => {
  let test: TestSandbox
  let client: ResourceManagementClient

  beforeAll(async () => {
    test = await startTestSandbox({ timeScale: 200 })
    client = resourcesClient(test, test.credential())
  })
  afterAll(() => test?.close())

  it('creates, reads, updates and lists groups', async () => {
    const created = await client.resourceGroups.createOrUpdate('pool-rg', {
      location: 'West Europe',
      tags: { team: 'ml' },
    })
    expect(created).toMatchObject({
      id: `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/pool-rg`,
      name: 'pool-rg',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westeurope',
      tags: { team: 'ml' },
      properties: { provisioningState: 'Succeeded' },
    })
    expect((await client.resourceGroups.get('POOL-RG')).name).toBe('pool-rg')
    expect((await client.resourceGroups.checkExistence('pool-rg')).body).toBe(true)
    expect((await client.resourceGroups.checkExistence('nothing-here')).body).toBe(false)

    const patched = await client.resourceGroups.update('pool-rg', {
      tags: { team: 'ml', cost: 'research' },
    })
    expect(patched.tags).toEqual({ team: 'ml', cost: 'research' })

    await client.resourceGroups.createOrUpdate('other-rg', {
      location: 'eastus',
      tags: { team: 'bio' },
    })
    const all = await collect(client.resourceGroups.list())
    expect(all.map((g) => g.name)).toEqual(expect.arrayContaining(['pool-rg', 'other-rg']))
    const tagged = await collect(
      client.resourceGroups.list({ filter: "tagName eq 'team' and tagValue eq 'bio'" }),
    )
    expect(tagged.map((g) => g.name)).toEqual(['other-rg'])
  })

  it('answers as Azure does for missing groups, bad names, locations and moves', async () => {
    await expect(client.resourceGroups.get('missing-rg')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    })
    await expect(
      client.resourceGroups.createOrUpdate('bad*name', { location: 'eastus' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidResourceGroup' })
    await expect(
      client.resourceGroups.createOrUpdate('nowhere-rg', { location: 'moon' }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'LocationNotAvailableForResourceGroup',
    })
    await client.resourceGroups.createOrUpdate('fixed-rg', { location: 'eastus' })
    await expect(
      client.resourceGroups.createOrUpdate('fixed-rg', { location: 'westus2' }),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'InvalidResourceGroupLocation',
      message: expect.stringContaining("already exists in location 'eastus'"),
    })
  })

  it('refuses an api-version Resource Manager does not have', async () => {
    const future = new ResourceManagementClient(test.credential(), test.sandbox.subscriptionId, {
      endpoint: test.sandbox.armEndpoint,
      tlsOptions: { ca: test.sandbox.caCert },
      apiVersion: '2099-01-01',
    })
    await expect(future.resourceGroups.get('pool-rg')).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidApiVersionParameter',
    })
  })

  it('lets a reader read but not write', async () => {
    const alan = resourcesClient(test, test.credential('alan@contoso.example'))
    await client.resourceGroups.createOrUpdate('shared-rg', { location: 'eastus' })
    expect((await alan.resourceGroups.get('shared-rg')).name).toBe('shared-rg')
    await expect(
      alan.resourceGroups.createOrUpdate('alan-rg', { location: 'eastus' }),
    ).rejects.toMatchObject({
      statusCode: 403,
      code: 'AuthorizationFailed',
    })
  })

  it('deletes a group and everything in it as a long-running operation', async () => {
    const group = await client.resourceGroups.createOrUpdate('doomed-rg', { location: 'eastus' })
    const resources = test.sandbox.context.resources
    const id = `${group.id}/providers/Microsoft.Storage/storageAccounts/doomedacct`
    resources.put({
      id,
      name: 'doomedacct',
      type: 'Microsoft.Storage/storageAccounts',
      location: 'eastus',
      tags: { pool: 'x' },
    })
    resources.put({
      id: `${id}/fileServices/default`,
      name: 'default',
      type: 'Microsoft.Storage/storageAccounts/fileServices',
    })
    const deleted: string[] = []
    resources.onDelete('Microsoft.Storage/storageAccounts', (r) => deleted.push(r.name))

    const poller = client.resourceGroups.delete('doomed-rg', poll)
    await poller.submitted()
    expect((await client.resourceGroups.get('doomed-rg')).properties?.provisioningState).toBe(
      'Deleting',
    )
    await poller.pollUntilDone()

    expect((await client.resourceGroups.checkExistence('doomed-rg')).body).toBe(false)
    expect(resources.get(id)).toBeUndefined()
    expect(resources.get(`${id}/fileServices/default`)).toBeUndefined()
    expect(deleted).toEqual(['doomedacct'])
  })
})

describe('listing resources', () => {
  let test: TestSandbox
  let client: ResourceManagementClient

  beforeAll(async () => {
    test = await startTestSandbox()
    client = resourcesClient(test, test.credential())
    await client.resourceGroups.createOrUpdate('a-rg', { location: 'eastus' })
    await client.resourceGroups.createOrUpdate('b-rg', { location: 'eastus' })
    const sub = test.sandbox.subscriptionId
    const put = (group: string, type: string, name: string, tags?: Record<string, string>) =>
      test.sandbox.context.resources.put({
        id: `/subscriptions/${sub}/resourceGroups/${group}/providers/${type}/${name}`,
        name,
        type,
        location: 'eastus',
        ...(tags ? { tags } : {}),
        properties: { provisioningState: 'Succeeded' },
        sandbox: { internal: true },
      })
    put('a-rg', 'Microsoft.Compute/virtualMachineScaleSets', 'gpu-pool', { 'dsvm-pool': 'gpu' })
    put('a-rg', 'Microsoft.Network/loadBalancers', 'gpu-lb', { 'dsvm-pool': 'gpu' })
    put('b-rg', 'Microsoft.Compute/virtualMachineScaleSets', 'cpu-pool', { 'dsvm-pool': 'cpu' })
    put('b-rg', 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines', 'cpu-pool/0')
  })
  afterAll(() => test?.close())

  it('lists by tag across the subscription', async () => {
    const gpu = await collect(
      client.resources.list({ filter: "tagName eq 'dsvm-pool' and tagValue eq 'gpu'" }),
    )
    expect(gpu.map((r) => r.name).sort()).toEqual(['gpu-lb', 'gpu-pool'])
    const pools = await collect(client.resources.list({ filter: "tagName eq 'dsvm-pool'" }))
    expect(pools).toHaveLength(3)
    expect(pools[0]).not.toHaveProperty('sandbox')
  })

  it('lists a group, by type, without child resources', async () => {
    const inB = await collect(client.resources.listByResourceGroup('b-rg'))
    expect(inB.map((r) => r.name)).toEqual(['cpu-pool'])
    const scaleSets = await collect(
      client.resources.list({
        filter: "resourceType eq 'Microsoft.Compute/virtualMachineScaleSets'",
      }),
    )
    expect(scaleSets.map((r) => r.name).sort()).toEqual(['cpu-pool', 'gpu-pool'])
    await expect(collect(client.resources.listByResourceGroup('no-rg'))).rejects.toMatchObject({
      code: 'ResourceGroupNotFound',
    })
  })

  it('refuses filters Resource Manager does not support', async () => {
    await expect(
      collect(client.resources.list({ filter: "tagName eq 'dsvm-pool' and location eq 'eastus'" })),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidFilterInQueryString',
    })
    await expect(collect(client.resources.list({ filter: "sku gt 'x'" }))).rejects.toMatchObject({
      statusCode: 400,
    })
    const named = await collect(client.resources.list({ filter: "substringof('gpu', name)" }))
    expect(named.map((r) => r.name).sort()).toEqual(['gpu-lb', 'gpu-pool'])
  })

  it('pages with $top', async () => {
    const pages = []
    for await (const p of client.resources.list({ top: 1 }).byPage()) pages.push(p)
    expect(pages.length).toBe(3)
  })
})
