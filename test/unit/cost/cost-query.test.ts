import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { costRows, usageDateText } from '../../../electron/azure/cost/query'
import { spendOf } from '../../../electron/azure/cost/spend'

const example = JSON.parse(
  readFileSync(
    join(
      process.env.AZURE_API_EXAMPLES ?? join(__dirname, '../../../../shared/azure-api-examples'),
      'costmanagement/2023-11-01/ResourceGroupQuery.json',
    ),
    'utf8',
  ),
) as { responses: { 200: { body: { properties: { columns: []; rows: [][] } } } } }

describe('reading a Cost Management answer', () => {
  it("reads Microsoft's resource group example by column name", () => {
    const rows = costRows(example.responses[200].body.properties)
    expect(rows).toEqual([
      { date: '2018-04-17', service: 'Other', cost: 2.10333307059661, currency: 'USD' },
      { date: '2018-04-18', service: 'Other', cost: 20.10333307059661, currency: 'USD' },
    ])
  })

  it('accepts UsageDate as yyyymmdd number or string and as an ISO date', () => {
    expect(usageDateText(20261127)).toBe('2026-11-27')
    expect(usageDateText('20261127')).toBe('2026-11-27')
    expect(usageDateText('2026-11-27T00:00:00')).toBe('2026-11-27')
    expect(usageDateText('yesterday')).toBeUndefined()
  })

  it('reads columns in any order and names the service', () => {
    const rows = costRows({
      columns: [
        { name: 'UsageDate' },
        { name: 'ServiceName' },
        { name: 'Currency' },
        { name: 'Cost' },
      ],
      rows: [[20261102, 'Storage', 'EUR', 1.5]],
    })
    expect(rows).toEqual([{ date: '2026-11-02', service: 'Storage', cost: 1.5, currency: 'EUR' }])
  })
})

describe('spendOf', () => {
  it('fills the days of the month so far, adds up services, ranks them and projects', () => {
    const now = Date.parse('2026-11-04T12:00:00Z')
    const spend = spendOf(
      { subscriptionId: 's', resourceGroup: 'rg' },
      [
        { date: '2026-11-01', service: 'Virtual Machines', cost: 6, currency: 'USD' },
        { date: '2026-11-01', service: 'Storage', cost: 1, currency: 'USD' },
        { date: '2026-11-03', service: 'Virtual Machines', cost: 8, currency: 'USD' },
        { date: '2026-11-04', service: 'Storage', cost: 0.5, currency: 'USD' },
      ],
      now,
      '2026-11-04T12:00:00.000Z',
    )
    expect(spend.days.map((d) => [d.date, d.total])).toEqual([
      ['2026-11-01', 7],
      ['2026-11-02', 0],
      ['2026-11-03', 8],
      ['2026-11-04', 0.5],
    ])
    expect(spend.days[0]!.byService).toEqual({ 'Virtual Machines': 6, Storage: 1 })
    expect(spend.services).toEqual(['Virtual Machines', 'Storage'])
    expect(spend.monthToDate).toBeCloseTo(15.5, 10)
    // mean of the three complete days (7 + 0 + 8) / 3 = 5 for the 26.5 days left
    expect(spend.projection.projected).toBeCloseTo(15.5 + 26.5 * 5, 10)
    expect(spend.fromCache).toBe(false)
  })

  it('moves today to the latest day with figures when the local clock is behind', () => {
    const spend = spendOf(
      { subscriptionId: 's', resourceGroup: 'rg' },
      [
        { date: '2026-11-01', service: 'Storage', cost: 2, currency: 'USD' },
        { date: '2026-11-03', service: 'Storage', cost: 4, currency: 'USD' },
      ],
      Date.parse('2026-11-02T12:00:00Z'),
      '2026-11-02T12:00:00.000Z',
    )
    expect(spend.days.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'])
    expect(spend.monthToDate).toBeCloseTo(6, 10)
    expect(spend.days.reduce((s, d) => s + d.total, 0)).toBeCloseTo(spend.monthToDate, 10)
  })
})
