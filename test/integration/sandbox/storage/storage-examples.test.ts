import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ResourceManagementClient } from '@azure/arm-resources'
import { StorageManagementClient } from '@azure/arm-storage'
import { createDefaultHttpClient, createPipelineRequest } from '@azure/core-rest-pipeline'
import { beforeAll, describe, expect, it } from 'vitest'
import { sandboxForFile } from '../fixtures'

/*
 * Microsoft's own examples for the storage calls the sandbox implements, sent as they are
 * (through the ARM pipeline of @azure/arm-storage, so that bodies stay raw JSON): every
 * property path of the example's response must be in the sandbox's, with the same type.
 */
const examples = join(__dirname, '../../../../../shared/azure-api-examples/storage/2025-01-01')
interface Example {
  parameters: Record<string, unknown>
  responses: Record<string, { body?: unknown }>
}
const example = (name: string) =>
  JSON.parse(readFileSync(join(examples, `${name}.json`), 'utf8')) as Example

const env = sandboxForFile({ timeScale: 1000 })
let client: StorageManagementClient
const http = createDefaultHttpClient()

beforeAll(async () => {
  const options = { endpoint: env.sandbox.armEndpoint, tlsOptions: { ca: env.sandbox.caCert } }
  const resources = new ResourceManagementClient(
    env.credential(),
    env.sandbox.subscriptionId,
    options,
  )
  for (const group of ['res9101', 'res418', 'res3376', 'res9871']) {
    await resources.resourceGroups.createOrUpdate(group, { location: 'eastus' })
  }
  client = new StorageManagementClient(env.credential(), env.sandbox.subscriptionId, options)
})

async function send(method: string, path: string, body?: unknown) {
  const url = path.startsWith('https://') ? path : `${env.sandbox.armEndpoint}${path}`
  const request = createPipelineRequest({
    url,
    method: method as 'GET',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  request.headers.set('Content-Type', 'application/json')
  const response = await client.pipeline.sendRequest(http, request)
  return {
    status: response.status,
    headers: response.headers,
    body: response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined,
  }
}

/** Every property path of a JSON value with the type found there (array items as []). */
function shape(value: unknown, path = '$', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    out.set(path, 'array')
    for (const item of value) shape(item, `${path}[]`, out)
  } else if (value !== null && typeof value === 'object') {
    out.set(path, 'object')
    for (const [key, child] of Object.entries(value)) shape(child, `${path}.${key}`, out)
  } else {
    out.set(path, value === null ? 'null' : typeof value)
  }
  return out
}

function expectShapeOf(actual: unknown, expected: unknown): void {
  const mine = shape(actual)
  const missing = [...shape(expected)].filter(([path, type]) => mine.get(path) !== type)
  expect(missing, `paths missing or of another type: ${JSON.stringify(missing)}`).toEqual([])
}

const base = (group: string, account: string) =>
  `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${account}`

describe('storage responses hold against Microsoft examples', () => {
  it('StorageAccountCreate: 202 with Location, then the account', async () => {
    const ex = example('StorageAccountCreate')
    const path = `${base('res9101', 'sto4445')}?api-version=2025-01-01`
    const created = await send('PUT', path, ex.parameters.parameters)
    expect(created.status).toBe(202)
    const location = created.headers.get('location')
    expect(location).toMatch(
      /\/providers\/Microsoft\.Storage\/locations\/eastus\/operationResults\//,
    )
    let result = await send('GET', location!)
    for (let i = 0; result.status === 202 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20))
      result = await send('GET', location!)
    }
    expect(result.status).toBe(200)
    expectShapeOf(result.body, ex.responses['200']!.body)
    expectShapeOf((await send('GET', path)).body, ex.responses['200']!.body)
  })

  it('StorageAccountListKeys and StorageAccountCheckNameAvailability', async () => {
    await client.storageAccounts.beginCreateAndWait(
      'res418',
      'sto2220',
      { location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      { updateIntervalInMs: 10 },
    )
    const keys = await send('POST', `${base('res418', 'sto2220')}/listKeys?api-version=2025-01-01`)
    expect(keys.status).toBe(200)
    expectShapeOf(keys.body, example('StorageAccountListKeys').responses['200']!.body)

    const check = example('StorageAccountCheckNameAvailability')
    const answer = await send(
      'POST',
      `/subscriptions/${env.sandbox.subscriptionId}/providers/Microsoft.Storage/checkNameAvailability?api-version=2025-01-01`,
      check.parameters.accountName,
    )
    expect(answer.status).toBe(200)
    expectShapeOf(answer.body, check.responses['200']!.body)
  })

  it('FileSharesPut (201 then 200) and FileSharesGet', async () => {
    for (const [group, account] of [
      ['res3376', 'sto328'],
      ['res9871', 'sto6217'],
    ] as const) {
      await client.storageAccounts.beginCreateAndWait(
        group,
        account,
        { location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        { updateIntervalInMs: 10 },
      )
    }
    const put = example('FileSharesPut')
    const sharePath = `${base('res3376', 'sto328')}/fileServices/default/shares/share6185?api-version=2025-01-01`
    const first = await send('PUT', sharePath, put.parameters.fileShare)
    expect(first.status).toBe(201)
    expectShapeOf(first.body, put.responses['201']!.body)
    const second = await send('PUT', sharePath, put.parameters.fileShare)
    expect(second.status).toBe(200)
    expectShapeOf(second.body, put.responses['200']!.body)

    const get = example('FileSharesGet')
    const getPath = `${base('res9871', 'sto6217')}/fileServices/default/shares/share1634?api-version=2025-01-01`
    await send('PUT', getPath, { properties: { shareQuota: 1024 } })
    const got = await send('GET', getPath)
    expect(got.status).toBe(200)
    expectShapeOf(got.body, get.responses['200']!.body)
  })
})
