import { TemplateError } from '../errors'
import { deepEqual, tokenType, type Value } from '../value'
import { arrayArg, boolArg, expectCount, intArg, stringArg } from './args'
import type { FunctionTable } from './types'

function numbers(name: string, args: Value[]): number[] {
  expectCount(name, args, 1, Infinity)
  if (args.length === 1 && Array.isArray(args[0])) {
    const items = arrayArg(name, args, 0)
    if (items.length === 0)
      throw new TemplateError(`The template language function '${name}' expects a non-empty array.`)
    return items.map((_, i) => intArg(name, items, i))
  }
  return args.map((_, i) => intArg(name, args, i))
}

function compare(name: string, args: Value[]): number {
  expectCount(name, args, 2)
  const [a, b] = args
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  throw new TemplateError(
    `The template language function '${name}' expects two parameters of the same type 'Integer' or 'String'. The provided values are of types '${tokenType(a)}' and '${tokenType(b)}'.`,
  )
}

const arithmetic =
  (op: (a: number, b: number) => number): FunctionTable[string] =>
  (args, _env, name) => {
    expectCount(name, args, 2)
    return op(intArg(name, args, 0), intArg(name, args, 1))
  }

function nonZero(b: number): number {
  if (b === 0)
    throw new TemplateError('The template language function attempted to divide by zero.')
  return b
}

/** Logical, comparison, conversion and numeric functions of the template language. */
export const logicFunctions: FunctionTable = {
  equals: (args, _env, name) => {
    expectCount(name, args, 2)
    return deepEqual(args[0], args[1])
  },
  not: (args, _env, name) => {
    expectCount(name, args, 1)
    return !boolArg(name, args, 0)
  },
  and: (args, _env, name) => {
    expectCount(name, args, 2, Infinity)
    return args.map((_, i) => boolArg(name, args, i)).every(Boolean)
  },
  or: (args, _env, name) => {
    expectCount(name, args, 2, Infinity)
    return args.map((_, i) => boolArg(name, args, i)).some(Boolean)
  },
  true: (args, _env, name) => {
    expectCount(name, args, 0)
    return true
  },
  false: (args, _env, name) => {
    expectCount(name, args, 0)
    return false
  },
  null: (args, _env, name) => {
    expectCount(name, args, 0)
    return null
  },
  greater: (args, _env, name) => compare(name, args) > 0,
  greaterorequals: (args, _env, name) => compare(name, args) >= 0,
  less: (args, _env, name) => compare(name, args) < 0,
  lessorequals: (args, _env, name) => compare(name, args) <= 0,
  int: (args, _env, name) => {
    expectCount(name, args, 1)
    const [value] = args
    if (typeof value === 'number') return Math.trunc(value)
    const text = stringArg(name, args, 0).trim()
    if (!/^[+-]?\d+$/.test(text))
      throw new TemplateError(
        `The template language function 'int' cannot convert '${text}' to an integer.`,
      )
    return Number(text)
  },
  bool: (args, _env, name) => {
    expectCount(name, args, 1)
    const [value] = args
    if (typeof value === 'boolean') return value
    if (typeof value === 'number') return value !== 0
    const text = stringArg(name, args, 0).toLowerCase()
    if (text !== 'true' && text !== 'false')
      throw new TemplateError(
        `The template language function 'bool' cannot convert '${text}' to a boolean.`,
      )
    return text === 'true'
  },
  add: arithmetic((a, b) => a + b),
  sub: arithmetic((a, b) => a - b),
  mul: arithmetic((a, b) => a * b),
  div: arithmetic((a, b) => Math.trunc(a / nonZero(b))),
  mod: arithmetic((a, b) => a % nonZero(b)),
  min: (args, _env, name) => Math.min(...numbers(name, args)),
  max: (args, _env, name) => Math.max(...numbers(name, args)),
}
