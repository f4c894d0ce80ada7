import { beforeAll, describe, expect, it } from 'vitest'
import { Wire } from '../conformance/wire'
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
} from '../compute/pool'

/**
 * Where Azure is lenient the sandbox is too (what the Azure CLI sends), and where Azure is
 * strict the sandbox refuses with Azure's error. Raw requests, so nothing an SDK adds hides it.
 */

const env = sandboxForFile()
let clients: Clients
let wire: Wire
const names = { resourceGroup: 'rg-fidelity', pool: 'fidpool', location: 'eastus' }
const compute = '2024-07-01'

beforeAll(async () => {
  clients = clientsFor(env)
  wire = new Wire(env.sandbox, env.credential())
  await createPoolNetwork(env, clients, names)
  await finish(
    env,
    clients.compute.virtualMachineScaleSets.beginCreateOrUpdate(
      names.resourceGroup,
      names.pool,
      scaleSetModel(env, names, { capacity: 2 }),
      poll,
    ),
  )
})

const sub = () => `/subscriptions/${env.sandbox.subscriptionId}`

describe('lenient where Azure is', () => {
  it('reads a body with comments, unquoted keys and trailing commas as ARM does', async () => {
    const reply = await wire.send({
      method: 'PUT',
      path: `${sub()}/resourcegroups/rg-json5?api-version=2025-04-01`,
      raw: '{ // the CLI writes bodies like this\n location: \'westeurope\', tags: { team: "ds", }, /* done */ }',
    })
    expect(reply.status).toBe(201)
    expect(reply.body).toMatchObject({ location: 'westeurope', tags: { team: 'ds' } })
  })

  it('still refuses a body that is not JSON at all', async () => {
    const reply = await wire.send({
      method: 'PUT',
      path: `${sub()}/resourcegroups/rg-broken?api-version=2025-04-01`,
      raw: '{ location: ',
    })
    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({ error: { code: 'InvalidRequestContent' } })
  })

  it('scales with a PUT of only location and sku, keeping the rest of the model (az vmss scale)', async () => {
    const path = `${ids(env.sandbox.subscriptionId, names).scaleSet}?api-version=${compute}`
    const before = await wire.send({ method: 'GET', path })
    const reply = await wire.send({
      method: 'PUT',
      path,
      body: { location: names.location, sku: { name: 'Standard_D4s_v5', capacity: 3 } },
    })
    expect(reply.status).toBe(200)
    env.sandbox.clock.advance(600_000)
    const after = await clients.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool)
    expect(after.sku?.capacity).toBe(3)
    expect(after.tags).toEqual({ 'dsvm-pool': names.pool })
    const model = (before.body as { properties: { virtualMachineProfile: unknown } }).properties
      .virtualMachineProfile
    expect(after.virtualMachineProfile?.storageProfile?.imageReference).toEqual(
      (model as { storageProfile: { imageReference: unknown } }).storageProfile.imageReference,
    )
    expect(
      after.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations,
    ).toHaveLength(1)
  })

  it('answers GET /metadata/endpoints without a token, pointing at itself', async () => {
    const old = await wire.send({
      method: 'GET',
      path: '/metadata/endpoints?api-version=2019-05-01',
      anonymous: true,
    })
    expect(old.status).toBe(200)
    expect(old.body).toMatchObject({
      resourceManager: `${env.sandbox.armEndpoint}/`,
      authentication: { loginEndpoint: `${env.sandbox.authorityHost}/` },
    })
    const current = await wire.send({
      method: 'GET',
      path: '/metadata/endpoints?api-version=2022-09-01',
      anonymous: true,
    })
    expect(current.body).toEqual([
      expect.objectContaining({ resourceManager: `${env.sandbox.armEndpoint}/` }),
    ])
  })

  it('describes a provider with its resource types and the api-versions it accepts', async () => {
    const reply = await wire.send({
      method: 'GET',
      path: `${sub()}/providers/microsoft.compute?api-version=2025-04-01`,
    })
    expect(reply.status).toBe(200)
    const provider = reply.body as {
      namespace: string
      registrationState: string
      resourceTypes: Array<{ resourceType: string; apiVersions: string[] }>
    }
    expect(provider.namespace).toBe('Microsoft.Compute')
    expect(provider.registrationState).toBe('Registered')
    const scaleSets = provider.resourceTypes.find(
      (t) => t.resourceType === 'virtualMachineScaleSets',
    )
    // The version @azure/arm-compute sends and the one az 2.45's hybrid profile sends.
    expect(scaleSets?.apiVersions).toEqual(expect.arrayContaining(['2026-04-01', '2020-06-01']))
    const unknown = await wire.send({
      method: 'GET',
      path: `${sub()}/providers/Microsoft.Nothing?api-version=2025-04-01`,
    })
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ error: { code: 'InvalidResourceNamespace' } })
  })

  it('lists image SKUs and versions, and resolves latest to the newest version', async () => {
    const images = `${sub()}/providers/Microsoft.Compute/locations/eastus/publishers/microsoft-dsvm/artifacttypes/vmimage/offers/ubuntu-2204/skus`
    const skus = await clients.compute.virtualMachineImages.listSkus(
      'eastus',
      'microsoft-dsvm',
      'ubuntu-2204',
    )
    expect(skus.map((s) => s.name)).toEqual(['2204', '2204-gen2'])
    const versions = await wire.send({
      method: 'GET',
      path: `${images}/2204-gen2/versions?api-version=${compute}&$orderby=name desc&$top=1`,
    })
    expect(versions.body).toEqual([expect.objectContaining({ name: '24.11.12' })])
    const image = await clients.compute.virtualMachineImages.get(
      'eastus',
      'microsoft-dsvm',
      'ubuntu-2204',
      '2204-gen2',
      '24.11.12',
    )
    expect(image.osDiskImage?.operatingSystem).toBe('Linux')
    expect(image.hyperVGeneration).toBe('V2')
    const missing = await wire.send({
      method: 'GET',
      path: `${images}/no-such-sku/versions?api-version=${compute}`,
    })
    expect(missing.status).toBe(404)
  })

  it("lists a scale set's instance public IPs (none behind a load balancer)", async () => {
    const reply = await wire.send({
      method: 'GET',
      path: `${ids(env.sandbox.subscriptionId, names).scaleSet}/publicipaddresses?api-version=2018-10-01`,
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ value: [] })
  })

  it('gives a scale set VM an etag that changes when the VM changes', async () => {
    const [vm] = await collect(
      clients.compute.virtualMachineScaleSetVMs.list(names.resourceGroup, names.pool),
    )
    const path = `${ids(env.sandbox.subscriptionId, names).scaleSet}/virtualMachines/${vm!.instanceId}?api-version=${compute}`
    const first = await wire.send({ method: 'GET', path })
    const etag = (first.body as { etag?: string }).etag
    expect(etag).toMatch(/^".+"$/)
    expect(first.headers.etag).toBe(etag)
    await wire.send({
      method: 'PUT',
      path,
      body: { properties: { protectionPolicy: { protectFromScaleIn: true } } },
    })
    const second = await wire.send({ method: 'GET', path })
    expect((second.body as { etag?: string }).etag).not.toBe(etag)
  })

  it('ends its CA certificate with a newline, so it can be appended to a bundle', () => {
    expect(env.sandbox.caCert.endsWith('-----END CERTIFICATE-----\n')).toBe(true)
  })
})

