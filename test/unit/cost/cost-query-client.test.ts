import type { AccessToken, TokenCredential } from '@azure/core-auth'
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline'
import { describe, expect, it } from 'vitest'
import { CostQueryClient } from '../../../electron/azure/cost/cost-query-client'

/*
 * The cost client's reading of Cost Management answers the sandbox does not give on demand
 * (several pages, 401, 404, 5xx, its own retry-after headers, a new month), through the real
 * SDK pipeline with a scripted HTTP client underneath.
 */

const endpoint = 'https://management.example'
const scope = {
  accountId: 'ada',
  subscriptionId: '00000000-0000-4000-8000-000000000001',
  resourceGroup: 'rg-pool',
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> }

function scripted(replies: Array<Reply | ((request: PipelineRequest) => Reply)>) {
  const requests: PipelineRequest[] = []
  const http: HttpClient = {
    async sendRequest(request): Promise<PipelineResponse> {
      requests.push(request)
      const next = replies.shift()
      if (!next) throw new Error('no more replies scripted')
      const reply = typeof next === 'function' ? next(request) : next
      return {
        request,
        status: reply.status,
        headers: createHttpHeaders(reply.headers ?? {}),
        bodyAsText: reply.body === undefined ? '' : JSON.stringify(reply.body),
      }
    },
  }
  return { http, requests }
}

const credential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: 'token', expiresOnTimestamp: Date.now() + 3_600_000 }
  },
}

const table = (rows: unknown[][], nextLink: string | null = null) => ({
  properties: {
    nextLink,
    columns: [
      { name: 'Cost', type: 'Number' },
      { name: 'ServiceName', type: 'String' },
      { name: 'UsageDate', type: 'Number' },
      { name: 'Currency', type: 'String' },
    ],
    rows,
  },
})

function client(http: HttpClient, now: () => number) {
  return new CostQueryClient({
    tokens: {
      cloud: { armEndpoint: endpoint, armAudience: endpoint },
      credential: () => credential,
    },
    httpClient: http,
    retryOptions: { maxRetries: 0 },
    now,
  })
}

describe('CostQueryClient', () => {
  const now = Date.parse('2026-11-10T12:00:00Z')

  it('posts the month-to-date query with a bearer token and follows nextLink', async () => {
    const next = `${endpoint}/subscriptions/${scope.subscriptionId}/resourceGroups/rg-pool/providers/Microsoft.CostManagement/query?api-version=2023-11-01&$skiptoken=abc`
    const { http, requests } = scripted([
      { status: 200, body: table([[3, 'Virtual Machines', 20261109, 'EUR']], next) },
      { status: 200, body: table([[1, 'Storage', 20261109, 'EUR']]) },
    ])
    const spend = await client(http, () => now).monthToDate(scope)
    expect(requests).toHaveLength(2)
    expect(requests[0]!.method).toBe('POST')
    expect(requests[0]!.url).toBe(
      `${endpoint}/subscriptions/${scope.subscriptionId}/resourceGroups/rg-pool/providers/Microsoft.CostManagement/query?api-version=2023-11-01`,
    )
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer token')
    expect(JSON.parse(String(requests[0]!.body))).toMatchObject({
      type: 'ActualCost',
      timeframe: 'MonthToDate',
      dataset: { granularity: 'Daily', grouping: [{ type: 'Dimension', name: 'ServiceName' }] },
    })
    expect(requests[1]!.url).toBe(next)
    expect(spend.currency).toBe('EUR')
    expect(spend.days.find((d) => d.date === '2026-11-09')!.byService).toEqual({
      'Virtual Machines': 3,
      Storage: 1,
    })
  })

  it('refuses a next page on another server', async () => {
    const { http } = scripted([{ status: 200, body: table([], 'https://elsewhere.example/query') }])
    await expect(client(http, () => now).monthToDate(scope)).rejects.toThrow(/another server/)
  })

  it('reads 204 as no spend yet', async () => {
    const { http } = scripted([{ status: 204 }])
    const spend = await client(http, () => now).monthToDate(scope)
    expect(spend.monthToDate).toBe(0)
    expect(spend.days).toHaveLength(10)
  })

  it('explains 401 and 403 with the role to ask for, 404 and 5xx plainly', async () => {
    for (const status of [401, 403]) {
      const { http } = scripted([
        { status, body: { error: { code: 'AuthorizationFailed', message: 'no' } } },
      ])
      await expect(client(http, () => now).monthToDate(scope)).rejects.toMatchObject({
        code: 'Forbidden',
        message: expect.stringContaining('Cost Management Reader role'),
      })
    }
    const notFound = scripted([{ status: 404, body: { error: { code: 'ResourceGroupNotFound' } } }])
    await expect(client(notFound.http, () => now).monthToDate(scope)).rejects.toMatchObject({
      code: 'NotFound',
    })
    const down = scripted([{ status: 503 }])
    await expect(client(down.http, () => now).monthToDate(scope)).rejects.toMatchObject({
      code: 'Transient',
    })
  })

  it("takes Cost Management's own retry-after headers when Retry-After is missing", async () => {
    const { http } = scripted([
      { status: 429, headers: { 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': '17' } },
    ])
    await expect(client(http, () => now).monthToDate(scope)).rejects.toMatchObject({
      code: 'Throttled',
      message: "Cost Management is busy. The pool's spend will load in about 17 seconds.",
      details: { retryAfterSeconds: 17 },
    })
  })

  it('says "1 second", not "1 seconds"', async () => {
    const { http } = scripted([{ status: 429, headers: { 'retry-after': '1' } }])
    await expect(client(http, () => now).monthToDate(scope)).rejects.toMatchObject({
      message: "Cost Management is busy. The pool's spend will load in about 1 second.",
    })
  })

  it("does not show last month's figures as this month's while throttled", async () => {
    let clock = Date.parse('2026-10-31T23:00:00Z')
    const { http } = scripted([
      { status: 200, body: table([[5, 'Storage', 20261031, 'USD']]) },
      { status: 429, headers: { 'retry-after': '30' } },
    ])
    const costs = client(http, () => clock)
    expect((await costs.monthToDate(scope)).monthToDate).toBe(5)
    clock = Date.parse('2026-11-01T00:30:00Z')
    await expect(costs.monthToDate(scope, { refresh: true })).rejects.toMatchObject({
      code: 'Throttled',
    })
  })
})
