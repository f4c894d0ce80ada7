/** A value of the template language: plain JSON. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value }
export type ObjectValue = { [key: string]: Value }

export const isObject = (value: unknown): value is ObjectValue =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The type name ARM uses in its messages (JToken types). */
export function tokenType(value: Value | undefined): string {
  if (value === undefined || value === null) return 'Null'
  if (typeof value === 'string') return 'String'
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float'
  if (typeof value === 'boolean') return 'Boolean'
  if (Array.isArray(value)) return 'Array'
  return 'Object'
}

/** Property lookup as ARM does it: exact name first, then case-insensitively. */
export function propertyOf(object: ObjectValue, name: string): Value | undefined {
  if (Object.hasOwn(object, name)) return object[name]
  const lower = name.toLowerCase()
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : object[key]
}

export function deepEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]))
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    return keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  }
  return false
}

/** Deep copy of a JSON value (templates are evaluated many times; never share structure). */
export const clone = <T extends Value>(value: T): T => structuredClone(value)
