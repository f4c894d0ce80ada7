import { TemplateError } from '../errors'
import { deepEqual, isObject, propertyOf, tokenType, type ObjectValue, type Value } from '../value'
import { arrayArg, expectCount, intArg, objectArg, stringArg, stringOrArrayArg } from './args'
import { toArmString } from './convert'
import type { FunctionTable } from './types'

function mergeObjects(target: ObjectValue, source: ObjectValue): ObjectValue {
  const out: ObjectValue = { ...target }
  for (const [key, value] of Object.entries(source)) {
    const existing = out[key]
    out[key] = isObject(existing) && isObject(value) ? mergeObjects(existing, value) : value
  }
  return out
}

const distinct = (items: Value[]) =>
  items.filter((item, i) => items.findIndex((other) => deepEqual(other, item)) === i)

/** Array, object and collection functions of the template language. */
export const collectionFunctions: FunctionTable = {
  concat: (args, _env, name) => {
    expectCount(name, args, 1, Infinity)
    if (args.every(Array.isArray)) return (args as Value[][]).flat(1)
    if (args.some((a) => Array.isArray(a) || isObject(a))) {
      throw new TemplateError(
        `The template language function 'concat' expects its parameters to be either all arrays or all of type string or integer. The provided values are of types '${args.map(tokenType).join(', ')}'.`,
      )
    }
    return args.map(toArmString).join('')
  },
  union: (args, _env, name) => {
    expectCount(name, args, 1, Infinity)
    if (args.every(Array.isArray)) return distinct((args as Value[][]).flat(1))
    if (args.every(isObject)) return (args as ObjectValue[]).reduce(mergeObjects, {})
    throw new TemplateError(
      `The template language function 'union' expects its parameters to be all arrays or all objects.`,
    )
  },
  intersection: (args, _env, name) => {
    expectCount(name, args, 2, Infinity)
    if (args.every(Array.isArray)) {
      const [first, ...rest] = args as Value[][]
      return distinct(
        first!.filter((item) => rest.every((other) => other.some((o) => deepEqual(o, item)))),
      )
    }
    if (args.every(isObject)) {
      const [first, ...rest] = args as ObjectValue[]
      return Object.fromEntries(
        Object.entries(first!).filter(([k, v]) =>
          rest.every((o) => Object.hasOwn(o, k) && deepEqual(o[k], v)),
        ),
      )
    }
    throw new TemplateError(
      `The template language function 'intersection' expects its parameters to be all arrays or all objects.`,
    )
  },
  contains: (args, _env, name) => {
    expectCount(name, args, 2)
    const [container, item] = args
    if (typeof container === 'string') return container.includes(toArmString(item))
    if (Array.isArray(container)) return container.some((c) => deepEqual(c, item ?? null))
    if (isObject(container)) return propertyOf(container, stringArg(name, args, 1)) !== undefined
    throw new TemplateError(
      `The template language function 'contains' expects its first parameter to be of type 'String, Array, Object'. The provided value is of type '${tokenType(container)}'.`,
    )
  },
  empty: (args, _env, name) => {
    expectCount(name, args, 1)
    const [value] = args
    if (value === null || value === undefined) return true
    if (typeof value === 'string' || Array.isArray(value)) return value.length === 0
    if (isObject(value)) return Object.keys(value).length === 0
    throw new TemplateError(
      `The template language function 'empty' expects its parameter to be of type 'String, Array, Object, Null'. The provided value is of type '${tokenType(value)}'.`,
    )
  },
  length: (args, _env, name) => {
    expectCount(name, args, 1)
    const [value] = args
    if (typeof value === 'string' || Array.isArray(value)) return value.length
    if (isObject(value)) return Object.keys(value).length
    throw new TemplateError(
      `The template language function 'length' expects its parameter to be of type 'String, Array, Object'. The provided value is of type '${tokenType(value)}'.`,
    )
  },
  first: (args, _env, name) => {
    expectCount(name, args, 1)
    const value = stringOrArrayArg(name, args, 0)
    return value.length === 0 ? (typeof value === 'string' ? '' : null) : value[0]!
  },
  last: (args, _env, name) => {
    expectCount(name, args, 1)
    const value = stringOrArrayArg(name, args, 0)
    return value.length === 0 ? (typeof value === 'string' ? '' : null) : value[value.length - 1]!
  },
  take: (args, _env, name) => {
    expectCount(name, args, 2)
    return stringOrArrayArg(name, args, 0).slice(0, Math.max(0, intArg(name, args, 1)))
  },
  skip: (args, _env, name) => {
    expectCount(name, args, 2)
    return stringOrArrayArg(name, args, 0).slice(Math.max(0, intArg(name, args, 1)))
  },
  createarray: (args) => [...args],
  createobject: (args, _env, name) => {
    if (args.length % 2 !== 0) {
      throw new TemplateError(
        `The template language function 'createObject' must have an even number of parameters.`,
      )
    }
    const out: ObjectValue = {}
    for (let i = 0; i < args.length; i += 2) out[stringArg(name, args, i)] = args[i + 1]!
    return out
  },
  array: (args, _env, name) => {
    expectCount(name, args, 1)
    return Array.isArray(args[0]) ? args[0] : [args[0]!]
  },
  json: (args, _env, name) => {
    expectCount(name, args, 1)
    const text = stringArg(name, args, 0)
    try {
      return JSON.parse(text) as Value
    } catch {
      throw new TemplateError(
        `The template language function 'json' expects a valid JSON string. The provided value is '${text}'.`,
      )
    }
  },
  items: (args, _env, name) => {
    expectCount(name, args, 1)
    const object = objectArg(name, args, 0)
    return Object.keys(object)
      .sort((a, b) => a.localeCompare(b))
      .map((key) => ({ key, value: object[key]! }))
  },
  range: (args, _env, name) => {
    expectCount(name, args, 2)
    const count = intArg(name, args, 1)
    if (count < 0 || count > 10000)
      throw new TemplateError(
        `The template language function 'range' count must be between 0 and 10000.`,
      )
    const start = intArg(name, args, 0)
    return Array.from({ length: count }, (_, i) => start + i)
  },
  join: (args, _env, name) => {
    expectCount(name, args, 2)
    return arrayArg(name, args, 0)
      .map(toArmString)
      .join(stringArg(name, args, 1))
  },
  coalesce: (args, _env, name) => {
    expectCount(name, args, 1, Infinity)
    return args.find((a) => a !== null && a !== undefined) ?? null
  },
}
