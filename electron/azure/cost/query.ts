/**
 * The Cost Management query the app sends for a pool, and how its table answer is read:
 * actual cost, month to date, one row per day and service (ServiceName), as in
 * `POST {scope}/providers/Microsoft.CostManagement/query`.
 */
export const costManagementApiVersion = '2023-11-01'

export const monthToDateByService = {
  type: 'ActualCost',
  timeframe: 'MonthToDate',
  dataset: {
    granularity: 'Daily',
    aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
    grouping: [{ type: 'Dimension', name: 'ServiceName' }],
  },
} as const

export interface QueryTable {
  columns: Array<{ name: string; type?: string }>
  rows: unknown[][]
}

export interface CostRow {
  /** "YYYY-MM-DD" */
  date: string
  service: string
  cost: number
  currency: string
}

const find = (table: QueryTable, names: string[]) =>
  table.columns.findIndex((c) => names.includes(c.name.toLowerCase()))

/** UsageDate is 20261127 (a number) or "2026-11-27T00:00:00" (a string), depending on the API. */
export function usageDateText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    const text = String(value)
    if (/^\d{8}$/.test(text)) return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
  }
  if (typeof value === 'string') {
    if (/^\d{8}$/.test(value)) return usageDateText(Number(value))
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10)
  }
  return undefined
}

/** Reads rows by column name (the service may order columns differently). */
export function costRows(table: QueryTable): CostRow[] {
  const cost = find(table, ['cost', 'totalcost', 'pretaxcost'])
  const date = find(table, ['usagedate'])
  const service = find(table, ['servicename'])
  const currency = find(table, ['currency', 'billingcurrency'])
  if (cost < 0 || date < 0) throw new Error('The cost answer has no cost or date column')
  const rows: CostRow[] = []
  for (const row of table.rows) {
    const day = usageDateText(row[date])
    const amount = Number(row[cost])
    if (!day || !Number.isFinite(amount)) continue
    rows.push({
      date: day,
      service:
        service >= 0 && typeof row[service] === 'string' && row[service]
          ? (row[service] as string)
          : 'Other',
      cost: amount,
      currency:
        currency >= 0 && typeof row[currency] === 'string' ? (row[currency] as string) : 'USD',
    })
  }
  return rows
}
