import { ArmError } from '../../core/arm-error'

/**
 * The query definition Cost Management accepts (`POST {scope}/providers/Microsoft.CostManagement/query`),
 * checked the way the service checks it and normalised for the evaluator.
 */

/** Dimensions the sandbox can group and filter by, in the spelling Azure uses for columns. */
export const dimensionNames = [
  'ResourceGroup',
  'ResourceGroupName',
  'ResourceLocation',
  'ConsumedService',
  'ResourceType',
  'ResourceId',
  'MeterId',
  'MeterCategory',
  'MeterSubcategory',
  'Meter',
  'SubscriptionId',
  'SubscriptionName',
  'ServiceName',
  'ServiceTier',
  'ChargeType',
  'PublisherType',
  'PricingModel',
] as const
export type DimensionName = (typeof dimensionNames)[number]

const canonicalDimension = new Map(dimensionNames.map((d) => [d.toLowerCase(), d]))

export type AggregationKind = 'cost' | 'costUSD' | 'quantity'
const aggregationColumns: Record<string, AggregationKind> = {
  pretaxcost: 'cost',
  cost: 'cost',
  pretaxcostusd: 'costUSD',
  costusd: 'costUSD',
  usagequantity: 'quantity',
}
const canonicalAggregation: Record<string, string> = {
  pretaxcost: 'PreTaxCost',
  cost: 'Cost',
  pretaxcostusd: 'PreTaxCostUSD',
  costusd: 'CostUSD',
  usagequantity: 'UsageQuantity',
}

export interface Aggregation {
  /** Column name in the result, e.g. "Cost" or "PreTaxCost". */
  column: string
  kind: AggregationKind
}

export type Grouping = { kind: 'dimension'; name: DimensionName } | { kind: 'tag'; name: string }

export type QueryFilter =
  | { and: QueryFilter[] }
  | { or: QueryFilter[] }
  | { not: QueryFilter }
  | { dimension: DimensionName; operator: 'In' | 'Contains'; values: string[] }
  | { tag: string; operator: 'In' | 'Contains'; values: string[] }

export interface QueryDefinition {
  type: 'Usage' | 'ActualCost' | 'AmortizedCost'
  /** Sandbox ms, inclusive start of the first day. */
  from: number
  /** Sandbox ms, exclusive end (midnight after the last day, or now for "to date"). */
  to: number
  granularity: 'Daily' | 'None'
  aggregations: Aggregation[]
  groupings: Grouping[]
  filter?: QueryFilter
}

const day = 24 * 60 * 60 * 1000
const maxGroupings = 2

const invalid = (message: string) =>
  new ArmError(400, 'BadRequest', `Invalid query definition: ${message}`)

const startOfUtcDay = (t: number) => Math.floor(t / day) * day
const startOfUtcMonth = (t: number) => {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}
const previousMonthStart = (t: number) => {
  const d = new Date(startOfUtcMonth(t))
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)
}

function pick<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  const match =
    typeof value === 'string'
      ? allowed.find((a) => a.toLowerCase() === value.toLowerCase())
      : undefined
  if (!match)
    throw invalid(
      `Invalid ${what}: '${String(value)}'; valid values: ${allowed.map((a) => `'${a}'`).join(',')}.`,
    )
  return match
}

function timeRange(body: Record<string, unknown>, now: number): { from: number; to: number } {
  const timeframe = pick(
    body.timeframe,
    [
      'MonthToDate',
      'BillingMonthToDate',
      'TheLastMonth',
      'TheLastBillingMonth',
      'WeekToDate',
      'Custom',
    ] as const,
    'timeframe',
  )
  switch (timeframe) {
    case 'MonthToDate':
    case 'BillingMonthToDate':
      return { from: startOfUtcMonth(now), to: now }
    case 'TheLastMonth':
    case 'TheLastBillingMonth':
      return { from: previousMonthStart(now), to: startOfUtcMonth(now) }
    case 'WeekToDate': {
      const today = startOfUtcDay(now)
      const sinceMonday = (new Date(today).getUTCDay() + 6) % 7
      return { from: today - sinceMonday * day, to: now }
    }
    case 'Custom': {
      const period = body.timePeriod as { from?: unknown; to?: unknown } | undefined
      if (!period || typeof period !== 'object')
        throw invalid("'timePeriod' is required when timeframe is 'Custom'.")
      const from = Date.parse(String(period.from))
      const to = Date.parse(String(period.to))
      if (Number.isNaN(from) || Number.isNaN(to))
        throw invalid("'timePeriod.from' and 'timePeriod.to' must be dates.")
      if (from > to) throw invalid("'timePeriod.from' must be earlier than 'timePeriod.to'.")
      // Cost Management works in whole days: the last day is included up to its end.
      const end = startOfUtcDay(to) + day
      if (end - startOfUtcDay(from) > 366 * day) {
        throw invalid('The time period for pulling the data cannot exceed 1 year(s).')
      }
      return { from: startOfUtcDay(from), to: end }
    }
  }
}

