import { describe, expect, it } from 'vitest'
import { ArmError } from '../../../../sandbox/core/arm-error'
import type { UsageInterval } from '../../../../sandbox/core/usage'
import { parseQueryDefinition } from '../../../../sandbox/arm/cost/definition'
import { evaluateQuery } from '../../../../sandbox/arm/cost/evaluate'
import { costRecords } from '../../../../sandbox/arm/cost/records'
import { CostQueryThrottle } from '../../../../sandbox/arm/cost/throttle'
import { demoUsageHistory } from '../../../../sandbox/seed/cost-history'

// Pure parts of the Cost Management emulation, with fixed times (no sandbox needed).
const hour = 3_600_000
const day = 24 * hour
const now = Date.UTC(2026, 10, 18, 15, 30) // Wednesday 18 November 2026, 15:30 UTC

const badRequest = (body: unknown) => {
  try {
    parseQueryDefinition(body, now)
  } catch (error) {
    expect(error).toBeInstanceOf(ArmError)
    expect((error as ArmError).status).toBe(400)
    expect((error as ArmError).code).toBe('BadRequest')
    return (error as ArmError).message
  }
  throw new Error('expected a 400')
}

describe('query definition', () => {
  it('turns the timeframes into UTC ranges on the sandbox clock', () => {
    const range = (timeframe: string, extra: object = {}) => {
      const d = parseQueryDefinition({ type: 'ActualCost', timeframe, ...extra }, now)
      return [new Date(d.from).toISOString(), new Date(d.to).toISOString()]
    }
    expect(range('MonthToDate')).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-18T15:30:00.000Z'])
    expect(range('TheLastMonth')).toEqual(['2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'])
    expect(range('WeekToDate')).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-18T15:30:00.000Z'])
    expect(
      range('Custom', { timePeriod: { from: '2026-11-02T10:00:00Z', to: '2026-11-03T00:00:00Z' } }),
    ).toEqual(['2026-11-02T00:00:00.000Z', '2026-11-04T00:00:00.000Z'])
  })

  it('defaults to the pre-tax cost without aggregation and to no granularity', () => {
    const d = parseQueryDefinition({ type: 'Usage', timeframe: 'MonthToDate' }, now)
    expect(d.aggregations).toEqual([{ column: 'PreTaxCost', kind: 'cost' }])
    expect(d.granularity).toBe('None')
  })

  it('accepts names in any case and answers with Azure spelling', () => {
    const d = parseQueryDefinition(
      {
        type: 'actualcost',
        timeframe: 'monthtodate',
        dataset: {
          granularity: 'daily',
          aggregation: { totalCost: { name: 'costusd', function: 'sum' } },
          grouping: [{ type: 'dimension', name: 'resourcegroupname' }],
        },
      },
      now,
    )
    expect(d).toMatchObject({
      type: 'ActualCost',
      granularity: 'Daily',
      aggregations: [{ column: 'CostUSD', kind: 'costUSD' }],
      groupings: [{ kind: 'dimension', name: 'ResourceGroupName' }],
    })
  })

  it.each([
    [{ type: 'Forecast', timeframe: 'MonthToDate' }, /Invalid type: 'Forecast'/],
    [{ type: 'Usage', timeframe: 'Yesterday' }, /Invalid timeframe/],
    [{ type: 'Usage', timeframe: 'Custom' }, /timePeriod' is required/],
    [
      { type: 'Usage', timeframe: 'Custom', timePeriod: { from: '2026-11-05', to: '2026-11-01' } },
      /earlier than/,
    ],
    [
      { type: 'Usage', timeframe: 'Custom', timePeriod: { from: '2024-01-01', to: '2026-01-01' } },
      /cannot exceed 1 year/,
    ],
    [
      { type: 'Usage', timeframe: 'MonthToDate', dataset: { granularity: 'Hourly' } },
      /Invalid granularity/,
    ],
    [
      {
        type: 'Usage',
        timeframe: 'MonthToDate',
        dataset: { aggregation: { c: { name: 'Price', function: 'Sum' } } },
      },
      /column name: 'Price'/,
    ],
    [
      {
        type: 'Usage',
        timeframe: 'MonthToDate',
        dataset: { aggregation: { c: { name: 'Cost', function: 'Avg' } } },
      },
      /Invalid aggregation function/,
    ],
    [
      {
        type: 'Usage',
        timeframe: 'MonthToDate',
        dataset: { grouping: [1, 2, 3].map(() => ({ type: 'Dimension', name: 'ServiceName' })) },
      },
      /Maximum number of groupings allowed is 2/,
    ],
    [
      {
        type: 'Usage',
        timeframe: 'MonthToDate',
        dataset: {
          filter: { dimensions: { name: 'ServiceName', operator: 'Like', values: ['x'] } },
        },
      },
      /operator/,
    ],
    [
      {
        type: 'Usage',
        timeframe: 'MonthToDate',
        dataset: { filter: { and: [{ tags: { name: 'a', operator: 'In', values: ['b'] } }] } },
      },
      /at least two/,
    ],
  ])('rejects %j', (body, message) => {
    expect(badRequest(body)).toMatch(message)
  })
})

const usage = (over: Partial<UsageInterval>): UsageInterval => ({
  id: 'u',
  subscriptionId: 'sub',
  resourceGroup: 'RG-A',
  resourceId:
    '/subscriptions/sub/resourceGroups/RG-A/providers/Microsoft.Compute/virtualMachineScaleSets/pool',
  meter: 'compute',
  sku: 'Standard_D4s_v5',
  location: 'eastus',
  os: 'Linux',
  priority: 'Regular',
  quantity: 1,
  start: now - 10 * hour,
  end: now - 8 * hour,
  ...over,
})

describe('cost records and evaluation', () => {
  const intervals = [
    usage({}),
    usage({
      id: 'spot',
      priority: 'Spot',
      resourceGroup: 'rg-b',
      resourceId:
        '/subscriptions/sub/resourceGroups/rg-b/providers/Microsoft.Compute/virtualMachineScaleSets/spot',
    }),
    usage({
      id: 'open',
      meter: 'publicIp',
      sku: 'Standard',
      end: undefined,
      start: now - 2 * hour,
      resourceId:
        '/subscriptions/sub/resourceGroups/RG-A/providers/Microsoft.Network/publicIPAddresses/ip',
    }),
  ]
  const tags: Record<string, Record<string, string>> = {
    [intervals[0]!.resourceId]: { 'dsvm-pool': 'alpha' },
  }
  const records = costRecords(intervals, { from: now - day, to: now }, now, (id) => tags[id] ?? {})
  const run = (dataset: object) =>
    evaluateQuery(
      parseQueryDefinition({ type: 'Usage', timeframe: 'MonthToDate', dataset }, now),
      records,
    )

  it('prices Spot at the Spot meter and runs open intervals until now', () => {
    const result = run({
      aggregation: { c: { name: 'Cost', function: 'Sum' } },
      grouping: [
        { type: 'Dimension', name: 'PricingModel' },
        { type: 'Dimension', name: 'ServiceName' },
      ],
    })
    const rows = Object.fromEntries(result.rows.map((r) => [`${r[1]}/${r[2]}`, r[0] as number]))
    expect(rows['OnDemand/Virtual Machines']).toBeCloseTo(2 * 0.192, 6)
    expect(rows['Spot/Virtual Machines']).toBeCloseTo(2 * 0.03456, 6)
    expect(rows['OnDemand/Virtual Network']).toBeCloseTo(2 * 0.005, 6)
  })

  it('filters with and, or, not, tags and Contains', () => {
    const total = (filter: object) =>
      run({ aggregation: { c: { name: 'Cost', function: 'Sum' } }, filter }).rows.reduce(
        (s, r) => s + (r[0] as number),
        0,
      )
    expect(total({ tags: { name: 'DSVM-POOL', operator: 'In', values: ['alpha'] } })).toBeCloseTo(
      0.384,
      6,
    )
    expect(
      total({
        not: { dimensions: { name: 'ResourceGroupName', operator: 'In', values: ['rg-a'] } },
      }),
    ).toBeCloseTo(0.06912, 6)
    expect(
      total({
        or: [
          { dimensions: { name: 'ResourceId', operator: 'Contains', values: ['/spot'] } },
          { dimensions: { name: 'ResourceLocation', operator: 'In', values: ['West Europe'] } },
        ],
      }),
    ).toBeCloseTo(0.06912, 6)
    expect(
      total({
        and: [
          { dimensions: { name: 'ResourceLocation', operator: 'In', values: ['East US'] } },
          { dimensions: { name: 'MeterCategory', operator: 'In', values: ['Virtual Network'] } },
        ],
      }),
    ).toBeCloseTo(0.01, 6)
  })

  it('groups by tag into TagKey and TagValue columns, empty where a resource has no such tag', () => {
    const result = run({ grouping: [{ type: 'TagKey', name: 'dsvm-pool' }] })
    expect(result.columns.map((c) => c.name)).toEqual([
      'PreTaxCost',
      'TagKey',
      'TagValue',
      'Currency',
    ])
    expect(result.rows.map((r) => [r[1], r[2]])).toEqual([
      ['', ''],
      ['dsvm-pool', 'alpha'],
    ])
  })

  it('sums usage quantity in meter units (hours for compute)', () => {
    const result = run({
      aggregation: { q: { name: 'UsageQuantity', function: 'Sum' } },
      filter: { dimensions: { name: 'ServiceName', operator: 'In', values: ['Virtual Machines'] } },
    })
    expect(result.rows[0]![0]).toBeCloseTo(4, 6)
  })
})

describe('Cost Management throttle', () => {
  it('allows four queries per scope a minute, then tells how long to wait', () => {
    let t = 0
    const throttle = new CostQueryThrottle(() => t)
    for (let i = 0; i < 4; i++) {
      expect(throttle.take('tenant', 'subscriptions/a', 1).allowed).toBe(true)
      t += 1000
    }
    const denied = throttle.take('tenant', 'subscriptions/a', 1)
    expect(denied.allowed).toBe(false)
    expect(denied.headers['x-ms-ratelimit-microsoft.costmanagement-entity-retry-after']).toBe('56')
    expect(denied.headers['Retry-After']).toBe('56')
    t = 60_001
    expect(throttle.take('tenant', 'subscriptions/a', 1).allowed).toBe(true)
  })

  it('limits a tenant to 12 QPU in 10 seconds across scopes, a month of data costing one QPU', () => {
    let t = 0
    const throttle = new CostQueryThrottle(() => t)
    for (let i = 0; i < 4; i++) expect(throttle.take('tenant', `scope-${i}`, 3).allowed).toBe(true)
    const denied = throttle.take('tenant', 'scope-9', 1)
    expect(denied.allowed).toBe(false)
    expect(denied.headers['x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after']).toBe('10')
    expect(throttle.take('other-tenant', 'scope-9', 1).allowed).toBe(true)
    t = 10_001
    const allowed = throttle.take('tenant', 'scope-9', 1)
    expect(allowed.allowed).toBe(true)
    expect(allowed.headers['x-ms-ratelimit-microsoft.costmanagement-qpu-remaining']).toBe(
      'QueriesPerHour:587,QueriesPerMin:47,QueriesPer10Sec:11',
    )
  })
})

describe('demo month of spend', () => {
  const history = demoUsageHistory(now)

  it('is 30 finished days up to now, the same on every start', () => {
    expect(
      history.every(
        (u) => u.end !== undefined && u.end <= now && u.start >= now - 30 * day && u.start < u.end,
      ),
    ).toBe(true)
    expect(demoUsageHistory(now)).toEqual(history)
  })

  it('runs team-pool instances on weekdays in working hours, three at most, and the GPU pool on fewer days', () => {
    const compute = history.filter((u) => u.meter === 'compute')
    for (const u of compute) {
      const start = new Date(u.start)
      expect([1, 2, 3, 4, 5]).toContain(start.getUTCDay())
      expect(start.getUTCHours()).toBeGreaterThanOrEqual(8)
    }
    const team = compute.filter((u) => u.resourceGroup === 'rg-team-pool')
    expect(new Set(team.map((u) => u.instanceId))).toEqual(new Set(['0', '1', '2']))
    expect(
      team.every((u) => u.sku === 'Standard_D4s_v5' && u.location === 'eastus' && u.os === 'Linux'),
    ).toBe(true)
    const days = (rg: string) =>
      new Set(
        compute.filter((u) => u.resourceGroup === rg).map((u) => new Date(u.start).getUTCDate()),
      ).size
    expect(days('rg-gpu-pool')).toBeGreaterThan(0)
    expect(days('rg-gpu-pool')).toBeLessThan(days('rg-team-pool'))
  })

  it('bills disks with the instances and the IP, balancer and share all month', () => {
    const of = (meter: UsageInterval['meter'], rg: string) =>
      history.filter((u) => u.meter === meter && u.resourceGroup === rg)
    expect(of('osDisk', 'rg-team-pool')).toHaveLength(of('compute', 'rg-team-pool').length)
    for (const rg of ['rg-team-pool', 'rg-gpu-pool']) {
      expect(of('publicIp', rg)).toEqual([
        expect.objectContaining({ start: now - 30 * day, end: now, sku: 'Standard' }),
      ])
      expect(of('loadBalancer', rg)).toHaveLength(1)
      expect(of('filesStorage', rg)).toHaveLength(30)
    }
  })
})
