import type { QueryDefinition, QueryFilter } from './definition'
import type { CostRecord } from './records'

export interface QueryColumn {
  name: string
  type: 'Number' | 'String'
}

export interface QueryResult {
  columns: QueryColumn[]
  rows: Array<Array<string | number>>
}

const billingCurrency = 'USD'

function tagValue(tags: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(tags).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : tags[key]
}

function matches(filter: QueryFilter, record: CostRecord): boolean {
  if ('and' in filter) return filter.and.every((f) => matches(f, record))
  if ('or' in filter) return filter.or.some((f) => matches(f, record))
  if ('not' in filter) return !matches(filter.not, record)
  const actual =
    'dimension' in filter ? record.dimensions[filter.dimension] : tagValue(record.tags, filter.tag)
  if (actual === undefined) return false
  // Locations match by name or display name ("eastus", "East US").
  const normalize =
    'dimension' in filter && filter.dimension === 'ResourceLocation'
      ? (text: string) => text.toLowerCase().replace(/\s+/g, '')
      : (text: string) => text.toLowerCase()
  const value = normalize(actual)
  return filter.values.some((wanted) =>
    filter.operator === 'In' ? value === normalize(wanted) : value.includes(normalize(wanted)),
  )
}

/**
 * Sums cost records the way the query API does: one row per day (Daily) and group, with
 * the aggregations first, then the groupings, UsageDate and Currency (the column order of
 * Microsoft's examples).
 */
export function evaluateQuery(definition: QueryDefinition, records: CostRecord[]): QueryResult {
  const columns: QueryColumn[] = definition.aggregations.map((a) => ({
    name: a.column,
    type: 'Number',
  }))
  for (const grouping of definition.groupings) {
    if (grouping.kind === 'dimension') columns.push({ name: grouping.name, type: 'String' })
    else columns.push({ name: 'TagKey', type: 'String' }, { name: 'TagValue', type: 'String' })
  }
  const daily = definition.granularity === 'Daily'
  if (daily) columns.push({ name: 'UsageDate', type: 'Number' })
  columns.push({ name: 'Currency', type: 'String' })

  const groups = new Map<string, { keys: Array<string | number>; sums: number[] }>()
  for (const record of records) {
    if (definition.filter && !matches(definition.filter, record)) continue
    const keys: Array<string | number> = []
    for (const grouping of definition.groupings) {
      if (grouping.kind === 'dimension') {
        keys.push(record.dimensions[grouping.name])
      } else {
        const value = tagValue(record.tags, grouping.name)
        keys.push(value === undefined ? '' : grouping.name, value ?? '')
      }
    }
    if (daily) keys.push(record.usageDate)
    const id = JSON.stringify(keys)
    const group = groups.get(id) ?? { keys, sums: definition.aggregations.map(() => 0) }
    definition.aggregations.forEach((aggregation, i) => {
      group.sums[i]! += aggregation.kind === 'quantity' ? record.quantity : record.cost
    })
    groups.set(id, group)
  }

  const rows = [...groups.values()]
    .sort((a, b) =>
      compareKeys(daily ? rotateDate(a.keys) : a.keys, daily ? rotateDate(b.keys) : b.keys),
    )
    .map(({ keys, sums }) => [...sums, ...keys, billingCurrency])
  return { columns, rows }
}

/** Rows sort by date first, then by group values. */
const rotateDate = (keys: Array<string | number>) => [keys[keys.length - 1]!, ...keys.slice(0, -1)]

function compareKeys(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    return typeof x === 'number' && typeof y === 'number'
      ? x - y
      : String(x).localeCompare(String(y))
  }
  return 0
}
