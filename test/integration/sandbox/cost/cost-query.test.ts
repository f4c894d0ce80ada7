import { request } from 'node:https'
import type { TokenCredential } from '@azure/core-auth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UsageInterval } from '../../../../sandbox/core/usage'
import { startTestSandbox, type TestSandbox } from '../harness'

const hour = 60 * 60 * 1000
const day = 24 * hour
const apiVersion = '2023-11-01'

interface QueryReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: {
    id?: string
    type?: string
    properties?: {
      nextLink: string | null
      columns: Array<{ name: string; type: string }>
      rows: unknown[][]
    }
    error?: { code: string; message: string }
  }
}

/** POST {scope}/providers/Microsoft.CostManagement/query with a bearer token, as the app sends it. */
async function costQuery(
  test: TestSandbox,
  credential: TokenCredential,
  scope: string,
  definition: unknown,
): Promise<QueryReply> {
  const token = await credential.getToken('https://management.azure.com/.default')
  const url = `${test.sandbox.armEndpoint}${scope}/providers/Microsoft.CostManagement/query?api-version=${apiVersion}`
  const payload = JSON.stringify(definition)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: test.sandbox.caCert,
        headers: {
          Authorization: `Bearer ${token!.token}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** Rows as objects keyed by column name, which is how a client reads them. */
function table(reply: QueryReply): Array<Record<string, unknown>> {
  if (!reply.body.properties)
    throw new Error(`query failed: ${reply.status} ${JSON.stringify(reply.body)}`)
  const { columns, rows } = reply.body.properties
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, row[i]])))
}

const sum = (rows: Array<Record<string, unknown>>, column: string) =>
  rows.reduce((s, r) => s + (r[column] as number), 0)
const yyyymmdd = (t: number) => Number(new Date(t).toISOString().slice(0, 10).replace(/-/g, ''))

describe('Cost Management query', () => {
  let test: TestSandbox
  let ada: TokenCredential
  let subscriptionId: string
  let today: number

  const addUsage = (
    usage: Partial<UsageInterval> &
      Pick<UsageInterval, 'resourceGroup' | 'meter' | 'sku' | 'start'>,
  ) =>
    test.sandbox.context.usage.add({
      subscriptionId,
      resourceId: `/subscriptions/${subscriptionId}/resourceGroups/${usage.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/pool`,
      location: 'eastus',
      quantity: 1,
      end: usage.start + hour,
      ...usage,
    })
  const custom = (dataset: unknown, from = today - 3 * day, to = today + day) => ({
    type: 'ActualCost',
    timeframe: 'Custom',
    timePeriod: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    dataset,
  })

  beforeAll(async () => {
    test = await startTestSandbox()
    ada = test.credential()
    subscriptionId = test.sandbox.subscriptionId
    today = Math.floor(test.sandbox.clock.now() / day) * day
  })
  afterAll(async () => {
    await test?.close()
  })

  it('prices running instances as time passes on the sandbox clock (resource group scope)', async () => {
    const context = test.sandbox.context
    const scaleSet = `/subscriptions/${subscriptionId}/resourceGroups/rg-live/providers/Microsoft.Compute/virtualMachineScaleSets/live`
    const start = context.clock.now()
    for (const instanceId of ['0', '1']) {
      context.usage.open({
        subscriptionId,
        resourceGroup: 'rg-live',
        resourceId: scaleSet,
        instanceId,
        meter: 'compute',
        sku: 'Standard_D4s_v5',
        location: 'eastus',
        os: 'Linux',
        priority: 'Regular',
        quantity: 1,
        start,
      })
    }
    test.sandbox.clock.advance(5 * hour)
    const reply = await costQuery(
      test,
      ada,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-live`,
      {
        type: 'Usage',
        timeframe: 'Custom',
        timePeriod: {
          from: new Date(start - day).toISOString(),
          to: new Date(start + 2 * day).toISOString(),
        },
        dataset: {
          granularity: 'None',
          aggregation: {
            totalCost: { name: 'Cost', function: 'Sum' },
            quantity: { name: 'UsageQuantity', function: 'Sum' },
          },
        },
      },
    )
    expect(reply.status).toBe(200)
    expect(reply.body.properties!.columns).toEqual([
      { name: 'Cost', type: 'Number' },
      { name: 'UsageQuantity', type: 'Number' },
      { name: 'Currency', type: 'String' },
    ])
    const [row] = table(reply)
    expect(row!.UsageQuantity).toBeCloseTo(10, 3)
    expect(row!.Cost).toBeCloseTo(10 * 0.192, 3)
    expect(row!.Currency).toBe('USD')
    expect(reply.body.id).toMatch(
      /^subscriptions\/.+\/resourcegroups\/rg-live\/providers\/Microsoft\.CostManagement\/query\/[0-9a-f-]{36}$/,
    )
    expect(reply.body.properties!.nextLink).toBeNull()
  })

  it('returns daily rows with UsageDate as yyyymmdd, split at midnight, grouped by service', async () => {
    const start = today - day - 2 * hour
    addUsage({
      resourceGroup: 'rg-daily',
      meter: 'compute',
      sku: 'Standard_D4s_v5',
      os: 'Linux',
      start,
      end: start + 4 * hour,
    })
    addUsage({
      resourceGroup: 'rg-daily',
      meter: 'publicIp',
      sku: 'Standard',
      start,
      end: start + 4 * hour,
    })
    const reply = await costQuery(
      test,
      ada,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-daily`,
      custom({
        granularity: 'Daily',
        aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
        grouping: [{ type: 'Dimension', name: 'ServiceName' }],
      }),
    )
    expect(reply.status).toBe(200)
    expect(reply.body.properties!.columns.map((c) => c.name)).toEqual([
      'Cost',
      'ServiceName',
      'UsageDate',
      'Currency',
    ])
    const rows = table(reply)
    expect(rows.map((r) => [r.UsageDate, r.ServiceName])).toEqual([
      [yyyymmdd(today - 2 * day), 'Virtual Machines'],
      [yyyymmdd(today - 2 * day), 'Virtual Network'],
      [yyyymmdd(today - day), 'Virtual Machines'],
      [yyyymmdd(today - day), 'Virtual Network'],
    ])
    expect(rows[0]!.Cost).toBeCloseTo(2 * 0.192, 6)
    expect(rows[3]!.Cost).toBeCloseTo(2 * 0.005, 6)
  })

  it('groups a subscription by resource group and by tag, and filters by dimension', async () => {
    const start = today - 2 * day
    addUsage({
      resourceGroup: 'RG-Alpha',
      meter: 'compute',
      sku: 'Standard_NC4as_T4_v3',
      os: 'Windows',
      start,
      end: start + 2 * hour,
    })
    addUsage({
      resourceGroup: 'rg-beta',
      meter: 'osDisk',
      sku: 'P10',
      start,
      end: start + 730 * hour,
    })
    test.sandbox.context.resources.put({
      id: `/subscriptions/${subscriptionId}/resourceGroups/RG-Alpha/providers/Microsoft.Compute/virtualMachineScaleSets/pool`,
      name: 'pool',
      type: 'Microsoft.Compute/virtualMachineScaleSets',
      location: 'eastus',
      tags: { 'dsvm-pool': 'alpha' },
    })
    const scope = `/subscriptions/${subscriptionId}`
    const byGroup = table(
      await costQuery(
        test,
        ada,
        scope,
        custom(
          {
            granularity: 'None',
            aggregation: { totalCost: { name: 'PreTaxCost', function: 'Sum' } },
            grouping: [{ type: 'Dimension', name: 'ResourceGroupName' }],
          },
          start,
          start + 40 * day,
        ),
      ),
    )
    const alpha = byGroup.find((r) => r.ResourceGroupName === 'rg-alpha')
    const beta = byGroup.find((r) => r.ResourceGroupName === 'rg-beta')
    expect(alpha!.PreTaxCost).toBeCloseTo(2 * 0.71, 6)
    expect(beta!.PreTaxCost).toBeGreaterThan(0)

    const byTag = table(
      await costQuery(
        test,
        ada,
        scope,
        custom(
          {
            granularity: 'None',
            aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
            grouping: [{ type: 'TagKey', name: 'dsvm-pool' }],
          },
          start,
          start + day,
        ),
      ),
    )
    expect(byTag.find((r) => r.TagValue === 'alpha')).toMatchObject({ TagKey: 'dsvm-pool' })
    expect(byTag.find((r) => r.TagValue === 'alpha')!.Cost).toBeCloseTo(2 * 0.71, 6)

    const filtered = table(
      await costQuery(
        test,
        ada,
        scope,
        custom(
          {
            granularity: 'None',
            aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
            filter: { dimensions: { name: 'ServiceName', operator: 'In', values: ['Storage'] } },
          },
          start,
          start,
        ),
      ),
    )
    expect(filtered).toHaveLength(1)
    expect(filtered[0]!.Cost).toBeCloseTo(19.71 / 30.4166, 2)
  })

  it('answers 400 for an invalid grouping, as the service does', async () => {
    const reply = await costQuery(
      test,
      ada,
      `/subscriptions/${subscriptionId}/resourceGroups/rg-daily`,
      custom({ grouping: [{ type: 'Dimension', name: 'Colour' }] }),
    )
    expect(reply.status).toBe(400)
    expect(reply.body.error).toMatchObject({ code: 'BadRequest' })
    expect(reply.body.error!.message).toContain("Invalid dataset grouping: 'Colour'")
  })

  it('refuses a user without access to the subscription with 403', async () => {
    const other = test.sandbox.directory.subscriptions[1]!.id
    const reply = await costQuery(
      test,
      test.credential('grace@contoso.example'),
      `/subscriptions/${other}`,
      custom({ granularity: 'None' }),
    )
    expect(reply.status).toBe(403)
    expect(reply.body.error!.code).toBe('AuthorizationFailed')
  })

  it('lets a Reader query (the query is a read)', async () => {
    const reply = await costQuery(
      test,
      test.credential('alan@contoso.example'),
      `/subscriptions/${subscriptionId}/resourceGroups/rg-live`,
      custom({ granularity: 'None' }),
    )
    expect(reply.status).toBe(200)
    expect(reply.body.properties!.columns.map((c) => c.name)).toEqual(['PreTaxCost', 'Currency'])
  })
})

describe('Cost Management throttling', () => {
  let test: TestSandbox

  beforeAll(async () => {
    test = await startTestSandbox()
  })
  afterAll(async () => {
    await test?.close()
  })

  it('answers 429 with Retry-After and the cost management headers after a burst on one scope', async () => {
    const scope = `/subscriptions/${test.sandbox.subscriptionId}`
    const credential = test.credential()
    const replies: QueryReply[] = []
    for (let i = 0; i < 6; i++)
      replies.push(
        await costQuery(test, credential, scope, {
          type: 'ActualCost',
          timeframe: 'MonthToDate',
          dataset: { granularity: 'Daily' },
        }),
      )
    const statuses = replies.map((r) => r.status)
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200])
    expect(statuses[4]).toBe(429)
    const ok = replies[0]!.headers
    expect(ok['x-ms-ratelimit-microsoft.costmanagement-qpu-consumed']).toBe('1')
    expect(ok['x-ms-ratelimit-microsoft.costmanagement-qpu-remaining']).toMatch(
      /QueriesPerHour:\d+,QueriesPerMin:\d+/,
    )
    expect(ok['x-ms-ratelimit-remaining-microsoft.costmanagement-entity-requests']).toBe(
      'DefaultQuota:3',
    )
    const throttled = replies[4]!
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0)
    expect(
      Number(throttled.headers['x-ms-ratelimit-microsoft.costmanagement-entity-retry-after']),
    ).toBeGreaterThan(0)
    expect(throttled.body.error).toEqual({
      code: '429',
      message: 'Too many requests. Please retry.',
    })
    // Another scope has its own budget.
    const rg = await costQuery(test, credential, `${scope}/resourceGroups/rg-elsewhere`, {
      type: 'ActualCost',
      timeframe: 'MonthToDate',
    })
    expect(rg.status).not.toBe(429)
  })
})

describe('demo seed spend history', () => {
  let test: TestSandbox

  beforeAll(async () => {
    test = await startTestSandbox({ seed: 'demo' })
  })
  afterAll(async () => {
    await test?.close()
  })

  it('has a month of daily spend for the demo pools, VMs on weekdays only', async () => {
    const now = test.sandbox.clock.now()
    const definition = {
      type: 'ActualCost',
      timeframe: 'Custom',
      timePeriod: { from: new Date(now - 30 * day).toISOString(), to: new Date(now).toISOString() },
      dataset: {
        granularity: 'Daily',
        aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
        grouping: [{ type: 'Dimension', name: 'ServiceName' }],
      },
    }
    const sub = `/subscriptions/${test.sandbox.subscriptionId}`
    const team = table(
      await costQuery(test, test.credential(), `${sub}/resourceGroups/rg-team-pool`, definition),
    )
    const days = new Set(team.map((r) => r.UsageDate))
    expect(days.size).toBeGreaterThanOrEqual(30)
    expect(new Set(team.map((r) => r.ServiceName))).toEqual(
      new Set(['Virtual Machines', 'Storage', 'Virtual Network', 'Load Balancer']),
    )
    // History runs on weekdays; today the demo's live pool runs whatever day it is.
    const history = team.filter(
      (r) => r.ServiceName === 'Virtual Machines' && r.UsageDate !== yyyymmdd(now),
    )
    for (const row of history) {
      const date = String(row.UsageDate)
      const weekday = new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00Z`,
      ).getUTCDay()
      expect(weekday).toBeGreaterThanOrEqual(1)
      expect(weekday).toBeLessThanOrEqual(5)
    }
    expect(sum(team, 'Cost')).toBeGreaterThan(50)
    const gpu = table(
      await costQuery(test, test.credential(), `${sub}/resourceGroups/rg-gpu-pool`, definition),
    )
    const gpuVmDays = gpu.filter((r) => r.ServiceName === 'Virtual Machines').length
    expect(gpuVmDays).toBeGreaterThan(0)
    expect(gpuVmDays).toBeLessThan(team.filter((r) => r.ServiceName === 'Virtual Machines').length)
  })
})
