import { TemplateError } from '../errors'
import { isObject, tokenType, type ObjectValue, type Value } from '../value'

export type FunctionImpl = (args: Value[], name: string) => Value

const ordinal = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
]
const nth = (i: number) => ordinal[i] ?? `${i + 1}th`

export function expectCount(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const wanted =
      min === max ? `${min}` : max === Infinity ? `at least ${min}` : `between ${min} and ${max}`
    throw new TemplateError(
      `Unable to evaluate template language function '${name}': function requires ${wanted} argument(s) while ${args.length} were provided.`,
    )
  }
}

function wrongType(name: string, index: number, expected: string, value: Value | undefined): never {
  throw new TemplateError(
    `The template language function '${name}' expects its ${nth(index)} parameter to be of type '${expected}'. The provided value is of type '${tokenType(value)}'.`,
  )
}

export function stringArg(name: string, args: Value[], index: number): string {
  const value = args[index]
  if (typeof value !== 'string') wrongType(name, index, 'String', value)
  return value
}

export function intArg(name: string, args: Value[], index: number): number {
  const value = args[index]
  if (typeof value !== 'number' || !Number.isInteger(value))
    wrongType(name, index, 'Integer', value)
  return value
}

export function boolArg(name: string, args: Value[], index: number): boolean {
  const value = args[index]
  if (typeof value !== 'boolean') wrongType(name, index, 'Boolean', value)
  return value
}

export function arrayArg(name: string, args: Value[], index: number): Value[] {
  const value = args[index]
  if (!Array.isArray(value)) wrongType(name, index, 'Array', value)
  return value
}

export function objectArg(name: string, args: Value[], index: number): ObjectValue {
  const value = args[index]
  if (!isObject(value)) wrongType(name, index, 'Object', value)
  return value
}

export function stringOrArrayArg(name: string, args: Value[], index: number): string | Value[] {
  const value = args[index]
  if (typeof value !== 'string' && !Array.isArray(value))
    wrongType(name, index, 'String, Array', value)
  return value
}