function aggregations(dataset: Record<string, unknown>): Aggregation[] {
  const raw = dataset.aggregation
  // Without an aggregation the service sums the pre-tax cost (see Microsoft's ResourceGroupQuery example).
  if (raw === undefined || raw === null) return [{ column: 'PreTaxCost', kind: 'cost' }]
  if (typeof raw !== 'object') throw invalid("'dataset.aggregation' must be an object.")
  const entries = Object.entries(raw as Record<string, { name?: unknown; function?: unknown }>)
  if (entries.length === 0) return [{ column: 'PreTaxCost', kind: 'cost' }]
  return entries.map(([alias, value]) => {
    const name = String(value?.name ?? '').toLowerCase()
    const kind = aggregationColumns[name]
    if (!kind) {
      throw invalid(
        `Invalid aggregation '${alias}' column name: '${String(value?.name)}'; valid values: ${Object.values(
          canonicalAggregation,
        )
          .map((c) => `'${c}'`)
          .join(',')}.`,
      )
    }
    if (String(value?.function ?? '').toLowerCase() !== 'sum') {
      throw invalid(
        `Invalid aggregation function: '${String(value?.function)}'; valid values: 'Sum'.`,
      )
    }
    return { column: canonicalAggregation[name]!, kind }
  })
}

function dimension(name: unknown): DimensionName {
  const match = typeof name === 'string' ? canonicalDimension.get(name.toLowerCase()) : undefined
  if (!match) {
    throw invalid(
      `Invalid dataset grouping: '${String(name)}'; valid values: ${dimensionNames.map((d) => `'${d}'`).join(',')}.`,
    )
  }
  return match
}

function groupings(dataset: Record<string, unknown>): Grouping[] {
  const raw = dataset.grouping
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw invalid("'dataset.grouping' must be an array.")
  if (raw.length > maxGroupings)
    throw invalid(`Maximum number of groupings allowed is ${maxGroupings}.`)
  return raw.map((g: { type?: unknown; name?: unknown }) => {
    const type = String(g?.type ?? '').toLowerCase()
    if (type === 'dimension') return { kind: 'dimension', name: dimension(g.name) }
    if (type === 'tagkey' || type === 'tag') {
      if (typeof g.name !== 'string' || g.name === '')
        throw invalid('A tag grouping needs the tag name.')
      return { kind: 'tag', name: g.name }
    }
    throw invalid(
      `Invalid grouping type: '${String(g?.type)}'; valid values: 'Dimension','TagKey'.`,
    )
  })
}

function comparison(raw: { name?: unknown; operator?: unknown; values?: unknown }, what: string) {
  const operator = pick(raw?.operator, ['In', 'Contains'] as const, `${what} filter operator`)
  if (!Array.isArray(raw.values) || raw.values.some((v) => typeof v !== 'string')) {
    throw invalid(`The ${what} filter needs 'values', a list of strings.`)
  }
  return { operator, values: raw.values as string[] }
}

function filter(raw: unknown): QueryFilter {
  if (!raw || typeof raw !== 'object') throw invalid("'dataset.filter' must be an object.")
  const node = raw as Record<string, unknown>
  const keys = Object.keys(node)
  if (keys.length !== 1)
    throw invalid(
      `A filter expression has exactly one of 'and', 'or', 'not', 'dimensions', 'tags'; found ${keys.join(', ') || 'none'}.`,
    )
  const key = keys[0]!.toLowerCase()
  const value = node[keys[0]!]
  if (key === 'and' || key === 'or') {
    if (!Array.isArray(value) || value.length < 2)
      throw invalid(`'${key}' needs at least two expressions.`)
    const parts = value.map(filter)
    return key === 'and' ? { and: parts } : { or: parts }
  }
  if (key === 'not') return { not: filter(value) }
  if (key === 'dimensions' || key === 'dimension') {
    const comp = value as { name?: unknown; operator?: unknown; values?: unknown }
    return { dimension: dimension(comp?.name), ...comparison(comp, 'dimensions') }
  }
  if (key === 'tags' || key === 'tag') {
    const comp = value as { name?: unknown; operator?: unknown; values?: unknown }
    if (typeof comp?.name !== 'string') throw invalid("A tags filter needs the tag 'name'.")
    return { tag: comp.name, ...comparison(comp, 'tags') }
  }
  throw invalid(`Unknown filter expression '${keys[0]}'.`)
}

/** Validates the request body; throws the 400 the service answers for a bad definition. */
export function parseQueryDefinition(body: unknown, now: number): QueryDefinition {
  if (!body || typeof body !== 'object') throw invalid('The request body is required.')
  const definition = body as Record<string, unknown>
  const type = pick(definition.type, ['Usage', 'ActualCost', 'AmortizedCost'] as const, 'type')
  const { from, to } = timeRange(definition, now)
  const dataset = (definition.dataset ?? {}) as Record<string, unknown>
  if (typeof dataset !== 'object') throw invalid("'dataset' must be an object.")
  const granularity =
    dataset.granularity === undefined
      ? 'None'
      : pick(dataset.granularity, ['Daily', 'None'] as const, 'granularity')
  return {
    type,
    from,
    to,
    granularity,
    aggregations: aggregations(dataset),
    groupings: groupings(dataset),
    ...(dataset.filter !== undefined ? { filter: filter(dataset.filter) } : {}),
  }
}
