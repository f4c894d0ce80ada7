import { ArmError } from '../core/arm-error'
import type { GraphUser } from './directory'

/**
 * The OData query options Microsoft Graph accepts on /users, as far as a people picker
 * uses them: `$search` ("property:text" clauses joined by OR/AND, which needs the header
 * ConsistencyLevel: eventual), `$filter` (startswith / eq on the name properties, joined by
 * or/and), `$select` and `$top`.
 */
const searchable = ['displayName', 'givenName', 'surname', 'mail', 'userPrincipalName']
const filterable = [...searchable, 'userType', 'id']

const value = (user: GraphUser, property: string) =>
  String((user as unknown as Record<string, unknown>)[property] ?? '')

/** $search matches a word of the property that starts with the text (Graph tokenizes). */
function searchMatches(user: GraphUser, property: string, text: string): boolean {
  const wanted = text.toLowerCase()
  const full = value(user, property).toLowerCase()
  if (full.startsWith(wanted)) return true
  return full.split(/[\s._@#-]+/).some((word) => word.startsWith(wanted))
}

export function parseSearch(search: string): (user: GraphUser) => boolean {
  const clauses: Array<{ op: 'OR' | 'AND'; test: (u: GraphUser) => boolean }> = []
  const pattern = /\s*(?:(OR|AND)\s+)?"([^":]+):([^"]*)"/gy
  let match: RegExpExecArray | null
  let position = 0
  while ((match = pattern.exec(search))) {
    const [, op, property, text] = match
    const name = searchable.find((p) => p.toLowerCase() === property!.toLowerCase())
    if (!name) {
      throw new ArmError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid search clause specified for property '${property}' of resource 'User'.`,
      )
    }
    if (clauses.length > 0 && !op) break
    clauses.push({
      op: (op?.toUpperCase() as 'OR' | 'AND') ?? 'OR',
      test: (u) => searchMatches(u, name, text!),
    })
    position = pattern.lastIndex
  }
  if (clauses.length === 0 || search.slice(position).trim()) {
    throw new ArmError(
      400,
      'Request_UnsupportedQuery',
      `Syntax error: the search '${search}' is not valid. Use "property:text", e.g. "displayName:ada" OR "mail:ada".`,
    )
  }
  return (u) =>
    clauses.reduce<boolean>(
      (acc, c, i) => (i === 0 ? c.test(u) : c.op === 'AND' ? acc && c.test(u) : acc || c.test(u)),
      false,
    )
}

export function parseFilter(filter: string): (user: GraphUser) => boolean {
  const parts = filter.split(/\s+(or|and)\s+/i)
  const tests: Array<(u: GraphUser) => boolean> = []
  const ops: string[] = []
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      ops.push(part.toLowerCase())
      return
    }
    const clause = part.trim()
    const starts = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause)
    const equals = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause)
    const m = starts ?? equals
    const property = m && filterable.find((p) => p.toLowerCase() === m[1]!.toLowerCase())
    if (!m || !property || (starts && property === 'userType')) {
      throw new ArmError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${m?.[1] ?? clause}' of resource 'User'.`,
      )
    }
    const text = m[2]!.replace(/''/g, "'").toLowerCase()
    tests.push(
      starts
        ? (u) => value(u, property).toLowerCase().startsWith(text)
        : (u) => value(u, property).toLowerCase() === text,
    )
  })
  return (u) =>
    tests.reduce<boolean>(
      (acc, test, i) =>
        i === 0 ? test(u) : ops[i - 1] === 'and' ? acc && test(u) : acc || test(u),
      false,
    )
}

export function parseSelect(select: string | undefined): string[] | undefined {
  if (!select?.trim()) return undefined
  return select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

export function project(user: GraphUser, select: string[] | undefined): Record<string, unknown> {
  if (!select) {
    // userType is not in Graph's default property set: it comes only when selected.
    const { userType: _userType, ...rest } = user
    return rest
  }
  const all = user as unknown as Record<string, unknown>
  return Object.fromEntries(
    select.map((s) => {
      const key = Object.keys(all).find((k) => k.toLowerCase() === s.toLowerCase()) ?? s
      return [key, all[key] ?? null]
    }),
  )
}
