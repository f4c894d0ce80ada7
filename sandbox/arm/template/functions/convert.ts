import type { Value } from '../value'

/** string(): booleans are written True/False and objects as compact JSON, as in Azure. */
export function toArmString(value: Value | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return String(value)
  return JSON.stringify(value)
}
