import { ArmError } from '../../core/arm-error'

/** One condition of the OData `$filter` subset Resource Manager supports for listings. */
export interface FilterClause {
  kind: 'eq' | 'substringof'
  /** tagName, tagValue, resourceType, name, location, resourceGroup (lower case). */
  field: string
  value: string
}

const fields = new Set(['tagname', 'tagvalue', 'resourcetype', 'name', 'location', 'resourcegroup'])

const invalidFilter = (filter: string, reason: string) =>
  new ArmError(
    400,
    'InvalidFilterInQueryString',
    `Invalid $filter '${filter}' specified in the query string. ${reason}`,
  )

/**
 * Parses filters such as `tagName eq 'dsvm-pool' and tagValue eq 'gpu'` or
 * `resourceType eq 'Microsoft.Compute/virtualMachineScaleSets'` or `substringof('gpu', name)`.
 */
export function parseFilter(filter: string | undefined): FilterClause[] {
  if (!filter || filter.trim() === '') return []
  const clauses: FilterClause[] = []
  let rest = filter.trim()
  const literal = "'((?:[^']|'')*)'"
  while (rest.length > 0) {
    const eq = new RegExp(`^(\\w+)\\s+eq\\s+${literal}\\s*`, 'i').exec(rest)
    const substring = new RegExp(
      `^substringof\\(\\s*${literal}\\s*,\\s*(\\w+)\\s*\\)\\s*`,
      'i',
    ).exec(rest)
    if (eq) {
      clauses.push({ kind: 'eq', field: eq[1]!.toLowerCase(), value: eq[2]!.replace(/''/g, "'") })
      rest = rest.slice(eq[0].length)
    } else if (substring) {
      clauses.push({
        kind: 'substringof',
        field: substring[2]!.toLowerCase(),
        value: substring[1]!.replace(/''/g, "'"),
      })
      rest = rest.slice(substring[0].length)
    } else {
      throw invalidFilter(
        filter,
        "Supported are 'eq' comparisons and substringof() joined with 'and'.",
      )
    }
    const and = /^and\s+/i.exec(rest)
    if (and) rest = rest.slice(and[0].length)
    else if (rest.length > 0) throw invalidFilter(filter, "Conditions must be joined with 'and'.")
  }
  for (const clause of clauses) {
    if (!fields.has(clause.field))
      throw invalidFilter(filter, `The property '${clause.field}' cannot be filtered on.`)
  }
  const hasTag = clauses.some((c) => c.field === 'tagname')
  if (clauses.some((c) => c.field === 'tagvalue') && !hasTag)
    throw invalidFilter(filter, "A 'tagValue' filter needs a 'tagName' filter.")
  if (hasTag && clauses.some((c) => !c.field.startsWith('tag'))) {
    throw invalidFilter(filter, 'Tag filters cannot be combined with filters on other properties.')
  }
  return clauses
}

export interface Filterable {
  name: string
  type: string
  location?: string
  resourceGroup?: string
  tags?: Record<string, string>
}

export function matchesFilter(item: Filterable, clauses: FilterClause[]): boolean {
  const tagName = clauses.find((c) => c.field === 'tagname')
  const tagValue = clauses.find((c) => c.field === 'tagvalue')
  if (tagName) {
    const key = Object.keys(item.tags ?? {}).find(
      (k) => k.toLowerCase() === tagName.value.toLowerCase(),
    )
    if (key === undefined) return false
    if (tagValue && item.tags![key] !== tagValue.value) return false
  }
  return clauses
    .filter((c) => !c.field.startsWith('tag'))
    .every((c) => {
      const actual =
        (c.field === 'resourcetype'
          ? item.type
          : c.field === 'resourcegroup'
            ? item.resourceGroup
            : c.field === 'location'
              ? item.location
              : item.name) ?? ''
      return c.kind === 'eq'
        ? actual.toLowerCase() === c.value.toLowerCase()
        : actual.toLowerCase().includes(c.value.toLowerCase())
    })
}
