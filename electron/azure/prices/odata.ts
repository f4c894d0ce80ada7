/**
 * Retail Prices `$filter` built from fields and values, never from pasted text: every value
 * is an OData string literal (quotes doubled), fields come from a fixed list, conditions are
 * joined with `and` in a fixed order so that equal queries have equal filters (and cache keys).
 */
export const priceFields = [
  'serviceFamily',
  'serviceName',
  'armRegionName',
  'location',
  'priceType',
  'productName',
  'skuName',
  'armSkuName',
  'meterName',
  'meterId',
  'productId',
  'skuId',
  'serviceId',
] as const
export type PriceField = (typeof priceFields)[number]

/** Equality conditions on the filterable fields. */
export type PriceQuery = Partial<Record<PriceField, string>>

/** An OData string literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  // Control characters have no place in a price filter and would only garble the query.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new RangeError('A price filter value cannot contain control characters')
  }
  return `'${value.replace(/'/g, "''")}'`
}

/** `serviceName eq 'Virtual Machines' and armRegionName eq 'eastus'`. */
export function filterOf(query: PriceQuery): string {
  const conditions: string[] = []
  for (const field of priceFields) {
    const value = query[field]
    if (value !== undefined) conditions.push(`${field} eq ${odataString(value)}`)
  }
  if (conditions.length === 0) throw new RangeError('A price query needs at least one condition')
  return conditions.join(' and ')
}