describe('strict where Azure is', () => {
  it('refuses an api-version a resource type does not have, with the versions it does', async () => {
    const reply = await wire.send({
      method: 'GET',
      path: `${ids(env.sandbox.subscriptionId, names).scaleSet}?api-version=1999-01-01`,
    })
    expect(reply.status).toBe(400)
    const error = (reply.body as { error: { code: string; message: string } }).error
    expect(error.code).toBe('NoRegisteredProviderFound')
    expect(error.message).toContain("API version '1999-01-01' for type 'virtualMachineScaleSets'")
    expect(error.message).toContain('2024-07-01')
  })

  it("refuses a version of another resource type's table (storage's version on a scale set)", async () => {
    const reply = await wire.send({
      method: 'GET',
      path: `${ids(env.sandbox.subscriptionId, names).scaleSet}?api-version=2023-05-01`,
    })
    expect(reply.body).toMatchObject({ error: { code: 'NoRegisteredProviderFound' } })
  })

  it("answers ARM's own routes with InvalidApiVersionParameter", async () => {
    const reply = await wire.send({
      method: 'GET',
      path: `${sub()}/resourcegroups?api-version=2099-01-01`,
    })
    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({ error: { code: 'InvalidApiVersionParameter' } })
  })

  it('refuses a new Basic SKU public IP (retired 30 September 2025)', async () => {
    const reply = await wire.send({
      method: 'PUT',
      path: `${sub()}/resourceGroups/${names.resourceGroup}/providers/Microsoft.Network/publicIPAddresses/basic-ip?api-version=2024-05-01`,
      body: { location: names.location, sku: { name: 'Basic' } },
    })
    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({ error: { code: 'IPv4BasicSkuPublicIpCountLimitReached' } })
  })

  it('refuses hibernation on a Uniform scale set', async () => {
    const scaleSet = ids(env.sandbox.subscriptionId, names).scaleSet
    const deallocate = await wire.send({
      method: 'POST',
      path: `${scaleSet}/deallocate?api-version=${compute}&hibernate=true`,
    })
    expect(deallocate.status).toBe(400)
    expect(deallocate.body).toMatchObject({
      error: { code: 'InvalidParameter', target: 'hibernate' },
    })
    const enable = await wire.send({
      method: 'PATCH',
      path: `${scaleSet}?api-version=${compute}`,
      body: { properties: { additionalCapabilities: { hibernationEnabled: true } } },
    })
    expect(enable.status).toBe(400)
    const after = await clients.compute.virtualMachineScaleSets.get(names.resourceGroup, names.pool)
    expect(after.additionalCapabilities?.hibernationEnabled).toBeUndefined()
  })
})
